/**
 * Which CPU measure decides a comparison: CPU % of a core over the load, or CPU per 1,000 delivered
 * events (load start to drained). Its own module because both the comparison contract and the
 * sequential record (a budgeted run looks at the deciding metric) name it.
 */
import { z } from 'zod';

export const DecidingMetricSchema = z.enum(['cpuPercent', 'cpuMsPer1000Events']);
export type DecidingMetric = z.infer<typeof DecidingMetricSchema>;
