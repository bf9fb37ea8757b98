/**
 * THE gate for everything the report workflow takes from an artifact: the benchmark jobs ran a pull
 * request's code, so every folder name, file name and byte they uploaded is hostile until checked
 * here, before anything else reads it. Sizes and nesting are bounded before parsing, the JSON is
 * checked for numbers JSON cannot hold, the results file against its schema (finite numbers, sane
 * ranges: src/contracts/result.ts), and every name that later becomes a path, an object key, a
 * status context or Markdown (benchmark, machine, environment key, file) against one safe
 * character set. A file that fails is refused whole, exit 2, with the file, the field and the rule.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { envKey } from '../contracts/env-key.js';
import type { ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { logLine } from '../report/escape.js';

export const GATE_LIMITS = {
  /** One results file: a real one of 1,000 runs is a few MB. */
  fileBytes: 16 * 2 ** 20,
  /** All results files of one artifacts folder together. */
  totalBytes: 64 * 2 ** 20,
  /** Files and folders in one artifacts folder (machines x benchmarks, plus what `run` leaves beside). */
  entries: 500,
  /** Arrays and objects inside each other: a results file needs 6. */
  depth: 32,
  /** How far a results file's createdAt may lie in the future (clock skew between runners). */
  futureSkewMs: 10 * 60 * 1000,
} as const;

/** Names that become path segments, object keys, status contexts and Markdown. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const SAFE_NAME_RULE = "1-100 letters, digits, '.', '_', '-', starting with a letter or digit, no '..'";

export function isSafeName(s: string): boolean {
  return SAFE_NAME.test(s) && !s.includes('..');
}

/** The refusal: the file, the field and the rule, with the offending value made safe to print. */
export function refuse(file: string, field: string, value: unknown, rule: string, detail?: string): InvalidInputError {
  const shown = typeof value === 'string' ? logLine(value).slice(0, 120) : value;
  return new InvalidInputError(logLine(file), field, shown, rule, detail === undefined ? undefined : logLine(detail));
}

export function checkName(value: unknown, file: string, field: string): string {
  if (typeof value !== 'string' || !isSafeName(value)) throw refuse(file, field, value, SAFE_NAME_RULE);
  return value;
}

/** Reads at most `maxBytes` of a file: a larger one is refused before its content is read. */
export function readBounded(file: string, maxBytes: number = GATE_LIMITS.fileBytes): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw refuse(file, '(file size)', size, `at most ${maxBytes} bytes`);
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** The deepest nesting of arrays and objects in JSON text, counted without parsing it. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return depth;
}

/** The first number JSON.parse turned into Infinity (`1e999`), with its path. */
function nonFinite(v: unknown, path: string): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : path || '(root)';
  if (v === null || typeof v !== 'object') return null;
  for (const [k, child] of Object.entries(v)) {
    const found = nonFinite(child, path ? `${path}.${k}` : k);
    if (found) return found;
  }
  return null;
}

/** Parses JSON bytes from an artifact: nesting bounded before parsing, every number finite. */
export function parseGatedJson(bytes: Buffer, file: string): unknown {
  const text = bytes.toString('utf8');
  if (nestingDepth(text, GATE_LIMITS.depth) > GATE_LIMITS.depth) {
    throw refuse(file, '(nesting)', undefined, `arrays and objects nested at most ${GATE_LIMITS.depth} deep`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw refuse(file, '(root)', undefined, 'a JSON document', (e as Error).message);
  }
  const at = nonFinite(json, '');
  if (at) throw refuse(file, at, 'Infinity', 'a finite number');
  return json;
}

/**
 * What the schema cannot know: the names a results file carries and the time it claims. The
 * benchmark name and the environment key it is filed under must be safe names, and `createdAt`
 * may not lie in the future (ten files dated 9999 would be "the newest ten" for good).
 */
export function checkResultFacts(result: ResultFile, file: string, now: number = Date.now()): ResultFile {
  checkName(result.benchmark, file, 'benchmark');
  const created = Date.parse(result.createdAt);
  if (created > now + GATE_LIMITS.futureSkewMs) {
    throw refuse(
      file,
      'createdAt',
      result.createdAt,
      `a time no later than ${new Date(now + GATE_LIMITS.futureSkewMs).toISOString()} (now plus ${GATE_LIMITS.futureSkewMs / 60000} minutes of clock skew)`,
    );
  }
  checkName(envKey(result.environment), file, 'environment (its environment key)');
  if (result.git.sha !== null && !/^[0-9a-f]{7,64}$/.test(result.git.sha)) {
    throw refuse(file, 'git.sha', result.git.sha, 'a hexadecimal commit id or null');
  }
  return result;
}
