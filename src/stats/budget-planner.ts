/**
 * Where a time budget buys the smallest MDE: longer measured windows or more pairs.
 *
 * Variance model of one pair difference (candidate window mean minus baseline window mean):
 *   var(d) = 2 * (sigma_between^2 + sigma_within^2 * autocorr_factor / window_samples)
 * - sigma_within^2: variance of the per-second samples inside one run (what a window mean
 *   averages away); window_samples = window seconds / sample interval;
 * - autocorr_factor: how much autocorrelation of those samples inflates the variance of their mean
 *   over the independent case (1 = independent; an AR(1) with lag-1 correlation rho gives about
 *   (1 + rho) / (1 - rho));
 * - sigma_between^2: variance of a run's true level from run to run that the pairing does NOT
 *   remove (what both runs of a pair share cancels; the rest is counted once per run, hence the 2).
 * Both arms are assumed to carry the same noise.
 *
 * Cost: a pair takes runs_in_series x (fixed + window) seconds, where fixed is everything of a run
 * outside the measured window (start, ready, warm-up, teardown) and runs_in_series is 2 when the
 * arms run one after the other (interleaved) and 1 when they run at once (duet).
 *
 * The MDE of the paired t-test with n pairs is mdeMultiplier(n - 1) * sqrt(var(d) / n) (src/stats/mde.ts).
 * Ignoring the t quantiles' dependence on n, n = budget / cost and the product var(d) x cost is
 * minimised at the window w* = sqrt(sigma_within^2 * autocorr_factor * sample_interval * fixed /
 * sigma_between^2): more pairs pay off when the run-to-run spread dominates, longer windows when the
 * second-to-second spread does and runs are expensive to start. The planner searches whole seconds
 * of window exactly (with the t quantiles), w* is shown for the reader.
 */
import { mdeMultiplier } from './mde.js';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface NoiseModel {
  /** Variance of the per-second samples within one run (unit^2). */
  withinRunVariance: number;
  /** Run-to-run variance of a run's level that the pairing does not remove (unit^2). */
  betweenRunVariance: number;
  /** Inflation of the window mean's variance by autocorrelation (>= 1 for positively correlated samples). */
  autocorrelationFactor: number;
  /** Seconds between two samples (1 for the per-second samplers). */
  sampleIntervalSeconds: number;
}

export interface CostModel {
  /** Seconds of one run outside the measured window: start, ready, warm-up, teardown. */
  fixedSecondsPerRun: number;
  /** 2 when the arms of a pair run one after the other, 1 when they run at once (duet). */
  runsInSeries: 1 | 2;
}

export interface MdeLevel {
  alpha: number;
  comparisons: number;
  power: number;
}

export function pairDifferenceVariance(noise: NoiseModel, windowSeconds: number): number {
  const samples = windowSeconds / noise.sampleIntervalSeconds;
  return 2 * (noise.betweenRunVariance + (noise.withinRunVariance * noise.autocorrelationFactor) / samples);
}

export function pairSeconds(cost: CostModel, windowSeconds: number): number {
  return cost.runsInSeries * (cost.fixedSecondsPerRun + windowSeconds);
}

/** The MDE of the paired t-test with `pairs` pairs of `windowSeconds` windows, in the unit of the variances. */
export function pairedMde(
  noise: NoiseModel,
  windowSeconds: number,
  pairs: number,
  level: MdeLevel,
): StatResult<number> {
  if (!(pairs >= 2)) return unavailable(`the paired test needs at least 2 pairs (have ${pairs})`);
  if (!(windowSeconds >= noise.sampleIntervalSeconds)) {
    return unavailable(`a window of ${windowSeconds} s holds no sample (interval ${noise.sampleIntervalSeconds} s)`);
  }
  const variance = pairDifferenceVariance(noise, windowSeconds);
  if (!(variance > 0) || !Number.isFinite(variance)) return unavailable('MDE undefined: no spread in the noise model');
  return ok(mdeMultiplier(pairs - 1, level.alpha, level.comparisons, level.power) * Math.sqrt(variance / pairs));
}

/** The continuous optimum w* of the module comment; Infinity when runs do not vary (longer is always better). */
export function balancedWindowSeconds(noise: NoiseModel, cost: CostModel): number {
  if (!(noise.betweenRunVariance > 0)) return Infinity;
  return Math.sqrt(
    (noise.withinRunVariance * noise.autocorrelationFactor * noise.sampleIntervalSeconds * cost.fixedSecondsPerRun) /
      noise.betweenRunVariance,
  );
}

export interface BudgetQuestion {
  noise: NoiseModel;
  cost: CostModel;
  level: MdeLevel;
  budgetMinutes: number;
  /** Whole-second window lengths to choose from (e.g. the warm-up-free part of a 10-120 s load). */
  minWindowSeconds: number;
  maxWindowSeconds: number;
}

export interface BudgetPlan {
  windowSeconds: number;
  pairs: number;
  mde: number;
  /** Seconds the plan uses (pairs x pair cost), at most the budget. */
  seconds: number;
  /** The continuous optimum w*, for the reader: the chosen window sits near it when the budget buys many pairs. */
  balancedWindowSeconds: number;
}

/** The (window, pairs) within the budget with the smallest MDE; ties go to the shorter window. */
export function planBudget(q: BudgetQuestion): StatResult<BudgetPlan> {
  const budget = q.budgetMinutes * 60;
  let best: BudgetPlan | null = null;
  for (let w = Math.ceil(q.minWindowSeconds); w <= q.maxWindowSeconds; w++) {
    const cost = pairSeconds(q.cost, w);
    const pairs = Math.floor(budget / cost);
    const mde = pairedMde(q.noise, w, pairs, q.level);
    if (mde.value === null) continue;
    if (best === null || mde.value < best.mde) {
      best = {
        windowSeconds: w,
        pairs,
        mde: mde.value,
        seconds: pairs * cost,
        balancedWindowSeconds: balancedWindowSeconds(q.noise, q.cost),
      };
    }
  }
  if (best === null) {
    const cheapest = pairSeconds(q.cost, Math.max(q.minWindowSeconds, q.noise.sampleIntervalSeconds));
    return unavailable(
      `${q.budgetMinutes} min does not buy 2 pairs of a ${q.minWindowSeconds}-${q.maxWindowSeconds} s window (a pair costs at least ${cheapest} s)`,
    );
  }
  return ok(best);
}
