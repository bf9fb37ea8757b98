import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareNewestFirst, parseKey, pathSafeIso, withSeq } from '../../src/baseline/layout.js';
import { openStore, parseStoreSpec } from '../../src/baseline/store.js';
import { InvalidInputError } from '../../src/errors.js';

describe('parseStoreSpec', () => {
  it('reads gs://bucket/prefix, trimming slashes', () => {
    expect(parseStoreSpec('gs://my-bucket/collector/baseline/')).toEqual({
      kind: 'gcs',
      bucket: 'my-bucket',
      prefix: 'collector/baseline',
    });
    expect(parseStoreSpec('gs://my.bucket_1')).toEqual({ kind: 'gcs', bucket: 'my.bucket_1', prefix: '' });
  });

  it('takes plain paths and file:// URLs as folders', () => {
    expect(parseStoreSpec('baselines')).toEqual({ kind: 'folder', path: path.resolve('baselines') });
    expect(parseStoreSpec('file:///tmp/b')).toEqual({ kind: 'folder', path: '/tmp/b' });
  });

  it.each([
    ['gs://', /bucket name "" is not valid/],
    ['gs:/bucket/x', /write gs:\/\/<bucket>\/<prefix>/],
    ['gs://Upper/x', /bucket name "Upper" is not valid/],
    ['gs://ab', /bucket name "ab" is not valid/],
    ['gs://bucket/a/../b', /prefix segment "\.\." must be/],
    ['gs://bucket/a b', /prefix segment "a b"/],
    ['s3://bucket/x', /only gs:\/\/ buckets and folders/],
    ['  ', /allowed: gs:\/\/<bucket>\[\/<prefix>\] or a folder path/],
  ])('refuses %j with a message saying what is allowed', (spec, why) => {
    let err: unknown;
    try {
      parseStoreSpec(spec, '--baseline-store');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toContain('--baseline-store: key "store"');
    expect((err as Error).message).toMatch(why);
  });

  it('openStore rejects a bad spec before any I/O', async () => {
    await expect(openStore('gs://UPPER')).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('object names', () => {
  const locate = (k: string) => `gs://b/${k}`;

  it('encode time so that names sort chronologically', () => {
    expect(pathSafeIso('2026-11-22T22:04:43Z')).toBe('2026-11-22T22-04-43.000Z');
    expect(pathSafeIso('2026-11-22T23:04:43+01:00')).toBe('2026-11-22T22-04-43.000Z');
  });

  it('parse back into refs, and reject names the store did not write', () => {
    expect(parseKey('bench/env/branch=pr-3/2026-01-01T00-00-00.000Z-abc-12.json', locate)).toMatchObject({
      benchmark: 'bench',
      envKey: 'env',
      fromMain: false,
      branch: 'pr-3',
      createdAt: '2026-01-01T00:00:00.000Z',
      sha: 'abc',
      seq: 12,
      archived: false,
      location: 'gs://b/bench/env/branch=pr-3/2026-01-01T00-00-00.000Z-abc-12.json',
    });
    expect(parseKey('archive/bench/env/2026-01-01T00-00-00.000Z-nosha.json', locate)).toMatchObject({
      archived: true,
      seq: 1,
      fromMain: true,
    });
    expect(parseKey('bench/env/notes.json', locate)).toBeNull();
    expect(parseKey('bench/env/x/2026-01-01T00-00-00.000Z-abc.json', locate)).toBeNull();
  });

  it('order the tenth collision after the ninth (numerically, not as text)', () => {
    const base = 'b/e/2026-01-01T00-00-00.000Z-abc.json';
    const refs = [2, 10, 9, 1].map((n) => parseKey(withSeq(base, n), locate)!);
    expect(refs.sort(compareNewestFirst).map((r) => r.seq)).toEqual([10, 9, 2, 1]);
  });
});
