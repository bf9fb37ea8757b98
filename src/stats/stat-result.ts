/**
 * A statistic that may be undefined for its input (too few values, zero variance): either a value,
 * or null with a reason a person can read in a report. Callers must handle both; nothing throws.
 */
export type StatResult<T> = { value: T; reason: null } | { value: null; reason: string };

export function ok<T>(value: T): StatResult<T> {
  return { value, reason: null };
}

export function unavailable<T>(reason: string): StatResult<T> {
  return { value: null, reason };
}
