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
  /** Whether a budget picks the number of pairs (then `validate pr --runs` has nothing to set). */
  budgeted: boolean;
  /** The request with this design's A/B options set. */
  apply: (req: BenchmarkRequest) => BenchmarkRequest;
}

/** The design's `compare` keys (compare.deciding, compare.covariate, compare.stopWhen) set on the request. */
function comparing(req: BenchmarkRequest, keys: Partial<BenchmarkRequest['config']['compare']>): BenchmarkRequest {
  return { ...req, config: { ...req.config, compare: { ...req.config.compare, ...keys } } };
}

/** A fixed number of pairs (the config's `run.runs`, as `--runs` gives it): no budget. */
function fixed(req: BenchmarkRequest): BenchmarkRequest {
  return { ...req, runsGiven: true, config: { ...req.config, run: { ...req.config.run, budgetMinutes: null } } };
}

/** A PR run of at most `minutes` (the ten-minute goal): the budget picks the pairs. */
function withBudget(req: BenchmarkRequest, minutes: number): BenchmarkRequest {
  return { ...req, runsGiven: false, config: { ...req.config, run: { ...req.config.run, budgetMinutes: minutes } } };
}

/** The design an A/B run gets from `abDefaults` (app/budgeted-ab.ts); a test holds the two together. */
export const DEFAULT_DESIGN = 'budget-per-event-adjusted-overall';

const duet = (req: BenchmarkRequest): BenchmarkRequest => ({ ...req, ab: { ...req.ab, duet: true } });

/**
 * Every design says all it sets, so a design's meaning does not move when the defaults do: the
 * record's old lines keep measuring what their name says.
 */
export const DESIGNS: Record<string, Design> = {
  interleaved: {
    budgeted: false,
    describe: 'a fixed number of ABBA pairs, the arms one after the other (--runs 5)',
    apply: (req) => comparing(fixed(req), { deciding: 'cpuPercent' }),
  },
  duet: {
    budgeted: false,
    describe: 'both arms at once on one workload, 5 pairs (--duet --runs 5)',
    apply: (req) => comparing(fixed(duet(req)), { deciding: 'cpuPercent' }),
  },
  budget: {
    budgeted: true,
    describe:
      'interleaved pairs added while CPU % of a core is open, raw log-ratios (--budget 10, compare.deciding: cpuPercent, compare.covariate: none)',
    apply: (req) => comparing(withBudget(req, 10), { deciding: 'cpuPercent', covariate: 'none', stopWhen: 'deciding' }),
  },
  'duet-budget': {
    budgeted: true,
    describe: 'duet pairs added while CPU % of a core is open (--duet --budget 10, compare.deciding: cpuPercent)',
    apply: (req) => comparing(withBudget(duet(req), 10), { deciding: 'cpuPercent', stopWhen: 'deciding' }),
  },
  'budget-per-event': {
    budgeted: true,
    describe:
      'interleaved pairs added while CPU per 1,000 events is open, raw log-ratios (--budget 10, compare.deciding: cpuMsPer1000Events, compare.covariate: none)',
    apply: (req) =>
      comparing(withBudget(req, 10), { deciding: 'cpuMsPer1000Events', covariate: 'none', stopWhen: 'deciding' }),
  },
  'budget-per-event-adjusted': {
    budgeted: true,
    describe:
      "today's default A/B run: budget-per-event with the pair log-ratios adjusted for the workloads' own CPU (compare.covariate: workloads)",
    apply: (req) =>
      comparing(withBudget(req, 10), { deciding: 'cpuMsPer1000Events', covariate: 'workloads', stopWhen: 'deciding' }),
  },
  'budget-per-event-adjusted-overall': {
    budgeted: true,
    describe:
      'budget-per-event-adjusted, but an early per-event verdict other than regression does not end the run while the overall verdict is open (memory inconclusive on few pairs): pairs go on to a later look (compare.stopWhen: overall)',
    apply: (req) =>
      comparing(withBudget(req, 10), { deciding: 'cpuMsPer1000Events', covariate: 'workloads', stopWhen: 'overall' }),
  },
  'duet-budget-per-event': {
    budgeted: true,
    describe:
      'duet pairs added while CPU per 1,000 events is open (--duet --budget 10, compare.deciding: cpuMsPer1000Events)',
    apply: (req) => comparing(withBudget(duet(req), 10), { deciding: 'cpuMsPer1000Events', stopWhen: 'deciding' }),
  },
};
