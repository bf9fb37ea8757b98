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

/** A B B A, repeated: each arm gets `runsPerArm` slots and the same mean position in time. */
export function abbaOrder(runsPerArm: number): Arm[] {
  const order: Arm[] = [];
  for (let i = 0; order.length < 2 * runsPerArm; i++) order.push(...((i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) as Arm[]));
  return order.slice(0, 2 * runsPerArm);
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
