/** A `ci plan` printed earlier (a job output, or a file for a rehearsal), read back with its schema. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { zodToInputError } from '../config/zod-errors.js';
import { InvalidInputError } from '../errors.js';
import type { CiPlan } from './plan.js';

export const CiPlanSchema = z.object({
  benchmark: z.boolean(),
  mode: z.enum(['ab', 'history']).nullable(),
  comment: z.boolean(),
  updateBaseline: z.boolean(),
  reason: z.string(),
  trigger: z.string(),
  pr: z.number().int().nullable(),
  headSha: z.string().nullable(),
  baseSha: z.string().nullable(),
  fork: z.boolean(),
  approvedBy: z.string().nullable(),
  approverRole: z.enum(['admin', 'maintain', 'write', 'triage', 'read', 'none']).nullable(),
  matrix: z.object({
    include: z.array(z.object({ name: z.string(), 'runs-on': z.union([z.string(), z.array(z.string())]) })).min(1),
  }),
}) satisfies z.ZodType<CiPlan>;

export function readPlanFile(file: string): CiPlan {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InvalidInputError(
      file,
      '(root)',
      undefined,
      'the JSON `collector-bench ci plan` prints',
      (e as Error).message,
    );
  }
  const parsed = CiPlanSchema.safeParse(json);
  if (!parsed.success) throw zodToInputError(file, parsed.error, json);
  return parsed.data;
}
