/**
 * The designs `validate pr` compares: each name maps to the A/B options it sets on THE A/B use case
 * (app/benchmark.ts, the same request `run --baseline-image/--candidate-image` makes). A design is
 * the user's PR run with those options, nothing more, so what the record measures is what a user
 * gets from that option.
 */
import type { BenchmarkRequest } from './benchmark.js';

export interface Design {
  /** One line for the help text and the progress log. */
  describe: string;
  /** The request with this design's A/B options set. */
  apply: (req: BenchmarkRequest) => BenchmarkRequest;
}

export const DESIGNS: Record<string, Design> = {
  interleaved: {
    describe: "today's default A/B run: the arms one after the other in ABBA pairs",
    apply: (req) => req,
  },
  // MERGE: the coordinator uncomments these when the duet and budget branches land (the option
  // names are theirs: `AbFlags.duet`, `run.budgetMinutes`); nothing else here changes.
  // duet: { describe: 'both arms at once on one workload (--duet)', apply: (req) => ({ ...req, ab: { ...req.ab, duet: true } }) },
  // budget: { describe: 'pairs added while undecided (--budget 10)', apply: (req) => ({ ...req, config: { ...req.config, run: { ...req.config.run, budgetMinutes: 10 } } }) },
};
