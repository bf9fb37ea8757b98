/**
 * Change points in a series of session values (main's stored results, oldest first): E-divisive
 * means (Matteson & James 2014, alpha = 1) proposes where a segment splits, and, as Apache Otava
 * does, Welch's t-test on the two sides decides whether the split is real. Nothing is random: no
 * permutation test, so the same series always gives the same change points (a complaint about
 * MongoDB's and Otava's permutation variants).
 *
 * The procedure, which scripts/fixtures/gen_change_point_fixtures.py re-implements with numpy/scipy:
 * 1. The series is cut into epochs where its epoch label changes (a new kernel, runner image, ...):
 *    values measured on different machines are never one population, so no change point spans two
 *    epochs and an epoch boundary is not reported as one.
 * 2. Binary segmentation inside each epoch: every segment of at least 2 * minSegment values gets
 *    its split tau in [a + m, b - m] with the largest Q (ties: the earliest); the candidate passes
 *    when Welch's p < alpha and |mean(after) / mean(before) - 1| >= minMagnitude. Of the passing
 *    candidates the largest Q is added; repeat until none passes.
 * 3. Pruning: each change point is re-tested between its neighbouring change points (the segments
 *    around it got shorter as others were added); the failing one with the largest p goes, then
 *    again, until all pass.
 * minSegment (>= 2) is what keeps a single spike from becoming a change point: a segment of one
 * value cannot exist, and one wild value inflates its side's variance, so Welch does not pass it.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, standardDeviation } from './descriptive.js';
import { welchTTest } from './welch.js';

export interface ChangePointOptions {
  /** Fewest sessions a segment may have on either side of a change point (>= 2). */
  minSegment: number;
  /** Welch's two-sided p below this makes a split significant. */
  alpha: number;
  /** Smallest relative change of the segment means that counts (0.05 = 5%). */
  minMagnitude: number;
  /** Level of the interval of each change (0.95). */
  level: number;
}

export const DEFAULT_CHANGE_POINT_OPTIONS: ChangePointOptions = {
  minSegment: 3,
  alpha: 0.01,
  minMagnitude: 0.05,
  level: 0.95,
};

export interface SegmentSummary {
  /** Indexes into the series: [from, to). */
  from: number;
  to: number;
  n: number;
  mean: number;
  /** Sample SD; NaN for one value. */
  sd: number;
}

export interface ChangePoint {
  /** Index of the first value after the step. */
  index: number;
  epoch: number;
  /** The segments on each side, bounded by the neighbouring change points or the epoch's ends. */
  before: SegmentSummary;
  after: SegmentSummary;
  /** E-divisive's Q at this split of [before.from, after.to). */
  q: number;
  /** Welch's two-sided p of after vs before. */
  pValue: number;
  /** mean(after) - mean(before), with its Welch t interval at `level`. */
  absolute: number;
  absoluteInterval: [number, number] | null;
  /** The same divided by mean(before) (the interval ignores the uncertainty of that denominator). */
  relative: number;
  relativeInterval: [number, number] | null;
}

export interface EpochSpan {
  epoch: number;
  from: number;
  to: number;
}

export interface ChangePointAnalysis {
  options: ChangePointOptions;
  epochs: EpochSpan[];
  changePoints: ChangePoint[];
}

/** Cuts `epochs` (one label per value) into maximal runs of the same label. */
export function epochSpans(epochs: readonly number[]): EpochSpan[] {
  const spans: EpochSpan[] = [];
  epochs.forEach((e, i) => {
    const last = spans[spans.length - 1];
    if (last && last.epoch === e) last.to = i + 1;
    else spans.push({ epoch: e, from: i, to: i + 1 });
  });
  return spans;
}

/**
 * Pairwise distances |x_i - x_j| summed over rectangles in O(1): P[i][j] is the sum over rows < i
 * and columns < j, so the O(n^2) table replaces an O(n^3) scan per segment.
 */
class DistanceSums {
  private readonly n: number;
  private readonly p: Float64Array;

  constructor(values: readonly number[]) {
    const n = values.length;
    this.n = n;
    this.p = new Float64Array((n + 1) * (n + 1));
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) {
        row += Math.abs(values[i] - values[j]);
        this.p[(i + 1) * (n + 1) + j + 1] = this.p[i * (n + 1) + j + 1] + row;
      }
    }
  }

  /** Sum of |x_i - x_j| for i in [r0, r1), j in [c0, c1). */
  rect(r0: number, r1: number, c0: number, c1: number): number {
    const w = this.n + 1;
    return this.p[r1 * w + c1] - this.p[r0 * w + c1] - this.p[r1 * w + c0] + this.p[r0 * w + c0];
  }
}

/**
 * E-divisive's Q of splitting [a, b) at tau: with X = [a, tau) (size m) and Y = [tau, b) (size k),
 * Q = mk/(m+k) * (2/(mk) sum|X-Y| - mean over pairs |X-X'| - mean over pairs |Y-Y'|).
 */
function qAt(d: DistanceSums, a: number, tau: number, b: number): number {
  const m = tau - a;
  const k = b - tau;
  const between = (2 * d.rect(a, tau, tau, b)) / (m * k);
  // rect over a square counts every pair twice: divided by m(m-1) it is the mean over pairs.
  const left = d.rect(a, tau, a, tau) / (m * (m - 1));
  const right = d.rect(tau, b, tau, b) / (k * (k - 1));
  return ((m * k) / (m + k)) * (between - left - right);
}

/** Q at every allowed split of `values` (index tau -> Q), for checking the statistic on its own. */
export function eDivisiveScan(values: readonly number[], minSegment: number): Array<{ tau: number; q: number }> {
  checkMinSegment(minSegment);
  const d = new DistanceSums(values);
  const out: Array<{ tau: number; q: number }> = [];
  for (let tau = minSegment; tau <= values.length - minSegment; tau++) {
    out.push({ tau, q: qAt(d, 0, tau, values.length) });
  }
  return out;
}

function checkMinSegment(minSegment: number): void {
  if (!Number.isInteger(minSegment) || minSegment < 2) {
    // Programmer error: the CLI validates its flag before calling.
    throw new RangeError(`minSegment must be an integer >= 2, got ${minSegment}`);
  }
}

/**
 * Welch's p of after vs before; both sides constant (a synthetic series) is certain: p 0 when the
 * means differ, 1 when they do not (scipy answers inf/NaN there).
 */
function welchP(before: readonly number[], after: readonly number[]): number {
  const w = welchTTest(after, before);
  if (w.value) return w.value.pValue;
  return mean(after) === mean(before) ? 1 : 0;
}

function magnitudeOf(before: readonly number[], after: readonly number[]): number {
  const mb = mean(before);
  return mb === 0 ? Number.POSITIVE_INFINITY : Math.abs(mean(after) / mb - 1);
}

function passes(values: readonly number[], a: number, tau: number, b: number, o: ChangePointOptions) {
  const before = values.slice(a, tau);
  const after = values.slice(tau, b);
  const pValue = welchP(before, after);
  return { pValue, ok: pValue < o.alpha && magnitudeOf(before, after) >= o.minMagnitude };
}

function segmentSummary(values: readonly number[], from: number, to: number): SegmentSummary {
  const v = values.slice(from, to);
  return { from, to, n: v.length, mean: mean(v), sd: standardDeviation(v) };
}

function changePointAt(
  values: readonly number[],
  d: DistanceSums,
  epoch: number,
  a: number,
  tau: number,
  b: number,
  o: ChangePointOptions,
): ChangePoint {
  const before = segmentSummary(values, a, tau);
  const after = segmentSummary(values, tau, b);
  const absolute = after.mean - before.mean;
  const w = welchTTest(values.slice(tau, b), values.slice(a, tau));
  let absoluteInterval: [number, number] | null = null;
  if (w.value) {
    const half = tQuantile(1 - (1 - o.level) / 2, w.value.df) * w.value.standardError;
    absoluteInterval = [absolute - half, absolute + half];
  }
  const rel = (v: number) => (before.mean === 0 ? Number.NaN : v / before.mean);
  return {
    index: tau,
    epoch,
    before,
    after,
    q: qAt(d, a, tau, b),
    pValue: welchP(values.slice(a, tau), values.slice(tau, b)),
    absolute,
    absoluteInterval,
    relative: rel(absolute),
    relativeInterval: absoluteInterval ? [rel(absoluteInterval[0]), rel(absoluteInterval[1])] : null,
  };
}

/** Change points of one epoch [from, to), as sorted indexes. */
function epochChangePoints(
  values: readonly number[],
  d: DistanceSums,
  from: number,
  to: number,
  o: ChangePointOptions,
): number[] {
  const m = o.minSegment;
  const cps: number[] = [];
  for (;;) {
    const bounds = [from, ...cps, to];
    let best: { tau: number; q: number } | null = null;
    for (let s = 0; s + 1 < bounds.length; s++) {
      const a = bounds[s];
      const b = bounds[s + 1];
      if (b - a < 2 * m) continue;
      let cand: { tau: number; q: number } | null = null;
      for (let tau = a + m; tau <= b - m; tau++) {
        const q = qAt(d, a, tau, b);
        if (cand === null || q > cand.q) cand = { tau, q };
      }
      if (cand && passes(values, a, cand.tau, b, o).ok && (best === null || cand.q > best.q)) best = cand;
    }
    if (best === null) break;
    cps.push(best.tau);
    cps.sort((x, y) => x - y);
  }
  // Pruning: drop the weakest failing change point until every one passes between its neighbours.
  for (;;) {
    const bounds = [from, ...cps, to];
    let worst: { i: number; p: number } | null = null;
    for (let i = 0; i < cps.length; i++) {
      const t = passes(values, bounds[i], cps[i], bounds[i + 2], o);
      if (!t.ok && (worst === null || t.pValue > worst.p)) worst = { i, p: t.pValue };
    }
    if (worst === null) break;
    cps.splice(worst.i, 1);
  }
  return cps;
}

/**
 * The change points of `values` (oldest first), each with the segments on its sides. `epochs`
 * labels each value's environment (same length); values of different epochs never share a segment.
 */
export function detectChangePoints(
  values: readonly number[],
  epochs: readonly number[] = values.map(() => 0),
  options: Partial<ChangePointOptions> = {},
): ChangePointAnalysis {
  const o = { ...DEFAULT_CHANGE_POINT_OPTIONS, ...options };
  checkMinSegment(o.minSegment);
  if (epochs.length !== values.length) {
    throw new RangeError(`epochs (${epochs.length}) must label every value (${values.length})`);
  }
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('change points need finite values');
  const d = new DistanceSums(values);
  const spans = epochSpans(epochs);
  const changePoints: ChangePoint[] = [];
  for (const span of spans) {
    const cps = epochChangePoints(values, d, span.from, span.to, o);
    const bounds = [span.from, ...cps, span.to];
    cps.forEach((tau, i) => changePoints.push(changePointAt(values, d, span.epoch, bounds[i], tau, bounds[i + 2], o)));
  }
  return { options: o, epochs: spans, changePoints };
}

/** How many more values the last epoch needs before a step in it can be found at all (0: enough). */
export function sessionsShort(lastEpochLength: number, minSegment: number): number {
  return Math.max(0, 2 * minSegment - lastEpochLength);
}
