/**
 * Same-machine A/B: the baseline and the candidate collector measured in one session, their runs
 * interleaved A B B A B A A B ... (abPlan) so that drift over time (heat, a neighbour's load, page
 * cache) falls on both arms alike instead of on whichever ran second. Consecutive counted slots
 * form a pair (one run of each arm, drawing the same workload); the paired differences are what the
 * A/B comparison tests. Everything goes into ONE results file (`mode: "ab"`, runs carrying `arm`
 * and `pair`), rewritten after every run.
 */
import type { Config } from '../config/schema.js';
import type { ResultFile } from '../contracts/result.js';
import { runSession, type EngineOptions } from './engine.js';
import { abPlan, duetPlan, seedSchedule } from './plans.js';

export interface AbArms {
  baseline: Config;
  candidate: Config;
}

/**
 * Runs both arms interleaved, or with `duet` both at once in every load window (duetPlan; the
 * engine falls back to interleaved, saying why, when two instances cannot coexist). Settings other
 * than the collector (workloads, timings, sensor, delivery, output, seeds) come from the baseline
 * arm's config.
 */
export async function runAbBenchmark(
  arms: AbArms,
  opts: EngineOptions & { runsPerArm: number; duet?: boolean },
): Promise<{ result: ResultFile; file: string }> {
  const config = arms.baseline;
  const seeds = seedSchedule(config.run.seed);
  const { warmupRuns } = config.run;
  const plan = opts.duet
    ? duetPlan({ pairs: opts.runsPerArm, warmupRuns, seeds })
    : abPlan({ runsPerArm: opts.runsPerArm, warmupRuns, seeds });
  const [written] = await runSession({ arms: [arms.baseline, arms.candidate], plan, seeds }, opts);
  return written;
}
