/**
 * Turns a zod failure into the error users need: the file, the dotted key, the value they gave and
 * what is allowed. Shared by every file we validate (config, results, workloads).
 */
import type { ZodError, ZodIssue } from 'zod';
import { InvalidInputError } from '../errors.js';

export function valueAt(data: unknown, path: (string | number)[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function allowedFor(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_enum_value':
      return `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
    case 'invalid_literal':
      return JSON.stringify(issue.expected);
    case 'invalid_type':
      return issue.expected;
    case 'too_small':
      return `${issue.type === 'array' ? 'at least' : issue.inclusive ? '>=' : '>'} ${issue.minimum}${issue.type === 'array' ? ' item(s)' : issue.type === 'string' ? ' character(s)' : ''}`;
    case 'too_big':
      return `${issue.type === 'array' ? 'at most' : issue.inclusive ? '<=' : '<'} ${issue.maximum}${issue.type === 'array' ? ' item(s)' : ''}`;
    case 'unrecognized_keys':
      return 'no such key (check the README config reference for spelling)';
    case 'invalid_union_discriminator':
      return `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
    default:
      return issue.message;
  }
}

export function zodToInputError(file: string, error: ZodError, data: unknown): InvalidInputError {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = [...issue.path, issue.keys[0]].join('.');
    return new InvalidInputError(file, key, valueAt(data, [...issue.path, issue.keys[0]]), allowedFor(issue));
  }
  const key = issue.path.length ? issue.path.join('.') : '(top level)';
  const more = error.issues.length > 1 ? `${error.issues.length - 1} more problem(s) after this one` : undefined;
  const detail = issue.code === 'invalid_string' || issue.code === 'custom' ? undefined : more;
  return new InvalidInputError(file, key, valueAt(data, issue.path), allowedFor(issue), detail);
}
