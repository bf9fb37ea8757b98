/** Loads the hand-made Comparison fixtures of test/fixtures/report, validated by the schema. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ComparisonSchema, type Comparison } from '../../src/contracts/comparison.js';

export const FIXTURE_NAMES = ['mixed', 'unchanged', 'no-baseline', 'env-mismatch', 'ab'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

export function fixturePath(name: FixtureName): string {
  return fileURLToPath(new URL(`../fixtures/report/${name}.comparison.json`, import.meta.url));
}

export function loadComparison(name: FixtureName): Comparison {
  return ComparisonSchema.parse(JSON.parse(readFileSync(fixturePath(name), 'utf8')));
}
