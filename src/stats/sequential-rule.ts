/**
 * The verdict of a paired comparison that looks at its data after every few pairs and stops at the
 * first look that decides (what `--budget <minutes>` runs): the fixed design's three verdicts
 * (src/stats/verdict.ts) with the fixed t critical values replaced by group-sequential ones
 * (src/stats/group-sequential.ts), so that stopping early does not raise either error rate.
 *
 * At look k, with n_k pairs, mean pair difference d, its standard error se and df = n_k - 1:
 * - regression / improvement: the two-sided repeated interval d +- b_k se (level 1 - alpha over
 *   all looks together) excludes 0 AND |d| is beyond the floor. b_k is the two-sided alpha spending
 *   boundary. Under A/A every repeated interval covers 0 unless the look statistic crosses a
 *   boundary, so P(false regression or improvement) <= alpha over the whole sequence.
 * - unchanged: the repeated interval d +- e_k se with e_k the ONE-sided alpha boundary (level
 *   1 - 2 alpha, the sequential two one-sided tests) lies inside +-floor AND the MDE at this look,
 *   (b_k + t(power, df)) se, is within the floor (the fixed design's second condition). If the
 *   true change is at least the floor, "the upper end fell below the floor" is a one-sided crossing
 *   of the centred statistic, which the one-sided boundaries keep below alpha over all looks.
 * - otherwise the comparison continues; at the last planned look it is inconclusive.
 * Stopping for one verdict removes paths that could later have given the other, so neither rate
 * can exceed its own boundary's level; the simulation in test/stats/sequential-rule.test.ts
 * measures both, with the t conversion for the small df of a few pairs.
 *
 * Information fractions are pairs at the look / pairs at the last planned look. Each boundary
 * depends only on the looks up to it. A pair dropped as invalid does not count: the look waits
 * for the next complete pair, so looks keep their planned pairs and fractions. When the looks
 * must end before the planned most pairs (a time budget spent), the final look is given fraction 1
 * (`fractions`, it spends what is left of alpha) while the earlier looks keep pairs / planned
 * most, so their boundaries stay what they were when they were taken (Lan & DeMets' rule for
 * information that falls short of the plan). With a single look the boundaries are the fixed design's z(1 - alpha/2) and
 * z(1 - alpha), whose t conversions are exactly the fixed t quantiles: one look IS the fixed design.
 *
 * alpha is the level the caller's family allows at this comparison (Holm's first step alpha/m
 * when m metrics are decided together). All values (difference, se, floor) are in one unit, e.g.
 * pair log-ratios and a floor of ln(1.05).
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { Verdict } from '../contracts/comparison.js';
import { groupSequentialBoundaries, repeatedInterval, tBoundary, type SpendingKind } from './group-sequential.js';

export interface SequentialDesign {
  /** Pairs at each look, strictly increasing; the last is the most pairs the budget allows. */
  looks: readonly number[];
  alpha: number;
  /** Power the MDE is stated at (the verdict's 0.8). */
  power: number;
  spending: SpendingKind;
  /** Information fractions of the looks; default pairs / the last look's pairs. */
  fractions?: readonly number[];
}

export interface SequentialPlan extends SequentialDesign {
  /** Two-sided alpha boundaries (z) for regression / improvement. */
  decideBounds: number[];
  /** One-sided alpha boundaries (z) for each end of the equivalence interval. */
  equivalenceBounds: number[];
  /** The same boundaries on the t scale of each look's df = pairs - 1 (matching tail probabilities). */
  decideCritical: number[];
  equivalenceCritical: number[];
  /** t(power, df) of each look, the MDE's second term. */
  powerQuantile: number[];
}

export function planSequential(design: SequentialDesign): SequentialPlan {
  const last = design.looks[design.looks.length - 1];
  if (design.looks.some((n, k) => !Number.isInteger(n) || n < 2 || (k > 0 && n <= design.looks[k - 1]))) {
    throw new RangeError(`looks must be whole numbers of pairs >= 2, increasing (got [${design.looks.join(', ')}])`);
  }
  if (design.fractions && design.fractions.length !== design.looks.length) {
    throw new RangeError(`one information fraction per look (${design.fractions.length} for ${design.looks.length})`);
  }
  const fractions = design.fractions ? [...design.fractions] : design.looks.map((n) => n / last);
  const common = { fractions, spending: design.spending };
  const decideBounds = groupSequentialBoundaries({ ...common, alpha: design.alpha, sides: 2 });
  const equivalenceBounds = groupSequentialBoundaries({ ...common, alpha: design.alpha, sides: 1 });
  const df = design.looks.map((n) => n - 1);
  return {
    ...design,
    looks: [...design.looks],
    decideBounds,
    equivalenceBounds,
    decideCritical: decideBounds.map((z, k) => tBoundary(z, df[k])),
    equivalenceCritical: equivalenceBounds.map((z, k) => tBoundary(z, df[k])),
    powerQuantile: df.map((d) => tQuantile(design.power, d)),
  };
}

export interface LookData {
  meanDifference: number;
  standardError: number;
  /**
   * Degrees of freedom of the standard error; default pairs - 1 (a mean of pair differences). A
   * regression-adjusted estimate (one slope estimated besides the mean) has pairs - 2: its
   * boundaries are the plan's z boundaries converted at that df.
   */
  df?: number;
}

export interface LookDecision {
  /** 'continue' when this look decides nothing and a later one is planned. */
  verdict: Verdict | 'continue';
  pairs: number;
  /** The two-sided repeated interval (simultaneous level 1 - alpha) and its t critical value. */
  interval: [number, number] | null;
  /** The repeated interval for equivalence (simultaneous level 1 - 2 alpha). */
  equivalenceInterval: [number, number] | null;
  mde: number | null;
  decideCritical: number;
  equivalenceCritical: number;
}

/** The decision at look `index` (0-based) of `plan`, for a floor in the same unit as the data. */
export function decideAtLook(plan: SequentialPlan, index: number, data: LookData, floor: number): LookDecision {
  const pairs = plan.looks[index];
  if (pairs === undefined) throw new RangeError(`look ${index + 1} is not in a plan of ${plan.looks.length}`);
  const last = index === plan.looks.length - 1;
  const ownDf = data.df !== undefined && data.df !== pairs - 1 ? data.df : null;
  const decideCritical = ownDf === null ? plan.decideCritical[index] : tBoundary(plan.decideBounds[index], ownDf);
  const equivalenceCritical =
    ownDf === null ? plan.equivalenceCritical[index] : tBoundary(plan.equivalenceBounds[index], ownDf);
  const powerQuantile = ownDf === null ? plan.powerQuantile[index] : tQuantile(plan.power, ownDf);
  const undecided: Verdict | 'continue' = last ? 'inconclusive' : 'continue';
  const base = { pairs, decideCritical, equivalenceCritical };
  const { meanDifference: d, standardError: se } = data;
  if (!(se > 0) || !Number.isFinite(se) || !Number.isFinite(d) || !(floor >= 0)) {
    return { ...base, verdict: undecided, interval: null, equivalenceInterval: null, mde: null };
  }
  const interval = repeatedInterval(d, se, decideCritical);
  const equivalenceInterval = repeatedInterval(d, se, equivalenceCritical);
  const mde = (decideCritical + powerQuantile) * se;
  const result = { ...base, interval, equivalenceInterval, mde };
  if ((interval[0] > 0 || interval[1] < 0) && Math.abs(d) > floor) {
    return { ...result, verdict: d > 0 ? 'regression' : 'improvement' };
  }
  if (equivalenceInterval[0] >= -floor && equivalenceInterval[1] <= floor && mde <= floor) {
    return { ...result, verdict: 'unchanged' };
  }
  return { ...result, verdict: undecided };
}
