import { CRC32C, Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c, crc32cBase64 } from '../fakes/gcs/crc32c.js';
import { startFakeGcs, type FakeGcs } from '../fakes/gcs/server.js';

describe('fake GCS crc32c', () => {
  it('matches the CRC32C check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('encodes like the client library (base64 of big-endian bytes)', () => {
    const data = Buffer.from('{"schema":"collector-bench/result@1"}\n');
    const theirs = new CRC32C();
    theirs.update(data);
    expect(crc32cBase64(data)).toBe(theirs.toString());
    expect(crc32cBase64(Buffer.alloc(0))).toBe('AAAAAA==');
  });
});

describe('fake GCS JSON API with the real client', () => {
  let fake: FakeGcs;
  let storage: Storage;
  beforeAll(async () => {
    fake = await startFakeGcs({ buckets: ['bkt'] });
    storage = new Storage({ apiEndpoint: fake.url, retryOptions: { autoRetry: false } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('serves uploads and downloads the client validates (md5 and crc32c)', async () => {
    const f = storage.bucket('bkt').file('dir/a b.json');
    await f.save('{"a":1}', { resumable: false, validation: 'md5', preconditionOpts: { ifGenerationMatch: 0 } });
    const [meta] = await f.getMetadata();
    expect(meta).toMatchObject({
      name: 'dir/a b.json',
      bucket: 'bkt',
      size: '7',
      crc32c: crc32cBase64(Buffer.from('{"a":1}')),
    });
    expect(Number(meta.generation)).toBeGreaterThan(0);
    expect((await f.download({ validation: 'md5' }))[0].toString()).toBe('{"a":1}');
    expect((await f.download({ validation: 'crc32c' }))[0].toString()).toBe('{"a":1}');
  });

  it("answers a failed ifGenerationMatch with 412 conditionNotMet in Google's error shape", async () => {
    const f = storage.bucket('bkt').file('once.json');
    await f.save('1', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    const err = (await f
      .save('2', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } })
      .catch((e: unknown) => e)) as {
      code: number;
      errors: Array<{ reason: string }>;
    };
    expect(err.code).toBe(412);
    expect(err.errors[0].reason).toBe('conditionNotMet');
    expect((await f.download())[0].toString()).toBe('1');
  });

  it('pages listings with maxResults/pageToken and groups by delimiter', async () => {
    for (const n of ['l/1', 'l/2', 'l/3', 'l/sub/4', 'l/sub/5']) fake.putRaw('bkt', n, n);
    const [page, next] = await storage.bucket('bkt').getFiles({ prefix: 'l/', maxResults: 2, autoPaginate: false });
    expect(page.map((f) => f.name)).toEqual(['l/1', 'l/2']);
    const names = page.map((f) => f.name);
    let query = next as { pageToken?: string } | null;
    while (query?.pageToken) {
      const [more, after] = await storage.bucket('bkt').getFiles({ ...query, autoPaginate: false });
      names.push(...more.map((f) => f.name));
      query = after as { pageToken?: string } | null;
    }
    expect(names).toEqual(['l/1', 'l/2', 'l/3', 'l/sub/4', 'l/sub/5']);
    const [, , raw] = await storage.bucket('bkt').getFiles({ prefix: 'l/', delimiter: '/', autoPaginate: false });
    expect(raw).toMatchObject({ prefixes: ['l/sub/'] });
  });

  it('copies with rewriteTo and deletes only the generation asked for', async () => {
    fake.putRaw('bkt', 'src.json', 'x');
    const src = storage.bucket('bkt').file('src.json');
    await src.copy(storage.bucket('bkt').file('dst.json'), { preconditionOpts: { ifGenerationMatch: 0 } });
    expect(fake.getRaw('bkt', 'dst.json')?.toString()).toBe('x');
    expect(fake.requests.some((r) => r.path.includes('/rewriteTo/b/bkt/o/dst.json'))).toBe(true);
    const [meta] = await src.getMetadata();
    await expect(src.delete({ ifGenerationMatch: Number(meta.generation) + 1 })).rejects.toMatchObject({ code: 412 });
    await src.delete({ ifGenerationMatch: Number(meta.generation) });
    expect(fake.getRaw('bkt', 'src.json')).toBeUndefined();
  });

  it('refuses resumable uploads, so a client that switches to them is noticed', async () => {
    await expect(storage.bucket('bkt').file('r.json').save('x', { resumable: true })).rejects.toThrow(/400/);
    expect(fake.requests.find((r) => r.query.uploadType === 'resumable')?.status).toBe(400);
  });
});
