/**
 * Two arms measured on the same machine, interleaved A B B A A B ... so that drift over time (heat,
 * a neighbour's load, page cache) falls on both arms alike instead of on whichever ran second.
 * Each slot is one whole run of the normal protocol; the arms' runs are gathered into one results
 * file each, which the ordinary comparison then reads.
 */
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { ResultFile } from '../contracts/result.js';
import { runBenchmark, type BenchmarkOptions } from './benchmark.js';
import { writeResultsAtomically } from './results-writer.js';

export type Arm = 'A' | 'B';

/**
 * Slots of `runsPerArm` pairs, pair k in the order of the Thue-Morse sequence (popcount of k even: A B,
 * odd: B A), i.e. AB BA BA AB BA AB AB BA ... = ABBA BAAB ... Every two pairs cancel a linear drift,
 * so for every even n both arms have the same mean slot position (and for n a multiple of 4 the same
 * mean squared position: a curved drift cancels too). For odd n exact balance is impossible (the
 * slot positions 0..2n-1 add up to an odd number); the order then leaves the least imbalance there
 * is, one slot in total.
 */
export function abbaOrder(runsPerArm: number): Arm[] {
  const order: Arm[] = [];
  for (let pair = 0; pair < runsPerArm; pair++) {
    let bits = 0;
    for (let k = pair; k > 0; k >>= 1) bits += k & 1;
    order.push(...((bits % 2 === 0 ? ['A', 'B'] : ['B', 'A']) as Arm[]));
  }
  return order;
}

export interface AbOptions extends Omit<BenchmarkOptions, 'onRun'> {
  configs: Record<Arm, Config>;
  runsPerArm: number;
  outDir: string;
  stamp: string;
  onSlot?: (arm: Arm, slot: number, total: number, result: ResultFile) => void;
}

export async function runInterleavedAb(opts: AbOptions): Promise<Record<Arm, { result: ResultFile; file: string }>> {
  const order = abbaOrder(opts.runsPerArm);
  const arms: Partial<Record<Arm, { result: ResultFile; file: string }>> = {};
  for (const [slot, arm] of order.entries()) {
    const base = opts.configs[arm];
    // One warm-up run before the very first slot only: after it the machine is warm for both arms.
    const config: Config = {
      ...base,
      run: { ...base.run, runs: 1, warmupRuns: slot === 0 ? 1 : 0 },
      out: join(opts.outDir, `${base.benchmark}-${opts.stamp}-slot-${slot + 1}-${arm}.json`),
    };
    const { result } = await runBenchmark(config, opts);
    const counted = result.runs.filter((r) => !r.warmupRun);
    const file = join(opts.outDir, `${base.benchmark}-${opts.stamp}-${arm}.json`);
    const merged = arms[arm] ?? { result: { ...result, runs: [], complete: false }, file };
    merged.result.runs.push(...counted.map((r) => ({ ...r, index: merged.result.runs.length })));
    merged.result.complete = merged.result.runs.length === opts.runsPerArm;
    writeResultsAtomically(file, merged.result);
    arms[arm] = merged;
    opts.onSlot?.(arm, slot, order.length, merged.result);
  }
  return arms as Record<Arm, { result: ResultFile; file: string }>;
}
