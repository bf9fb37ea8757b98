/**
 * Mann-Whitney U test, two-sided, matching scipy.stats.mannwhitneyu(x, y,
 * alternative="two-sided", method="auto", use_continuity=True):
 * - U reported is U1, the statistic of the first sample (rank sum of x minus nx(nx+1)/2);
 * - the p-value uses the exact null distribution when there are no ties and not both samples have
 *   more than 8 values, otherwise the normal approximation with tie and continuity correction;
 * - p = 2 * P(U >= max(U1, U2)), capped at 1.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { ok, unavailable, type StatResult } from './stat-result.js';

export interface MannWhitneyResult {
  /** U of the first sample (scipy's U1). */
  u: number;
  pValue: number;
  exact: boolean;
}

/** Same cut-over as scipy's method="auto". */
const EXACT_MAX_SIZE = 8;

/**
 * The exact recurrence costs about min(n1,n2) * max(n1,n2) * (n1*n2/2) steps; past this budget (e.g.
 * 8 runs against 3,000, far beyond any benchmark) the normal approximation is used instead of
 * stalling, and `exact: false` says so. Below it the result is scipy's.
 */
const EXACT_STEP_BUDGET = 2e8;

interface Ranking {
  ranks: Float64Array;
  /** Size of every group of tied values (1 for untied values). */
  tieGroupSizes: number[];
}

/** Ranks 1..n with ties given their average rank. */
export function averageRanks(values: readonly number[]): Ranking {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  const tieGroupSizes: number[] = [];
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j]] === values[order[i]]) j++;
    const averageRank = (i + 1 + j) / 2; // mean of ranks i+1 .. j
    for (let k = i; k < j; k++) ranks[order[k]] = averageRank;
    tieGroupSizes.push(j - i);
    i = j;
  }
  return { ranks, tieGroupSizes };
}

/**
 * P(U <= k) under the null for sample sizes m and n (no ties), for k from 0 to kMax.
 * Recurrence on whether the largest of the m+n values belongs to the m-sample (it then adds n to U):
 *   P(k; i, j) = i/(i+j) * P(k - j; i-1, j) + j/(i+j) * P(k; i, j-1).
 * Working in probabilities (all terms positive) avoids both overflow of the counts and cancellation.
 * Only values up to kMax are kept: the recurrence never looks above k.
 */
export function mannWhitneyNullCdf(m: number, n: number, kMax: number): Float64Array {
  const small = Math.min(m, n);
  const large = Math.max(m, n);
  const width = kMax + 1;
  // rows[i] holds P(. ; i, j) for the current j; row 0 and column 0 are a point mass at U = 0.
  const rows: Float64Array[] = Array.from({ length: small + 1 }, () => {
    const r = new Float64Array(width);
    r[0] = 1;
    return r;
  });
  for (let j = 1; j <= large; j++) {
    for (let i = 1; i <= small; i++) {
      const takeLargest = i / (i + j);
      const other = j / (i + j);
      const current = rows[i]; // P(.; i, j-1), updated in place to P(.; i, j)
      const prevRow = rows[i - 1]; // already P(.; i-1, j)
      for (let k = kMax; k >= 0; k--) {
        const shifted = k - j >= 0 ? prevRow[k - j] : 0;
        current[k] = takeLargest * shifted + other * current[k];
      }
    }
  }
  const pmf = rows[small];
  const cdf = new Float64Array(width);
  let acc = 0;
  for (let k = 0; k <= kMax; k++) {
    acc += pmf[k];
    cdf[k] = acc;
  }
  return cdf;
}

/**
 * Two-sided Mann-Whitney U test of x against y. Null, with the reason, when a side is empty or a
 * value is not finite. All values equal gives p = 1, as scipy does.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): StatResult<MannWhitneyResult> {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 < 1 || n2 < 1) {
    return unavailable(`Mann-Whitney U needs at least 1 value a side (have ${n1} and ${n2})`);
  }
  if ([...x, ...y].some((v) => !Number.isFinite(v))) {
    return unavailable('Mann-Whitney U got a non-finite value');
  }
  const { ranks, tieGroupSizes } = averageRanks([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const uMax = Math.max(u1, u2);
  const hasTies = tieGroupSizes.some((t) => t > 1);
  const exactSteps = Math.min(n1, n2) * Math.max(n1, n2) * ((n1 * n2) / 2 + 1);
  const exact = !(n1 > EXACT_MAX_SIZE && n2 > EXACT_MAX_SIZE) && !hasTies && exactSteps <= EXACT_STEP_BUDGET;

  let pValue: number;
  if (exact) {
    // By symmetry P(U >= uMax) = P(U <= n1*n2 - uMax), summed from the small (accurate) end.
    const k = Math.round(n1 * n2 - uMax);
    pValue = 2 * mannWhitneyNullCdf(n1, n2, k)[k];
  } else {
    const n = n1 + n2;
    const tieTerm = tieGroupSizes.reduce((acc, t) => acc + (t * t * t - t), 0);
    const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
    // Continuity correction: U is discrete, so the upper tail starts half a step below uMax.
    const numerator = uMax - (n1 * n2) / 2 - 0.5;
    if (!(variance > 0)) {
      // Every value tied: no ordering information at all.
      pValue = 1;
    } else {
      const z = numerator / Math.sqrt(variance);
      pValue = 2 * normalCdf(-z, 0, 1);
    }
  }
  return ok({ u: u1, pValue: Math.min(1, Math.max(0, pValue)), exact });
}
