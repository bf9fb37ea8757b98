/**
 * Options of a comparison, validated at the boundary (config file, CLI flags). Defaults follow the
 * design: alpha 0.05, at least 3 counted runs a side, the floors of floors.ts.
 */
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { DecidingMetricSchema } from '../contracts/comparison.js';
import { DEFAULT_DECIDING } from './deciding.js';
import { FloorsSchema } from './floors.js';

/** Which CPU measure enters the overall verdict (deciding.ts); the other is compared and shown. */
const DecidingOptionSchema = DecidingMetricSchema.default(DEFAULT_DECIDING);

/** Family-wise significance level, applied to the Holm-adjusted p-values of the deciding tests. */
export const AlphaSchema = z.number().gt(0).lt(1).default(0.05);
/** Fewer counted runs (A/B: complete pairs) than this makes a verdict inconclusive. A t-test needs 2. */
export const MinRunsSchema = z.number().int().min(2).default(3);

export const CompareOptionsSchema = z
  .object({
    alpha: AlphaSchema,
    minRuns: MinRunsSchema,
    /** Practical-significance floors (floors.ts): a change must clear BOTH the absolute and the relative one. */
    floors: FloorsSchema.default({}),
    deciding: DecidingOptionSchema,
    /** Resamples of the bootstrap interval; 0 disables it (the verdict does not depend on it). */
    bootstrapResamples: z.number().int().min(0).max(1_000_000).default(10_000),
    /** Seed of the bootstrap PRNG: the same inputs and seed give the same interval. */
    seed: z.number().int().default(20_240_601),
    /** Power at which the minimum detectable effect is reported. */
    power: z.number().gt(0).lt(1).default(0.8),
    /** Report metadata (not statistics): where the baseline came from, the candidate's file, ids. */
    baselineSource: z.string().default('none'),
    candidateFile: z.string().nullable().default(null),
    /** One id per baseline result (e.g. its object name); default `<createdAt>-<sha>`. */
    baselineIds: z.array(z.string()).optional(),
    /** Environment key shown per metric; default derived from the candidate's environment. */
    envKey: z.string().optional(),
    /** Timestamp of the comparison; default now. Fixed in tests for reproducible output. */
    createdAt: z.string().optional(),
  })
  .strict();

/** The allowed values of `deciding`, as error messages name them. */
export const DECIDING_ALLOWED = DecidingMetricSchema.options.map((o) => `"${o}"`).join(' or ');

export type CompareOptions = z.infer<typeof CompareOptionsSchema>;
export type CompareOptionsInput = z.input<typeof CompareOptionsSchema>;

/** Parses options, turning the first zod issue into an InvalidInputError naming key, value and what is allowed. */
export function parseCompareOptions(input: unknown, source = 'compare options'): CompareOptions {
  const parsed = CompareOptionsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue.path.join('.') || '(root)';
  let value: unknown = input;
  for (const part of issue.path) {
    value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[part] : undefined;
  }
  throw new InvalidInputError(source, key, value, allowedFor(key), issue.message);
}

function allowedFor(key: string): string {
  if (key === 'alpha' || key === 'power') return 'a number strictly between 0 and 1';
  if (key === 'minRuns') return 'an integer >= 2';
  if (key.endsWith('relative')) return 'a fraction between 0 and 10 (0.05 = 5%)';
  if (key.startsWith('floors.')) return 'a number >= 0';
  if (key === 'bootstrapResamples') return 'an integer from 0 to 1,000,000';
  if (key === 'seed') return 'an integer';
  if (key === 'deciding') return DECIDING_ALLOWED;
  return 'see CompareOptionsSchema (alpha, minRuns, floors, deciding, bootstrapResamples, seed, power, baselineSource, candidateFile, baselineIds, envKey, createdAt)';
}
