/**
 * Reading a results file from bytes, with errors that name the file or object and the key that
 * is wrong, so a person can open the file and fix it.
 */
import type { z, ZodIssue } from 'zod';
import { RESULT_SCHEMA, ResultFileSchema, type ResultFile } from '../contracts/result.js';
import { RESULT_SCHEMA_V1, ResultFileV1Schema, type ResultFileV1 } from '../contracts/result-v1.js';
import { InvalidInputError } from '../errors.js';
import { summarizeRun } from '../stats/summary.js';

export function parseResultBytes(bytes: Buffer, where: string): ResultFile {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new InvalidInputError(where, '(root)', undefined, 'a JSON document', (e as Error).message);
  }
  return parseResultValue(json, where);
}

/** A result@2 file, or a result@1 file upgraded to @2 (its summaries recomputed from its samples). */
export function parseResultValue(json: unknown, where: string): ResultFile {
  const version = (json as { schema?: unknown } | null)?.schema;
  if (version === RESULT_SCHEMA_V1) return upgradeResultV1(checked(ResultFileV1Schema, json, where));
  return checked(ResultFileSchema, json, where);
}

function checked<S extends z.ZodTypeAny>(schema: S, json: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keyPath = issue.path.join('.') || '(root)';
    throw new InvalidInputError(where, keyPath, valueAt(json, issue.path), describeExpected(issue), issue.message);
  }
  return parsed.data as z.output<S>;
}

/**
 * result@1 summarised each run by per-sample statistics only. The window mean is derived from the
 * samples the file keeps, with the default ramp (@1 had none), so old and new runs compare alike.
 * A run whose steady window now holds fewer than two samples loses its summary: it no longer counts.
 */
export function upgradeResultV1(old: ResultFileV1): ResultFile {
  return {
    ...old,
    schema: RESULT_SCHEMA,
    runs: old.runs.map((run) => ({
      ...run,
      summary: run.summary === null ? null : summarizeRun(run.samples, run.loadWindow.endMs - run.loadWindow.startMs),
    })),
  };
}

function valueAt(json: unknown, keyPath: (string | number)[]): unknown {
  let v: unknown = json;
  for (const k of keyPath) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function describeExpected(issue: ZodIssue): string {
  if (issue.code === 'invalid_type') return `a value of type ${issue.expected}`;
  if (issue.code === 'invalid_literal') return JSON.stringify(issue.expected);
  if (issue.code === 'invalid_enum_value') return issue.options.map((o) => JSON.stringify(o)).join(' | ');
  return `what ${RESULT_SCHEMA} (or ${RESULT_SCHEMA_V1}) allows`;
}
