/**
 * The environment key groups baseline results that may be compared with each other: results taken
 * on a different kernel line, collection method, core count or architecture are different
 * populations, so they never share a baseline.
 */
import type { Environment } from './result.js';
import { InvalidInputError } from '../errors.js';

export const ENV_KEY_FIELDS = ['kernel', 'collectionMethod', 'cpus', 'arch', 'os', 'runtime', 'cgroupVersion'] as const;
export type EnvKeyField = (typeof ENV_KEY_FIELDS)[number];

/** The default grouping, e.g. `linux-6.18_core_bpf_2cpu_x86_64`. */
export const DEFAULT_ENV_KEY_FIELDS: readonly EnvKeyField[] = ['kernel', 'collectionMethod', 'cpus', 'arch'];

/** One path segment: letters, digits, dot, dash, underscore; not `.`/`..`; at most 200 characters. */
const SEGMENT = /^[A-Za-z0-9_.-]{1,200}$/;

export function isPathSafeSegment(s: string): boolean {
  return SEGMENT.test(s) && s !== '.' && s !== '..';
}

/** Replaces every character that is unsafe in a path or object name with `-` and trims the dashes. */
export function sanitizeSegment(value: string): string {
  const s = value
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  return s === '' ? 'unknown' : s.slice(0, 80);
}

/** `6.18.0-1-cloud-amd64` -> `linux-6.18`; a kernel string without major.minor is kept, sanitised. */
export function kernelLine(kernel: string): string {
  const m = /^(\d+)\.(\d+)/.exec(kernel.trim());
  return m ? `linux-${m[1]}.${m[2]}` : `linux-${sanitizeSegment(kernel)}`;
}

function fieldValue(env: Environment, field: EnvKeyField): string {
  switch (field) {
    case 'kernel':
      return kernelLine(env.kernel);
    case 'collectionMethod':
      return sanitizeSegment(env.collectionMethod);
    case 'cpus':
      return `${env.cpus}cpu`;
    case 'arch':
      return sanitizeSegment(env.arch);
    case 'os':
      return sanitizeSegment(env.os.toLowerCase());
    case 'runtime':
      return sanitizeSegment(env.runtime.kind);
    case 'cgroupVersion':
      return `cgroup-${env.cgroupVersion ?? 'unknown'}`;
  }
}

/**
 * A stable, path-safe key for the environment, built from `fields` in the order given.
 * The same environment always gives the same key; the key is one path segment.
 */
export function envKey(env: Environment, fields: readonly EnvKeyField[] = DEFAULT_ENV_KEY_FIELDS): string {
  if (fields.length === 0) {
    throw new InvalidInputError('env key fields', 'fields', fields, `a non-empty list of ${ENV_KEY_FIELDS.join(', ')}`);
  }
  for (const f of fields) {
    if (!(ENV_KEY_FIELDS as readonly string[]).includes(f)) {
      throw new InvalidInputError('env key fields', 'fields', f, ENV_KEY_FIELDS.join(', '));
    }
  }
  return fields.map((f) => fieldValue(env, f)).join('_');
}
