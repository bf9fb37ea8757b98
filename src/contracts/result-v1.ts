/**
 * The previous results contract, `collector-bench/result@1`, kept so stored baselines and old
 * files still compare. It differs from @2 only in the run summary: per-sample statistics without
 * the window mean. Readers upgrade it (src/baseline/read-result.ts) by recomputing the summary
 * from the samples the file carries.
 */
import { z } from 'zod';
import { ResultFileSchema, RunSchema, SampleStatsSchema } from './result.js';

export const RESULT_SCHEMA_V1 = 'collector-bench/result@1' as const;

const RunSummaryV1Schema = z.object({
  cpuPercent: SampleStatsSchema,
  memoryBytes: SampleStatsSchema,
  rssBytes: SampleStatsSchema.optional(),
});

export const RunV1Schema = RunSchema.extend({ summary: RunSummaryV1Schema.nullable() });
export type RunV1 = z.infer<typeof RunV1Schema>;

export const ResultFileV1Schema = ResultFileSchema.extend({
  schema: z.literal(RESULT_SCHEMA_V1),
  runs: z.array(RunV1Schema),
});
export type ResultFileV1 = z.infer<typeof ResultFileV1Schema>;
