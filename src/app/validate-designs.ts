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

/** Decided on CPU per 1,000 delivered events (compare.deciding), the looks of a budget included. */
function perEvent(req: BenchmarkRequest): BenchmarkRequest {
  return { ...req, config: { ...req.config, compare: { ...req.config.compare, deciding: 'cpuMsPer1000Events' } } };
}

/** A PR run of at most `minutes` (the ten-minute goal): the budget picks the pairs. */
function withBudget(req: BenchmarkRequest, minutes: number): BenchmarkRequest {
  return { ...req, runsGiven: false, config: { ...req.config, run: { ...req.config.run, budgetMinutes: minutes } } };
}

export const DESIGNS: Record<string, Design> = {
  interleaved: {
    describe: "today's default A/B run: the arms one after the other in ABBA pairs",
    apply: (req) => req,
  },
  duet: {
    describe: 'both arms at once on one workload, 5 pairs (--duet)',
    apply: (req) => ({ ...req, ab: { ...req.ab, duet: true } }),
  },
  budget: {
    describe: 'interleaved pairs added while the CPU verdict is open (--budget 10)',
    apply: (req) => withBudget(req, 10),
  },
  'duet-budget': {
    describe: 'duet pairs added while the CPU verdict is open (--duet --budget 10)',
    apply: (req) => withBudget({ ...req, ab: { ...req.ab, duet: true } }, 10),
  },
  'budget-per-event': {
    describe:
      'interleaved pairs added while CPU per 1,000 events is open (--budget 10, compare.deciding: cpuMsPer1000Events)',
    apply: (req) => perEvent(withBudget(req, 10)),
  },
  'duet-budget-per-event': {
    describe:
      'duet pairs added while CPU per 1,000 events is open (--duet --budget 10, compare.deciding: cpuMsPer1000Events)',
    apply: (req) => perEvent(withBudget({ ...req, ab: { ...req.ab, duet: true } }, 10)),
  },
};
