/**
 * Object names of the baseline store (folder and bucket alike), relative to the store's prefix:
 *
 *   <benchmark>/<envKey>/<iso>-<sha>[-<n>].json                 results from main (the baseline)
 *   <benchmark>/<envKey>/branch=<name>/<iso>-<sha>[-<n>].json   results from elsewhere (update-baseline PRs)
 *   archive/<benchmark>/<envKey>/[branch=<name>/]<file>         results moved away by prune
 *
 * `<iso>` is the result's createdAt in UTC with `:` replaced by `-` (2026-11-22T22-04-43.123Z) so
 * that names sort by time; `<sha>` is the first 12 characters of the commit or `nosha`; `-<n>`
 * (n >= 2) is added only when a name was already taken. Marking non-main results with a path
 * component (rather than a metadata field) keeps them out of the baseline with a plain listing on
 * both stores, and shows where a file came from to anyone browsing the bucket.
 */
import type { ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { isPathSafeSegment, sanitizeSegment } from '../contracts/env-key.js';

export const ARCHIVE_DIR = 'archive';
export const BRANCH_PREFIX = 'branch=';

/** What the store knows about one stored result, from its name alone. */
export interface StoredRef {
  benchmark: string;
  envKey: string;
  /** True for results from main: only these form the baseline. */
  fromMain: boolean;
  /** For non-main results, where they came from (`pr-123`, a branch name, or `local`). */
  branch: string | null;
  /** The result's createdAt as encoded in the name (ISO 8601, UTC). */
  createdAt: string;
  /** Short commit sha or `nosha`. */
  sha: string;
  /** Collision counter: 1 for the first object of this name, 2.. for the renamed ones. */
  seq: number;
  archived: boolean;
  /** Object name relative to the store prefix, `/`-separated. */
  key: string;
  /** Where a person finds it: `gs://bucket/prefix/key` or an absolute file path. */
  location: string;
}

const FILE_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d{1,9})?Z)-([A-Za-z0-9]+)(?:-(\d+))?\.json$/;

/** Benchmark names become path segments; `archive` is reserved for the archive prefix. */
export function checkBenchmarkName(benchmark: string, source = 'baseline store'): string {
  if (!isPathSafeSegment(benchmark) || benchmark === ARCHIVE_DIR || benchmark.startsWith(BRANCH_PREFIX)) {
    throw new InvalidInputError(
      source,
      'benchmark',
      benchmark,
      `letters, digits, '.', '_', '-' (1-200 characters), not "${ARCHIVE_DIR}"`,
    );
  }
  return benchmark;
}

export function checkEnvKey(key: string, source = 'baseline store'): string {
  if (!isPathSafeSegment(key) || key.startsWith(BRANCH_PREFIX)) {
    throw new InvalidInputError(source, 'envKey', key, "letters, digits, '.', '_', '-' (1-200 characters)");
  }
  return key;
}

/** `2026-11-22T22:04:43.123Z` -> `2026-11-22T22-04-43.123Z` (always milliseconds, UTC). */
export function pathSafeIso(createdAt: string, source = 'result file'): string {
  const ms = Date.parse(createdAt);
  if (Number.isNaN(ms)) {
    throw new InvalidInputError(source, 'createdAt', createdAt, 'an ISO 8601 date-time');
  }
  return new Date(ms).toISOString().replace(/:/g, '-');
}

function isoFromPathSafe(s: string): string {
  return s.replace(/T(\d{2})-(\d{2})-(\d{2})/, 'T$1:$2:$3');
}

export function shortSha(sha: string | null): string {
  if (!sha) return 'nosha';
  const clean = sha.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
  return clean === '' ? 'nosha' : clean;
}

/** Where a non-main result came from: `pr-<n>`, else the branch of its ref, else `local`. */
export function branchOf(result: ResultFile): string {
  if (result.git.pr !== null) return `pr-${result.git.pr}`;
  if (result.git.ref) return sanitizeSegment(result.git.ref.replace(/^refs\/(heads|tags)\//, ''));
  return 'local';
}

/** The folder (relative key prefix, no trailing slash) that holds a result's group. */
export function groupDir(benchmark: string, envKey: string, branch: string | null): string {
  return branch === null ? `${benchmark}/${envKey}` : `${benchmark}/${envKey}/${BRANCH_PREFIX}${branch}`;
}

export function fileName(createdAt: string, sha: string | null, seq: number): string {
  const base = `${pathSafeIso(createdAt)}-${shortSha(sha)}`;
  return seq <= 1 ? `${base}.json` : `${base}-${seq}.json`;
}

/**
 * Reads a relative key back into a StoredRef; null for names the store did not write (temp files,
 * notes people dropped in the folder), which listings then ignore.
 */
export function parseKey(key: string, locate: (key: string) => string): StoredRef | null {
  let parts = key.split('/');
  let archived = false;
  if (parts[0] === ARCHIVE_DIR) {
    archived = true;
    parts = parts.slice(1);
  }
  let branch: string | null = null;
  if (parts.length === 4 && parts[2].startsWith(BRANCH_PREFIX)) {
    branch = parts[2].slice(BRANCH_PREFIX.length);
    parts = [parts[0], parts[1], parts[3]];
  }
  if (parts.length !== 3) return null;
  const [benchmark, env, file] = parts;
  if (!isPathSafeSegment(benchmark) || !isPathSafeSegment(env)) return null;
  if (branch !== null && !isPathSafeSegment(branch)) return null;
  const m = FILE_RE.exec(file);
  if (!m) return null;
  return {
    benchmark,
    envKey: env,
    fromMain: branch === null,
    branch,
    createdAt: isoFromPathSafe(m[1]),
    sha: m[2],
    seq: m[3] ? Number(m[3]) : 1,
    archived,
    key,
    location: locate(key),
  };
}

/** Newest first: by time in the name, then the later collision number first, then name. */
export function compareNewestFirst(a: StoredRef, b: StoredRef): number {
  const ta = Date.parse(a.createdAt);
  const tb = Date.parse(b.createdAt);
  if (ta !== tb) return tb - ta;
  if (a.seq !== b.seq) return b.seq - a.seq;
  return a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
}

/** The archive key of a stored key (same relative path under `archive/`). */
export function archiveKeyOf(key: string): string {
  return `${ARCHIVE_DIR}/${key}`;
}

/** `dir/2026-...-abc.json` with collision number n -> `dir/2026-...-abc-n.json`. */
export function withSeq(key: string, seq: number): string {
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  const m = FILE_RE.exec(key.slice(slash + 1));
  if (!m) throw new Error(`not a baseline object name: ${key}`);
  return `${dir}${m[1]}-${m[2]}${seq <= 1 ? '' : `-${seq}`}.json`;
}
