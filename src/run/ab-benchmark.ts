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
import { abPlan, duetPlan, growingAbPlan, seedSchedule, type PlanProgress } from './plans.js';

export interface AbArms {
  baseline: Config;
  candidate: Config;
}

/** What decides how far a growing A/B session goes (a budget's sequential design, app/budgeted-ab.ts). */
export interface Growth {
  /** Asked after the warm-ups and after every pair: run another pair? */
  keepGoing(progress: PlanProgress): boolean;
  /** The most pairs, once known. */
  maxPairs(): number | null;
  /** What to record in the results file beside the runs. */
  annotate(result: ResultFile): ResultFile;
}

/**
 * Runs both arms interleaved, or with `duet` both at once in every load window (duetPlan; the
 * engine falls back to interleaved, saying why, when two instances cannot coexist): `runsPerArm`
 * pairs, or one pair at a time for as long as `growth` says so (growingAbPlan). Settings other than
 * the collector (workloads, timings, sensor, delivery, output, seeds) come from the baseline arm's
 * config.
 */
export async function runAbBenchmark(
  arms: AbArms,
  opts: EngineOptions & { duet?: boolean } & ({ runsPerArm: number } | { growth: Growth }),
): Promise<{ result: ResultFile; file: string }> {
  const config = arms.baseline;
  const seeds = seedSchedule(config.run.seed);
  const { warmupRuns } = config.run;
  const duet = Boolean(opts.duet);
  const growth = 'growth' in opts ? opts.growth : null;
  const runsPerArm = 'runsPerArm' in opts ? opts.runsPerArm : 0;
  const plan = growth
    ? growingAbPlan({
        warmupRuns,
        seeds,
        duet,
        keepGoing: (p: PlanProgress) => growth.keepGoing(p),
        maxPairs: () => growth.maxPairs(),
      })
    : duet
      ? duetPlan({ pairs: runsPerArm, warmupRuns, seeds })
      : abPlan({ runsPerArm, warmupRuns, seeds });
  const annotate = growth ? (r: ResultFile) => growth.annotate(r) : undefined;
  const [written] = await runSession({ arms: [arms.baseline, arms.candidate], plan, seeds, annotate }, opts);
  return written;
}
