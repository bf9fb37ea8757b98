/**
 * Same-machine A/B: the baseline and the candidate collector measured in one session, their runs
 * interleaved A B B A B A A B ... (abPlan) so that drift over time (heat, a neighbour's load, page
 * cache) falls on both arms alike instead of on whichever ran second. Consecutive counted slots
 * form a pair (one run of each arm, drawing the same workload); the paired differences are what the
 * A/B comparison tests. Everything goes into ONE results file (`mode: "ab"`, runs carrying `arm`
 * and `pair`), rewritten after every run.
 */
import type { Config } from '../config/schema.js';
import type { ResultFile, Run } from '../contracts/result.js';
import { runSession, type EngineOptions } from './engine.js';
import { abPlan, seedSchedule } from './plans.js';

export type ArmName = 'baseline' | 'candidate';

export interface AbArms {
  baseline: Config;
  candidate: Config;
}

/**
 * Runs both arms interleaved. Settings other than the collector (workloads, timings, sensor,
 * delivery, output, seeds) come from the baseline arm's config.
 */
export async function runAbBenchmark(
  arms: AbArms,
  opts: EngineOptions & { runsPerArm: number },
): Promise<{ result: ResultFile; file: string }> {
  const config = arms.baseline;
  const seeds = seedSchedule(config.run.seed);
  const plan = abPlan({ runsPerArm: opts.runsPerArm, warmupRuns: config.run.warmupRuns, seeds });
  const [written] = await runSession({ arms: [arms.baseline, arms.candidate], plan, seeds }, opts);
  return written;
}

/**
 * One arm of an A/B file as a single-arm results file: its runs of the pairs in which both runs
 * count (a pair with an invalid run is dropped whole, so the two sides stay paired).
 */
export function armResult(ab: ResultFile, arm: ArmName): ResultFile {
  const counts = (r: Run) => r.valid && !r.warmupRun && r.summary !== null;
  const completePairs = new Set<number>();
  const byPair = new Map<number, Run[]>();
  for (const r of ab.runs) if (r.pair) byPair.set(r.pair, [...(byPair.get(r.pair) ?? []), r]);
  for (const [pair, runs] of byPair) if (runs.length === 2 && runs.every(counts)) completePairs.add(pair);
  const runs = ab.runs
    .filter((r) => r.arm === arm && r.pair && completePairs.has(r.pair))
    .sort((a, b) => a.pair! - b.pair!);
  const info = ab.arms?.[arm];
  return {
    ...ab,
    mode: 'single',
    arms: undefined,
    runs,
    environment: { ...ab.environment, collectorImage: info?.image ?? null, collectorImageId: info?.imageId ?? null },
  };
}
