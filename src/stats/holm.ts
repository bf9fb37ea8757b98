/**
 * Holm–Bonferroni step-down adjustment. Controls the family-wise error rate (the chance of ANY
 * false regression in a report) at alpha without assuming independence between the tests, and is
 * uniformly more powerful than plain Bonferroni. Adjusted p-values (as statsmodels' "holm"):
 * sort ascending, p_adj(i) = max over j <= i of min(1, (m - j + 1) * p(j)), so they are monotone in
 * the raw p and capped at 1. Nulls (tests that could not run) are passed through and do not count
 * in m.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const present = pValues
    .map((p, index) => ({ p, index }))
    .filter((e): e is { p: number; index: number } => e.p !== null);
  for (const { p, index } of present) {
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`p-value at index ${index} is ${p}; allowed: a number in [0, 1] or null`);
  }
  const m = present.length;
  // A stable sort keeps tied p-values in input order; the running max makes ties equal anyway.
  present.sort((a, b) => a.p - b.p);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let runningMax = 0;
  present.forEach(({ p, index }, rank) => {
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * p));
    adjusted[index] = runningMax;
  });
  return adjusted;
}
