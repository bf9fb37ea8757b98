/**
 * A benchmark of one collector: warm-up runs, then N measured runs, each with a no-agent neighbour
 * under `--overhead`; `--soak` makes it one long run (soak.ts). The engine runs the plan.
 */
import type { Config } from '../config/schema.js';
import type { ResultFile } from '../contracts/result.js';
import { runSession, type EngineOptions } from './engine.js';
import { seedSchedule, singlePlan } from './plans.js';
import { withSoak } from './soak.js';

export async function runBenchmark(given: Config, opts: EngineOptions): Promise<{ result: ResultFile; file: string }> {
  const config = withSoak(given, opts.log);
  const { runs, warmupRuns, overhead } = config.run;
  if (overhead)
    opts.log(`overhead: ${runs} run(s) each paired with a run of the same workloads and no collector at all`);
  const seeds = seedSchedule(config.run.seed);
  const plan = singlePlan({ runs, warmupRuns, overhead, seeds });
  const [written] = await runSession({ arms: [config], plan, seeds }, opts);
  return written;
}
