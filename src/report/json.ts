/**
 * The JSON report: the comparison itself, checked against its schema before it is written so a
 * consumer never receives a file that `ComparisonSchema` would reject.
 */
import { ComparisonSchema, type Comparison } from '../contracts/comparison.js';
import { InvalidInputError } from '../errors.js';

/** Pretty-printed (2 spaces) comparison@1 JSON with a trailing newline. Throws InvalidInputError if invalid. */
export function renderJson(comparison: Comparison, source = '(comparison)'): string {
  const parsed = ComparisonSchema.safeParse(comparison);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join('.') || '(root)';
    let value: unknown = comparison;
    for (const p of issue.path) value = (value as Record<string | number, unknown> | undefined)?.[p];
    throw new InvalidInputError(
      source,
      key,
      value,
      issue.message,
      `${parsed.error.issues.length} issue(s) against collector-bench/comparison@1`,
    );
  }
  return JSON.stringify(parsed.data, null, 2) + '\n';
}
