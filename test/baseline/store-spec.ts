/**
 * The behaviour every baseline store must have, run against the folder store and the GCS store
 * (through the fake) by folder-store.test.ts and gcs-store.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaselineStore } from '../../src/baseline/store.js';
import { InvalidInputError } from '../../src/errors.js';
import { at, cpuOf, STORE_ENV_KEY, storedResult } from '../support/result-files.js';

export interface StoreHarness {
  store: BaselineStore;
  /** Writes raw bytes at a key relative to the store prefix, bypassing the store (to plant conflicts or corruption). */
  plant(key: string, bytes: string | Buffer): Promise<void>;
  /** Every key under the store prefix, sorted (what is really stored). */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

const G = `default/${STORE_ENV_KEY}`;

export function describeBaselineStore(name: string, open: () => Promise<StoreHarness>): void {
  describe(`${name}: the baseline store contract`, () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('stores a result under <benchmark>/<envKey>/<iso>-<sha>.json and reads it back equal', async () => {
      const result = storedResult({ createdAt: '2026-01-02T03:04:05.678Z', cpu: 12.5 });
      const ref = await h.store.put(result, { fromMain: true });
      expect(ref).toMatchObject({
        benchmark: 'default',
        envKey: STORE_ENV_KEY,
        fromMain: true,
        branch: null,
        sha: '0123456789ab',
        seq: 1,
        archived: false,
        deduplicated: false,
        key: `${G}/2026-01-02T03-04-05.678Z-0123456789ab.json`,
        createdAt: '2026-01-02T03:04:05.678Z',
      });
      expect(ref.location.endsWith(ref.key)).toBe(true);
      expect(await h.keys()).toEqual([ref.key]);
      const listed = await h.store.list('default', STORE_ENV_KEY);
      expect(listed.map((r) => r.key)).toEqual([ref.key]);
      expect(await h.store.get(listed[0])).toEqual(result);
    });

    it("names a result without a commit 'nosha'", async () => {
      const ref = await h.store.put(storedResult({ createdAt: at(1), sha: null }), { fromMain: true });
      expect(ref.key).toBe(`${G}/2026-01-01T00-01-00.000Z-nosha.json`);
    });

    it('keeps results not from main apart under branch=<origin>, out of the baseline', async () => {
      await h.store.put(storedResult({ createdAt: at(1), cpu: 1 }), { fromMain: true });
      const pr = await h.store.put(storedResult({ createdAt: at(2), cpu: 2, pr: 42, ref: 'refs/pull/42/merge' }), {
        fromMain: false,
      });
      const branch = await h.store.put(storedResult({ createdAt: at(3), cpu: 3, ref: 'refs/heads/feature/x' }), {
        fromMain: false,
      });
      expect(pr.key).toBe(`${G}/branch=pr-42/2026-01-01T00-02-00.000Z-0123456789ab.json`);
      expect(pr).toMatchObject({ fromMain: false, branch: 'pr-42' });
      expect(branch.branch).toBe('feature-x');
      expect((await h.store.list('default', STORE_ENV_KEY)).map((r) => r.fromMain)).toEqual([false, false, true]);
      expect((await h.store.list('default', STORE_ENV_KEY, { include: 'main' })).length).toBe(1);
      expect((await h.store.list('default', STORE_ENV_KEY, { include: 'branches' })).map((r) => r.branch)).toEqual([
        'feature-x',
        'pr-42',
      ]);
      expect((await h.store.baseline('default', STORE_ENV_KEY)).map(cpuOf)).toEqual([1]);
      expect((await h.store.baseline('default', STORE_ENV_KEY, 10, { include: 'all' })).map(cpuOf)).toEqual([3, 2, 1]);
    });

    it("counts a maintainer-approved PR's results in the baseline from then on, recording the PR and the approver", async () => {
      await h.store.put(storedResult({ createdAt: at(1), cpu: 1 }), { fromMain: true });
      const approval = {
        pr: 42,
        approvedBy: 'maintainer-max',
        role: 'maintain',
        approvedAt: '2026-01-01T00:05:00.000Z',
      };
      const approved = await h.store.put(
        storedResult({ createdAt: at(2), cpu: 2, pr: 42, ref: 'refs/pull/42/merge' }),
        {
          fromMain: false,
          approval,
        },
      );
      await h.store.put(storedResult({ createdAt: at(3), cpu: 3, pr: 43 }), { fromMain: false }); // not approved
      expect(approved).toMatchObject({
        fromMain: true,
        branch: null,
        key: `${G}/2026-01-01T00-02-00.000Z-0123456789ab.json`,
      });
      expect((await h.store.baseline('default', STORE_ENV_KEY)).map(cpuOf)).toEqual([2, 1]);
      const stored = await h.store.get(approved);
      expect(stored.baselineApproval).toEqual(approval);
      expect(stored.git.pr).toBe(42);
    });

    it("refuses an approval for another PR than the result's", async () => {
      const approval = { pr: 7, approvedBy: 'maintainer-max', role: 'admin', approvedAt: at(5) };
      await expect(
        h.store.put(storedResult({ createdAt: at(2), pr: 42 }), { fromMain: false, approval }),
      ).rejects.toThrow(/key "git\.pr" has value 42; allowed: 7/);
      expect(await h.keys()).toEqual([]);
    });

    it('archive moves one result out of the baseline (undoing a bad entry) and deletes nothing', async () => {
      await h.store.put(storedResult({ createdAt: at(1), cpu: 1 }), { fromMain: true });
      const bad = await h.store.put(storedResult({ createdAt: at(2), cpu: 99 }), { fromMain: true });
      const moved = await h.store.archive(bad.key);
      expect(moved).toMatchObject({ archived: true, key: `archive/${bad.key}` });
      expect((await h.store.baseline('default', STORE_ENV_KEY)).map(cpuOf)).toEqual([1]);
      expect(cpuOf(await h.store.get(moved))).toBe(99);
      expect((await h.keys()).length).toBe(2);
      await expect(h.store.archive(bad.key)).rejects.toThrow(/no result/);
      await expect(h.store.archive(moved.key)).rejects.toThrow(/key "key" has value "archive\//);
    });

    it('gives as the baseline the newest 10 results from main, newest first', async () => {
      const order = [5, 0, 11, 3, 8, 1, 10, 6, 2, 9, 4, 7];
      for (const i of order) await h.store.put(storedResult({ createdAt: at(i), cpu: i }), { fromMain: true });
      await h.store.put(storedResult({ createdAt: at(20), cpu: 99, pr: 7 }), { fromMain: false });
      expect((await h.store.baseline('default', STORE_ENV_KEY)).map(cpuOf)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
      expect((await h.store.baseline('default', STORE_ENV_KEY, 3)).map(cpuOf)).toEqual([11, 10, 9]);
      expect(await h.store.baseline('default', 'linux-5.4_core_bpf_2cpu_x86_64')).toEqual([]);
    });

    it('keeps all five of five concurrent puts that want the same name', async () => {
      const results = [1, 2, 3, 4, 5].map((cpu) => storedResult({ createdAt: at(1), cpu }));
      const refs = await Promise.all(results.map((r) => h.store.put(r, { fromMain: true })));
      expect(new Set(refs.map((r) => r.key)).size).toBe(5);
      expect(refs.map((r) => r.seq).sort()).toEqual([1, 2, 3, 4, 5]);
      expect(refs.every((r) => !r.deduplicated)).toBe(true);
      const stored = await h.store.baseline('default', STORE_ENV_KEY);
      expect(stored.map(cpuOf).sort()).toEqual([1, 2, 3, 4, 5]);
      expect((await h.keys()).length).toBe(5);
    });

    it('never overwrites: a taken name with other content makes the put pick the next free name', async () => {
      const first = `${G}/2026-01-01T00-01-00.000Z-0123456789ab.json`;
      const planted = JSON.stringify(storedResult({ createdAt: at(1), cpu: 77 }));
      await h.plant(first, planted);
      const ref = await h.store.put(storedResult({ createdAt: at(1), cpu: 1 }), { fromMain: true });
      expect(ref.key).toBe(`${G}/2026-01-01T00-01-00.000Z-0123456789ab-2.json`);
      const refs = await h.store.list('default', STORE_ENV_KEY);
      expect(refs.map((r) => r.seq)).toEqual([2, 1]); // same time: the later name counts as newer
      expect(cpuOf(await h.store.get(refs[1]))).toBe(77);
    });

    it('stores a byte-identical result only once (a repeated upload must not count twice)', async () => {
      const result = storedResult({ createdAt: at(1) });
      const a = await h.store.put(result, { fromMain: true });
      const b = await h.store.put(result, { fromMain: true });
      expect(b).toMatchObject({ key: a.key, deduplicated: true });
      expect((await h.keys()).length).toBe(1);
    });

    it('prune moves all but the newest `keep` of each lineage to archive/, deleting nothing', async () => {
      for (let i = 0; i < 13; i++) await h.store.put(storedResult({ createdAt: at(i), cpu: i }), { fromMain: true });
      for (let i = 0; i < 2; i++)
        await h.store.put(storedResult({ createdAt: at(30 + i), cpu: 100 + i, pr: 5 }), { fromMain: false });
      const before = await h.store.baseline('default', STORE_ENV_KEY);

      const { archived } = await h.store.prune('default', STORE_ENV_KEY, 10);
      expect(archived.map((r) => r.key)).toEqual(
        [2, 1, 0].map((i) => `archive/${G}/${at(i).replace(/:/g, '-')}-0123456789ab.json`),
      );
      expect(archived.every((r) => r.archived && r.fromMain)).toBe(true);
      expect((await h.store.list('default', STORE_ENV_KEY, { include: 'main' })).length).toBe(10);
      expect((await h.store.list('default', STORE_ENV_KEY, { include: 'branches' })).length).toBe(2);
      expect(await h.store.baseline('default', STORE_ENV_KEY)).toEqual(before);
      const inArchive = await h.store.list('default', STORE_ENV_KEY, { archived: true });
      expect(inArchive.map((r) => r.key)).toEqual(archived.map((r) => r.key));
      expect(cpuOf(await h.store.get(inArchive[2]))).toBe(0);
      expect((await h.keys()).length).toBe(15); // moved, not lost

      expect((await h.store.prune('default', STORE_ENV_KEY, 10)).archived).toEqual([]);
      const branchPrune = await h.store.prune('default', STORE_ENV_KEY, 1);
      expect(branchPrune.archived.map((r) => r.branch)).toContain('pr-5');
      expect((await h.store.list('default', STORE_ENV_KEY)).length).toBe(2); // newest of main + newest of pr-5
      expect((await h.keys()).length).toBe(15);
    });

    it('prune never overwrites an archived object and finishes a move an earlier prune left half done', async () => {
      const old = await h.store.put(storedResult({ createdAt: at(1), cpu: 1 }), { fromMain: true });
      const older = await h.store.put(storedResult({ createdAt: at(0), cpu: 0 }), { fromMain: true });
      await h.store.put(storedResult({ createdAt: at(2), cpu: 2 }), { fromMain: true });
      // Someone else's object already sits at old's archive name; an identical copy of `older` too.
      await h.plant(`archive/${old.key}`, JSON.stringify(storedResult({ createdAt: at(1), cpu: 55 })));
      const olderBytes = JSON.stringify(await h.store.get(older), null, 2) + '\n';
      await h.plant(`archive/${older.key}`, olderBytes);

      const { archived } = await h.store.prune('default', STORE_ENV_KEY, 1);
      expect(archived.map((r) => r.key)).toEqual([
        `archive/${old.key.replace('.json', '-2.json')}`,
        `archive/${older.key}`,
      ]);
      const keys = await h.keys();
      expect(keys.filter((k) => k.startsWith('archive/')).length).toBe(3);
      expect(keys.filter((k) => !k.startsWith('archive/')).length).toBe(1);
      const arch = await h.store.list('default', STORE_ENV_KEY, { archived: true });
      expect(arch.map((r) => r.seq)).toEqual([2, 1, 1]);
      expect((await Promise.all(arch.map((r) => h.store.get(r)))).map(cpuOf)).toEqual([1, 55, 0]);
    });

    it('rejects a corrupt object with an error naming the object and the key', async () => {
      const ref = await h.store.put(storedResult({ createdAt: at(1) }), { fromMain: true });
      await h.plant(ref.key, '{"schema": "collector-bench/result@1", "benchmark": ');
      const err = await h.store.get(ref).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as Error).message).toContain(ref.location);
      expect((err as Error).message).toContain('JSON');

      const bad = storedResult({ createdAt: at(1) }) as unknown as { environment: { cpus: unknown } };
      bad.environment.cpus = 'two';
      await h.plant(ref.key, JSON.stringify(bad));
      const err2 = await h.store.baseline('default', STORE_ENV_KEY).catch((e: unknown) => e);
      expect(err2).toBeInstanceOf(InvalidInputError);
      expect((err2 as Error).message).toContain(ref.location);
      expect((err2 as Error).message).toContain('"environment.cpus" has value "two"');
    });

    it('refuses to store an unfinished or invalid result, naming the key', async () => {
      await expect(
        h.store.put({ ...storedResult({ createdAt: at(1) }), complete: false }, { fromMain: true }),
      ).rejects.toThrow(/"complete"/);
      await expect(
        h.store.put(storedResult({ createdAt: at(1), benchmark: '../etc' }), { fromMain: true }),
      ).rejects.toThrow(/"benchmark" has value "..\/etc"/);
      // The builder validates; the store must refuse what a file on disk could say.
      await expect(
        h.store.put({ ...storedResult({ createdAt: at(1) }), createdAt: 'yesterday' }, { fromMain: true }),
      ).rejects.toThrow(/"createdAt" has value "yesterday"/);
      expect(await h.keys()).toEqual([]);
    });

    it('lists environment groups and ignores objects it did not write', async () => {
      await h.store.put(storedResult({ createdAt: at(1) }), { fromMain: true });
      await h.store.put(storedResult({ createdAt: at(1), env: { cpus: 4 } }), { fromMain: true });
      await h.plant(`${G}/README.md`, 'notes');
      expect(await h.store.envKeys('default')).toEqual([STORE_ENV_KEY, 'linux-6.18_core_bpf_4cpu_x86_64']);
      expect((await h.store.list('default', STORE_ENV_KEY)).length).toBe(1);
      expect(await h.store.list('other', STORE_ENV_KEY)).toEqual([]);
      await expect(h.store.list('default', '../x')).rejects.toThrow(/envKey/);
    });
  });
}
