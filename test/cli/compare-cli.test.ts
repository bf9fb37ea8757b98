/**
 * `collector-bench compare` and `baseline` as a user runs them: the CLI process, a baseline store
 * (a folder, and a gs:// bucket served by the in-repo fake GCS through the real client), and
 * results files on disk.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComparisonSchema } from '../../src/contracts/comparison.js';
import { EXIT_CODES } from '../../src/errors.js';
import { startFakeGcs, type FakeGcs } from '../fakes/gcs/server.js';
import { ResultFileSchema } from '../../src/contracts/result.js';
import { runCli } from '../support/cli.js';
import { abResultFile, resultFile } from '../support/result-files.js';

import { MiB } from '../../src/units.js';

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, env);

/** Five runs around the given CPU and memory values, with ~3% run-to-run noise and a small shift per seed. */
function runsAround(cpu: number, memMiB: number, seed: number) {
  const wiggle = [0.97, 1.01, 0.99, 1.03, 1.0];
  return wiggle.map((w, i) => ({
    cpu: cpu * w * (1 + ((seed * (i + 1)) % 7) / 500),
    mem: memMiB * MiB * (2 - w) * (1 + (seed % 5) / 1000),
  }));
}

function writeResult(dir: string, name: string, opts: Parameters<typeof resultFile>[0]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(resultFile(opts)));
  return file;
}

async function seedBaseline(store: string, dir: string, env: Record<string, string> = {}) {
  for (let i = 0; i < 3; i++) {
    const file = writeResult(dir, `base-${i}.json`, {
      sha: `b${i}`.padEnd(40, '0'),
      createdAt: `2026-11-0${i + 1}T10:00:00.000Z`,
      runs: runsAround(10, 80, i + 1),
      seed: i + 1,
    });
    const r = await cli(['baseline', 'update', '--baseline', store, '--results', file, '--from-main'], env);
    expect(r.code, r.stderr).toBe(0);
  }
}

describe('collector-bench compare against a folder baseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-compare-'));
  const store = join(dir, 'baselines');
  beforeAll(() => seedBaseline(store, dir));

  it('finds a 20% CPU increase a regression, with its numbers', async () => {
    const candidate = writeResult(dir, 'slower.json', {
      sha: 'c'.repeat(40),
      createdAt: '2026-11-10T10:00:00.000Z',
      runs: runsAround(12, 80, 9),
      seed: 9,
    });
    const r = await cli(['compare', '--baseline', store, '--results', candidate, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const c = ComparisonSchema.parse(JSON.parse(r.stdout));
    const cpu = c.metrics.find((m) => m.metric === 'cpuPercent')!;
    expect(cpu.verdict).toBe('regression');
    expect(cpu.baseline.n).toBe(15);
    expect(cpu.history?.sessionValues).toHaveLength(3);
    expect(cpu.change.relative).toBeGreaterThan(0.15);
    expect(cpu.adjustedPValue).toBeLessThan(0.05);
    expect(c.metrics.find((m) => m.metric === 'memoryBytes')!.verdict).toBe('unchanged');
    expect(c.overall).toBe('regression');
    expect((await cli(['compare', '--baseline', store, '--results', candidate, '--fail-on-regression'])).code).toBe(
      EXIT_CODES.checkFailed,
    );
  });

  it('calls the same collector unchanged', async () => {
    const candidate = writeResult(dir, 'same.json', { sha: 'd'.repeat(40), runs: runsAround(10, 80, 5), seed: 5 });
    const c = ComparisonSchema.parse(
      JSON.parse((await cli(['compare', '--baseline', store, '--results', candidate, '--format', 'json'])).stdout),
    );
    expect(c.metrics.map((m) => m.verdict)).toEqual(['unchanged', 'unchanged']);
  });

  it('is inconclusive, never green, with too few runs', async () => {
    const candidate = writeResult(dir, 'short.json', {
      sha: 'e'.repeat(40),
      runs: runsAround(12, 80, 3).slice(0, 2),
      seed: 3,
    });
    const c = ComparisonSchema.parse(
      JSON.parse((await cli(['compare', '--baseline', store, '--results', candidate, '--format', 'json'])).stdout),
    );
    expect(c.overall).toBe('inconclusive');
  });

  it('writes Markdown with the sticky marker and the verdict table, and a self-contained HTML page', async () => {
    const candidate = writeResult(dir, 'md.json', { sha: 'f'.repeat(40), runs: runsAround(12, 80, 9), seed: 9 });
    const md = join(dir, 'out.md');
    expect(
      (await cli(['compare', '--baseline', store, '--results', candidate, '--format', 'markdown', '--out', md])).code,
    ).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text.startsWith('<!-- collector-bench:default -->')).toBe(true);
    expect(text).toMatch(/\| *CPU/);
    const html = join(dir, 'out.html');
    expect(
      (await cli(['compare', '--baseline', store, '--results', candidate, '--format', 'html', '--out', html])).code,
    ).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/<svg/);
  });

  it('never uses a stored result as its own baseline', async () => {
    const again = join(dir, 'base-0.json'); // already stored by seedBaseline
    const c = ComparisonSchema.parse(
      JSON.parse((await cli(['compare', '--baseline', store, '--results', again, '--format', 'json'])).stdout),
    );
    expect(c.baselineResults).toHaveLength(2);
    expect(c.baselineResults.map((r) => r.sha)).not.toContain('b0'.padEnd(40, '0'));
  });

  it('rejects a broken results file naming the file and the key', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ ...resultFile({ runs: runsAround(10, 80, 1) }), schema: 'collector-bench/result@9' }),
    );
    const r = await cli(['compare', '--baseline', store, '--results', bad]);
    expect(r.code).toBe(EXIT_CODES.badInput);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain('"schema"');
  });

  it('rejects an unknown report format, listing the allowed ones', async () => {
    const r = await cli(['compare', '--baseline', store, '--results', join(dir, 'same.json'), '--format', 'pdf']);
    expect(r.code).toBe(EXIT_CODES.badInput);
    expect(r.stderr).toMatch(/text, markdown, json, html/);
  });
});

describe('collector-bench compare on an A/B results file (no store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-ab-'));
  const levels = [10, 10.8, 9.6, 11.1, 10.2, 9.9];
  const abFile = (factor: number) =>
    abResultFile({
      sha: 'a'.repeat(40),
      createdAt: '2026-11-12T10:00:00.000Z',
      pairs: levels.map((l, i) => ({
        baseline: { cpu: l, mem: (80 + i * 0.3) * MiB },
        candidate: { cpu: l * factor * (1 + (i % 2 ? 0.003 : -0.003)), mem: (80 + i * 0.3 + (i % 2) * 0.05) * MiB },
      })),
    });

  it('round-trips the A/B file: written, read back by compare, analysed pair by pair with no store opened', async () => {
    const original = abFile(1.2);
    const file = join(dir, 'ab.json');
    writeFileSync(file, JSON.stringify(original));
    expect(ResultFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')))).toEqual(original);
    const missingStore = join(dir, 'no-store-here');
    const r = await cli(['compare', '--results', file, '--baseline', missingStore, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const c = ComparisonSchema.parse(JSON.parse(r.stdout));
    expect(c.mode).toBe('ab');
    const cpu = c.metrics[0];
    expect(cpu.decidingTest?.test).toBe('paired-t');
    expect(cpu.baseline.values).toEqual(levels);
    expect(cpu.candidate.values).toEqual(
      original.runs.filter((run) => run.arm === 'candidate').map((run) => run.summary!.cpuPercent.windowMean),
    );
    expect(cpu.paired?.pairs).toBe(levels.length);
    expect(cpu.verdict).toBe('regression');
    expect(c.overall).toBe('regression');
    expect(existsSync(missingStore)).toBe(false);
  });

  it('prints which mode decided and the interval against the floor in the text report', async () => {
    const file = join(dir, 'ab-same.json');
    writeFileSync(file, JSON.stringify(abFile(1.0)));
    const r = await cli(['compare', '--results', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/decided by A\/B mode: paired t-test on 6 interleaved pairs/);
    expect(r.stdout).toMatch(/ … .*\(floor ±\d+(\.\d)?%\)/);
  });
});

describe('collector-bench compare reads result@1 files', () => {
  it('compares a result@1 candidate in history mode, its runs read by their steady-state sample mean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-v1-'));
    const store = join(dir, 'baselines');
    await seedBaseline(store, dir);
    const v1 = resultFile({ sha: '1'.repeat(40), runs: runsAround(12, 80, 9), seed: 9 });
    for (const run of v1.runs) {
      delete run.summary!.cpuPercent.windowMean;
      delete run.summary!.memoryBytes.windowMean;
    }
    const file = join(dir, 'v1.json');
    writeFileSync(file, JSON.stringify({ ...v1, schema: 'collector-bench/result@1' }));
    const r = await cli(['compare', '--baseline', store, '--results', file, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const c = ComparisonSchema.parse(JSON.parse(r.stdout));
    expect(c.mode).toBe('history');
    expect(c.metrics[0].candidate.values).toEqual(v1.runs.map((run) => run.summary!.cpuPercent.mean));
  });
});

describe('collector-bench with a gs:// baseline (real client, fake GCS over HTTP)', () => {
  let gcs: FakeGcs;
  beforeAll(async () => {
    gcs = await startFakeGcs({ buckets: ['perf-baselines'] });
  });
  afterAll(() => gcs.close());

  it('updates, lists and compares against the bucket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-gcs-'));
    const env = { STORAGE_EMULATOR_HOST: gcs.url };
    await seedBaseline('gs://perf-baselines/collector', dir, env);
    const listed = await cli(['baseline', 'list', '--baseline', 'gs://perf-baselines/collector', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).groups[0].results).toHaveLength(3);
    const candidate = writeResult(dir, 'slower.json', { sha: 'c'.repeat(40), runs: runsAround(12, 80, 9), seed: 9 });
    const r = await cli(
      ['compare', '--baseline', 'gs://perf-baselines/collector', '--results', candidate, '--format', 'json'],
      env,
    );
    expect(ComparisonSchema.parse(JSON.parse(r.stdout)).overall).toBe('regression');
  });

  it('says plainly when the bucket does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-gcs-'));
    const file = writeResult(dir, 'r.json', { runs: runsAround(10, 80, 1) });
    const r = await cli(
      ['baseline', 'update', '--baseline', 'gs://no-such-bucket/x', '--results', file, '--from-main'],
      { STORAGE_EMULATOR_HOST: gcs.url },
    );
    expect(r.code).toBe(EXIT_CODES.store);
    expect(r.stderr).toMatch(/no-such-bucket/);
    expect(r.stderr).toMatch(/does not exist/);
  });
});
