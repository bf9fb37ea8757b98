/**
 * Reading a results file from bytes, with errors that name the file or object and the key that
 * is wrong, so a person can open the file and fix it.
 */
import type { ZodIssue } from 'zod';
import { ResultFileSchema, type ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';

export function parseResultBytes(bytes: Buffer, where: string): ResultFile {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new InvalidInputError(where, '(root)', undefined, 'a JSON document', (e as Error).message);
  }
  return parseResultValue(json, where);
}

export function parseResultValue(json: unknown, where: string): ResultFile {
  const parsed = ResultFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keyPath = issue.path.join('.') || '(root)';
    throw new InvalidInputError(where, keyPath, valueAt(json, issue.path), describeExpected(issue), issue.message);
  }
  return parsed.data;
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
  return 'what collector-bench/result@1 allows';
}
