/**
 * A pair's log-ratio of the collector's cost, adjusted for how fast the machine was in each run of
 * the pair (issue 18's covariate): the same seeded workloads run in both runs of an interleaved
 * pair, so the log-ratio of their own CPU (their cgroups' CPU less the BPF programs' run time, the
 * part of it the collector under test spends) moves with the machine, not with the collector. In
 * the recorded A/A comparisons (docs/measurements.md) a slow moment that cost the collector 18%
 * more per event cost the workloads 18% more too; regressing the collector's pair log-ratios on the
 * workloads' takes that shared part out.
 *
 * The model, per pair i: y_i = delta + beta x_i + e_i, with y the collector's log-ratio, x the
 * workloads' own, delta the collector's change. Its premise is that the workloads' own CPU does not
 * change between arms (E x = 0): then the least-squares intercept delta^ = mean(y) - beta^ mean(x)
 * is unbiased, and its standard error s_e sqrt(1/n + mean(x)^2 / Sxx) with n - 2 degrees of freedom
 * makes its t exact for normal errors, whatever the x (a regression conditional on the covariate).
 * The premise is checked at every look: when the workloads' own CPU did change (its paired 95%
 * interval excludes 0), the adjustment would carry slope x that change into the collector's figure,
 * so the look shows its figures and decides nothing (`blocks`), and says why. The check is weak
 * against a small move (a 2% move of the workloads is caught by about one look in seven at 9 pairs
 * here): the simulation in test/stats/covariate-adjustment.test.ts measures the rule's error rates
 * with the premise, and how far they drift when a candidate moves the workloads by 1-4%.
 */
import { mean, standardDeviation } from './descriptive.js';
import { meanWithInterval } from './mean-interval.js';
import { leastSquaresSlope } from './slope.js';

/** One pair's log-ratios: the deciding metric's (y) and the covariate's (x), null when not measured. */
export interface LogRatioPair {
  y: number;
  x: number | null;
}

export interface LookEstimate {
  meanDifference: number;
  standardError: number;
  df: number;
}

export interface Adjustment {
  /** Whether the estimate is the adjusted one; when not, `why` says why. */
  applied: boolean;
  why: string | null;
  /**
   * The premise broke (the workloads' own CPU changed between arms): the look shows the adjusted
   * figures but cannot decide. Falling back to the raw log-ratios here would be worse than either
   * rule alone: the raw mean is off by just the slope times the move the check found, and the
   * simulation measured the false `unchanged` rate at the floor rising above alpha that way.
   */
  blocks: boolean;
  /** The fitted slope beta^ and the covariate's mean log-ratio (null when not computed). */
  slope: number | null;
  covariateChange: number | null;
}

/** Fewest pairs the adjustment is fitted on: df n - 2 >= 2 keeps its t boundaries finite and sane. */
export const MIN_ADJUSTED_PAIRS = 4;
/** The premise check's level: a two-sided 95% paired interval of the covariate's log-ratios. */
const PREMISE_LEVEL = 0.95;

export function unadjusted(ys: readonly number[]): LookEstimate {
  return { meanDifference: mean(ys), standardError: standardDeviation(ys) / Math.sqrt(ys.length), df: ys.length - 1 };
}

/** The look's estimate: adjusted for the covariate when every pair has it and its premise holds. */
export function adjustedEstimate(pairs: readonly LogRatioPair[]): { estimate: LookEstimate; adjustment: Adjustment } {
  const ys = pairs.map((p) => p.y);
  const not = (why: string) => ({
    estimate: unadjusted(ys),
    adjustment: { applied: false, why, blocks: false, slope: null, covariateChange: null },
  });
  if (pairs.length < MIN_ADJUSTED_PAIRS) return not(`fewer than ${MIN_ADJUSTED_PAIRS} pairs`);
  const xs = pairs.map((p) => p.x);
  if (xs.some((x) => x === null || !Number.isFinite(x)))
    return not("the workloads' own CPU is not known for every pair");
  const x = xs as number[];
  const fit = leastSquaresSlope(x, ys).value;
  if (!fit) return not("the workloads' own CPU did not vary between pairs");
  // Premise: the workloads' own CPU did not change between arms.
  const moved = meanWithInterval(x, PREMISE_LEVEL)!;
  const [low, high] = moved.ci95!;
  const broken = low > 0 || high < 0;
  return {
    // The intercept: the collector's log-ratio where the workloads' own CPU was the same in both runs.
    estimate: { meanDifference: fit.intercept, standardError: fit.interceptStandardError, df: pairs.length - 2 },
    adjustment: {
      applied: true,
      why: broken
        ? `the workloads' own CPU changed between arms (${(100 * Math.expm1(moved.mean)).toFixed(1)}%, its 95% interval excludes 0): this look cannot decide`
        : null,
      blocks: broken,
      slope: fit.slope,
      covariateChange: moved.mean,
    },
  };
}
