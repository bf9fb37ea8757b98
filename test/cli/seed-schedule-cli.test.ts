/**
 * Sessions that compare draw the same workloads: run k of every session uses seed k of the seed
 * schedule (run.seed, `--seed`), recorded in the results file. The real CLI, process runtime.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKLOAD_SEED } from '../../src/config/schema.js';
import { ResultFileSchema, type ResultFile } from '../../src/contracts/result.js';
import { EXIT_CODES } from '../../src/errors.js';
import { runCli, TINY_PROCESS_RUN } from '../support/cli.js';

const SESSION = ['run', ...TINY_PROCESS_RUN, '--delivery', 'none', '--no-compare'];

async function session(extra: string[]): Promise<ResultFile> {
  const out = join(mkdtempSync(join(tmpdir(), 'cb-seed-')), 'result.json');
  const { code, stderr } = await runCli([...SESSION, ...extra, '--out', out], {}, 120_000);
  expect(code, stderr).toBe(EXIT_CODES.ok);
  return ResultFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
}

/** What the endpoints workload drew: its Zipf range sizes and how many ports it held open. */
const draw = (r: ResultFile) => {
  const e = r.runs[0].workloads.find((w) => w.name === 'endpoints')!.achieved!;
  return { meanRangeSize: e.meanRangeSize, maxListening: e.maxListening };
};

describe('the seed schedule across sessions', () => {
  it('gives run 1 of two sessions the same workload draw, and records the base it used', async () => {
    const first = await session([]);
    const second = await session([]);
    expect((first.config.run as { seed: number }).seed).toBe(DEFAULT_WORKLOAD_SEED);
    expect(draw(second)).toEqual(draw(first));
    const other = await session(['--seed', '12345']);
    expect((other.config.run as { seed: number }).seed).toBe(12345);
    expect(draw(other)).not.toEqual(draw(first));
  }, 400_000);
});
