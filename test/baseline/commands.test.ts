import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  baselineList,
  baselinePrune,
  baselineUpdate,
  formatBaselineListing,
  isMainRef,
} from '../../src/baseline/commands.js';
import { InvalidInputError } from '../../src/errors.js';
import { startFakeGcs, type FakeGcs } from '../fakes/gcs/server.js';
import { at, STORE_ENV_KEY, storedResult } from '../support/result-files.js';

describe('baseline commands', () => {
  let tmp: string;
  let fake: FakeGcs;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'cb-cmd-'));
    fake = await startFakeGcs({ buckets: ['bkt'] });
  });
  afterEach(async () => {
    await fake.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  async function writeResult(i: number, extra: Parameters<typeof storedResult>[0] | object = {}): Promise<string> {
    const file = path.join(tmp, `result-${i}-${Math.random()}.json`);
    await fs.writeFile(file, JSON.stringify(storedResult({ createdAt: at(i), cpu: i, ...extra })));
    return file;
  }

  for (const kind of ['folder', 'gcs'] as const) {
    const specOf = () => (kind === 'folder' ? path.join(tmp, 'store') : 'gs://bkt/baseline');
    const opts = () => ({ gcs: { apiEndpoint: fake.url } });

    it(`${kind}: update stores a results file, list marks the baseline, prune archives the rest`, async () => {
      for (let i = 0; i < 12; i++) {
        const out = await baselineUpdate(specOf(), await writeResult(i), { fromMain: true, ...opts() });
        expect(out.envKey).toBe(STORE_ENV_KEY);
        expect(out.stored.fromMain).toBe(true);
      }
      await baselineUpdate(specOf(), await writeResult(40, { pr: 9 }), { fromMain: false, ...opts() });
      await baselineUpdate(specOf(), await writeResult(1, { env: { cpus: 4 } }), { fromMain: true, ...opts() });

      const listing = await baselineList(specOf(), 'default', undefined, opts());
      expect(listing.groups.map((g) => g.envKey)).toEqual([STORE_ENV_KEY, 'linux-6.18_core_bpf_4cpu_x86_64']);
      const main = listing.groups[0].results;
      expect(main).toHaveLength(13);
      expect(main.filter((r) => r.inBaseline)).toHaveLength(10);
      expect(main.find((r) => !r.fromMain)?.inBaseline).toBe(false);
      expect(formatBaselineListing(listing)).toContain(`${STORE_ENV_KEY}: 10 in baseline, 13 stored`);
      expect(
        (
          await baselineList(specOf(), 'default', STORE_ENV_KEY, { ...opts(), baselineSize: 3 })
        ).groups[0].results.filter((r) => r.inBaseline),
      ).toHaveLength(3);

      const pruned = await baselinePrune(specOf(), 'default', 10, opts());
      expect(pruned.groups.map((g) => [g.envKey, g.archived.length])).toEqual([
        [STORE_ENV_KEY, 2],
        ['linux-6.18_core_bpf_4cpu_x86_64', 0],
      ]);
      const after = await baselineList(specOf(), 'default', STORE_ENV_KEY, opts());
      expect(after.groups[0].results).toHaveLength(11);
    });

    it(`${kind}: update with keep prunes the group it wrote to`, async () => {
      for (let i = 0; i < 3; i++) await baselineUpdate(specOf(), await writeResult(i), { fromMain: true, ...opts() });
      const out = await baselineUpdate(specOf(), await writeResult(3), { fromMain: true, keep: 2, ...opts() });
      expect(out.archived.map((r) => r.createdAt)).toEqual([at(1), at(0)]);
    });
  }

  it('update names the results file and key when the file is not a valid result', async () => {
    const file = path.join(tmp, 'bad.json');
    await fs.writeFile(
      file,
      JSON.stringify({ ...storedResult({ createdAt: at(1) }), schema: 'collector-bench/result@9' }),
    );
    const err = await baselineUpdate(path.join(tmp, 'store'), file, { fromMain: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toContain(`${file}: key "schema" has value "collector-bench/result@9"`);
    await expect(
      baselineUpdate(path.join(tmp, 'store'), path.join(tmp, 'missing.json'), { fromMain: true }),
    ).rejects.toThrow(/missing\.json/);
  });

  it('list of an empty store says so', async () => {
    const listing = await baselineList(path.join(tmp, 'empty'), 'default');
    expect(listing.groups).toEqual([]);
    expect(formatBaselineListing(listing)).toContain('(no results stored)');
  });
});

describe('isMainRef', () => {
  it('accepts the full and the short name of main, nothing else', () => {
    expect(isMainRef('refs/heads/main')).toBe(true);
    expect(isMainRef('main')).toBe(true);
    expect(isMainRef('refs/heads/master')).toBe(true);
    expect(isMainRef('refs/heads/main-fix')).toBe(false);
    expect(isMainRef('refs/pull/12/merge')).toBe(false);
    expect(isMainRef(null)).toBe(false);
    expect(isMainRef('refs/heads/trunk', ['trunk'])).toBe(true);
  });
});
