import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type BaselineStore } from '../../src/baseline/store.js';
import { StoreError } from '../../src/errors.js';
import { startFakeGcs, type FakeGcs } from '../fakes/gcs/server.js';
import { at, cpuOf, STORE_ENV_KEY, storedResult } from '../support/result-files.js';
import { describeBaselineStore } from './store-spec.js';

/** Fast retries for tests: the client waits at most 1 s between attempts (its minimum). */
const RETRY = { maxRetries: 3, maxRetryDelaySeconds: 1, totalTimeoutSeconds: 30 };

describeBaselineStore('GCS store (fake GCS, real client)', async () => {
  // A page size of 4 makes every listing of more than 4 objects go through pageToken paging.
  const fake = await startFakeGcs({ buckets: ['bench-bucket'], defaultPageSize: 4 });
  const prefix = 'collector/baseline';
  const store = await openStore(`gs://bench-bucket/${prefix}`, { gcs: { apiEndpoint: fake.url, retry: RETRY } });
  return {
    store,
    plant: async (key, bytes) => fake.putRaw('bench-bucket', `${prefix}/${key}`, bytes),
    keys: async () => fake.names('bench-bucket', `${prefix}/`).map((n) => n.slice(prefix.length + 1)),
    close: () => fake.close(),
  };
});

describe('GCS store against the fake', () => {
  let fake: FakeGcs;
  let store: BaselineStore;
  beforeAll(async () => {
    fake = await startFakeGcs({ buckets: ['bkt'] });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    fake.removeBucket('bkt');
    fake.addBucket('bkt');
    fake.deny(null);
    fake.clearFailures();
    fake.requests.length = 0;
    store = await openStore('gs://bkt/p', { gcs: { apiEndpoint: fake.url, retry: RETRY } });
  });

  it('uploads small results in one multipart request guarded by ifGenerationMatch=0, never resumable', async () => {
    await store.put(storedResult({ createdAt: at(1) }), { fromMain: true });
    const uploads = fake.requests.filter((r) => r.path.startsWith('/upload/'));
    expect(uploads).toHaveLength(1);
    expect(uploads[0].query).toMatchObject({
      uploadType: 'multipart',
      ifGenerationMatch: '0',
      name: `p/default/${STORE_ENV_KEY}/2026-01-01T00-01-00.000Z-0123456789ab.json`,
    });
  });

  it('answers a taken name with 412 and the store renames instead of overwriting', async () => {
    const first = await store.put(storedResult({ createdAt: at(1), cpu: 1 }), { fromMain: true });
    const second = await store.put(storedResult({ createdAt: at(1), cpu: 2 }), { fromMain: true });
    expect(second.key).toBe(first.key.replace('.json', '-2.json'));
    expect(fake.requests.filter((r) => r.status === 412)).toHaveLength(1);
    expect(cpuOf(await store.get(first))).toBe(1);
  });

  it('retries 503 and 429 answers with backoff, for writes, reads, lists, copies and deletes', async () => {
    fake.failNext(2, 503);
    const ref = await store.put(storedResult({ createdAt: at(1), cpu: 1 }), { fromMain: true });
    fake.failNext(1, 429);
    expect(cpuOf(await store.get(ref))).toBe(1);
    await store.put(storedResult({ createdAt: at(2), cpu: 2 }), { fromMain: true });
    fake.failNext(1, 503, (m, p) => m === 'GET' && p.endsWith('/o')); // the listing
    fake.failNext(1, 429, (m, p) => p.includes('/rewriteTo/'));
    fake.failNext(1, 503, (m) => m === 'DELETE');
    const { archived } = await store.prune('default', STORE_ENV_KEY, 1);
    expect(archived).toHaveLength(1);
    expect(fake.names('bkt')).toEqual([
      `p/archive/default/${STORE_ENV_KEY}/2026-01-01T00-01-00.000Z-0123456789ab.json`,
      `p/default/${STORE_ENV_KEY}/2026-01-01T00-02-00.000Z-0123456789ab.json`,
    ]);
    const failed = fake.requests.filter((r) => r.status === 429 || r.status === 503);
    expect(failed.map((r) => `${r.method} ${r.path.replace(/\/[^/]*\.json.*/, '/<object>')} ${r.status}`)).toEqual([
      'POST /upload/storage/v1/b/bkt/o 503',
      'POST /upload/storage/v1/b/bkt/o 503',
      'GET /storage/v1/b/bkt/o/<object> 429',
      'GET /storage/v1/b/bkt/o 503',
      'POST /storage/v1/b/bkt/o/<object> 429', // rewriteTo
      'DELETE /storage/v1/b/bkt/o/<object> 503',
    ]);
  }, 60_000);

  it('prune deletes nothing when the copy to the archive fails', async () => {
    await store.put(storedResult({ createdAt: at(1), cpu: 1 }), { fromMain: true });
    await store.put(storedResult({ createdAt: at(2), cpu: 2 }), { fromMain: true });
    fake.failNext(1, 400, (m, p) => p.includes('/rewriteTo/'));
    await expect(store.prune('default', STORE_ENV_KEY, 1)).rejects.toBeInstanceOf(StoreError);
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect((await store.list('default', STORE_ENV_KEY)).length).toBe(2);
  });

  it('gives up after the configured retries with a StoreError naming the object', async () => {
    fake.failNext(10, 503);
    const err = await store.put(storedResult({ createdAt: at(1) }), { fromMain: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_UNAVAILABLE');
    expect((err as Error).message).toMatch(/gs:\/\/bkt\/p\/default\/.*\.json still failed after retries: HTTP 503/);
    expect(fake.requests.filter((r) => r.status === 503)).toHaveLength(4); // first attempt + 3 retries
  }, 60_000);

  it('says the bucket does not exist when it is missing, for reads and writes', async () => {
    fake.removeBucket('bkt');
    await expect(store.list('default', STORE_ENV_KEY)).rejects.toThrow('bucket bkt does not exist');
    const err = await store.put(storedResult({ createdAt: at(1) }), { fromMain: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_BUCKET_MISSING');
    expect((err as Error).message).toContain('bucket bkt does not exist');
  });

  it('says access is denied, naming the bucket and the principal', async () => {
    fake.deny('ci-bot@proj.iam.gserviceaccount.com');
    const err = await store.list('default', STORE_ENV_KEY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_ACCESS_DENIED');
    expect((err as Error).message).toContain('access denied to bucket bkt for ci-bot@proj.iam.gserviceaccount.com');
    expect((err as StoreError).context).toMatchObject({
      bucket: 'bkt',
      principal: 'ci-bot@proj.iam.gserviceaccount.com',
    });
    await expect(store.put(storedResult({ createdAt: at(1) }), { fromMain: true })).rejects.toThrow(
      /storage\.objects\.create/,
    );
  });

  it('reports a missing object as not found, not as a missing bucket', async () => {
    const ref = await store.put(storedResult({ createdAt: at(1) }), { fromMain: true });
    fake.removeBucket('bkt');
    fake.addBucket('bkt');
    const err = await store.get(ref).catch((e: unknown) => e);
    expect((err as StoreError).code).toBe('STORE_NOT_FOUND');
    expect((err as Error).message).toContain(`${ref.location} does not exist`);
  });

  it('honours STORAGE_EMULATOR_HOST when no apiEndpoint is given', async () => {
    const saved = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = fake.url;
    try {
      const viaEnv = await openStore('gs://bkt', { gcs: { retry: RETRY } });
      const ref = await viaEnv.put(storedResult({ createdAt: at(1) }), { fromMain: true });
      expect(ref.location).toBe(`gs://bkt/default/${STORE_ENV_KEY}/2026-01-01T00-01-00.000Z-0123456789ab.json`);
      expect((await viaEnv.list('default', STORE_ENV_KEY)).length).toBe(1);
      // The client uses the emulator host as its JSON API base (no /storage/v1) for non-upload calls.
      expect(fake.requests.some((r) => r.path === '/b/bkt/o')).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = saved;
    }
  });
});

describe('GCS store without credentials', () => {
  const saved: Record<string, string | undefined> = {};
  const vars = ['GOOGLE_APPLICATION_CREDENTIALS', 'HOME', 'METADATA_SERVER_DETECTION', 'STORAGE_EMULATOR_HOST'];
  let home: string;
  let fake: FakeGcs;
  beforeAll(async () => {
    fake = await startFakeGcs({ buckets: ['bkt'] });
    fake.requireAuth(); // a private bucket: anonymous requests get 401
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'cb-nohome-'));
    for (const v of vars) saved[v] = process.env[v];
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    delete process.env.STORAGE_EMULATOR_HOST;
    process.env.HOME = home; // no gcloud application_default_credentials.json here
    process.env.METADATA_SERVER_DETECTION = 'none'; // never probe the GCE metadata server (loopback only)
  });
  afterAll(async () => {
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    await fs.rm(home, { recursive: true, force: true });
    await fake.close();
  });

  it('explains ADC, GOOGLE_APPLICATION_CREDENTIALS and STORAGE_EMULATOR_HOST', async () => {
    // Authentication is forced on the loopback fake, so the lookup of credentials really happens.
    const store = await openStore('gs://bkt/p', {
      gcs: { apiEndpoint: fake.url, useAuthWithCustomEndpoint: true, retry: RETRY },
    });
    const err = await store.list('default', STORE_ENV_KEY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_NO_CREDENTIALS');
    const msg = (err as Error).message;
    expect(msg).toContain('gs://bkt');
    expect(msg).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect(msg).toContain('gcloud auth application-default login');
    expect(msg).toContain('STORAGE_EMULATOR_HOST');
    expect(msg).toContain('Could not load the default credentials');
  });

  it('names a GOOGLE_APPLICATION_CREDENTIALS file that does not exist', async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = path.join(home, 'missing-key.json');
    try {
      const store = await openStore('gs://bkt/p', {
        gcs: { apiEndpoint: fake.url, useAuthWithCustomEndpoint: true, retry: RETRY },
      });
      const err = await store.put(storedResult({ createdAt: at(1) }), { fromMain: true }).catch((e: unknown) => e);
      expect((err as StoreError).code).toBe('STORE_NO_CREDENTIALS');
      expect((err as Error).message).toContain('missing-key.json');
    } finally {
      delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    }
  });
});
