/**
 * A measured quantity as a result file may carry it: finite and within ±2^53. Every real figure
 * (bytes of memory, percent of a core, nanoseconds of BPF time) fits by orders of magnitude; the
 * bound is there because a result file can come from a pull request, and a value like -6.9e77
 * would overflow the statistics' sums of squares into NaN instead of being refused at the boundary.
 */
import { z } from 'zod';

export const quantity = (): z.ZodNumber =>
  z.number().finite().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
