/**
 * The `collector-bench baseline list|update|prune` subcommands as plain functions: they open the
 * store, do the work and return data; the CLI decides how to print it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../errors.js';
import type { StoredRef } from './layout.js';
import { parseResultBytes } from './read-result.js';
import type { BaselineApproval } from '../contracts/result.js';
import { DEFAULT_BASELINE_SIZE, openStore, type OpenStoreOptions, type PutResult } from './store.js';

/**
 * Whether a git ref is the main line: `refs/heads/main` as well as `main` (and `master`).
 * Comparing `github.ref` with a bare branch name never matches, a known defect of the pipeline
 * this harness replaces.
 */
export function isMainRef(
  ref: string | null | undefined,
  mainBranches: readonly string[] = ['main', 'master'],
): boolean {
  if (!ref) return false;
  const branch = ref.replace(/^refs\/heads\//, '');
  return !ref.startsWith('refs/pull/') && !ref.startsWith('refs/tags/') && mainBranches.includes(branch);
}

export interface ListedRef extends StoredRef {
  /** Among the newest results from main that form the baseline. */
  inBaseline: boolean;
}

export interface BaselineListing {
  store: string;
  benchmark: string;
  groups: Array<{ envKey: string; results: ListedRef[] }>;
}

export interface BaselineCommandOptions extends OpenStoreOptions {
  /** How many results from main form the baseline (default 10). */
  baselineSize?: number;
}

/** Lists the stored results of a benchmark, one group per environment key (or only `envKey`), newest first. */
export async function baselineList(
  spec: string,
  benchmark: string,
  envKey?: string,
  options: BaselineCommandOptions = {},
): Promise<BaselineListing> {
  const store = await openStore(spec, options);
  const size = options.baselineSize ?? DEFAULT_BASELINE_SIZE;
  const keys = envKey ? [envKey] : await store.envKeys(benchmark);
  const groups: BaselineListing['groups'] = [];
  for (const key of keys) {
    const refs = await store.list(benchmark, key);
    const baseline = new Set(
      refs
        .filter((r) => r.fromMain)
        .slice(0, size)
        .map((r) => r.key),
    );
    groups.push({ envKey: key, results: refs.map((r) => ({ ...r, inBaseline: baseline.has(r.key) })) });
  }
  return { store: store.location, benchmark, groups };
}

export interface BaselineUpdateOptions extends BaselineCommandOptions {
  /** True on pushes to main; false for other results (stored under `branch=`, never counted). */
  fromMain: boolean;
  /** A maintainer accepted this PR's results: they count in the baseline, the approval is recorded. */
  approval?: BaselineApproval;
  /** When set, archive all but the newest `keep` of the group afterwards. */
  keep?: number;
}

export interface BaselineUpdateOutcome {
  store: string;
  envKey: string;
  stored: PutResult;
  archived: StoredRef[];
}

/** Validates a results file and stores it; optionally prunes its group. */
export async function baselineUpdate(
  spec: string,
  resultFile: string,
  options: BaselineUpdateOptions,
): Promise<BaselineUpdateOutcome> {
  const file = path.resolve(resultFile);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw new InvalidInputError(
      file,
      '(file)',
      undefined,
      'a readable collector-bench/result@1 file',
      (e as Error).message,
    );
  }
  const result = parseResultBytes(bytes, file);
  const store = await openStore(spec, options);
  const stored = await store.put(result, { fromMain: options.fromMain, approval: options.approval });
  const archived =
    options.keep === undefined ? [] : (await store.prune(result.benchmark, stored.envKey, options.keep)).archived;
  return { store: store.location, envKey: stored.envKey, stored, archived };
}

export interface BaselinePruneOutcome {
  store: string;
  benchmark: string;
  keep: number;
  groups: Array<{ envKey: string; archived: StoredRef[] }>;
}

/** Archives all but the newest `keep` results (per lineage) in every environment group of a benchmark. */
export async function baselinePrune(
  spec: string,
  benchmark: string,
  keep: number = DEFAULT_BASELINE_SIZE,
  options: OpenStoreOptions = {},
): Promise<BaselinePruneOutcome> {
  const store = await openStore(spec, options);
  const groups: BaselinePruneOutcome['groups'] = [];
  for (const envKey of await store.envKeys(benchmark)) {
    groups.push({ envKey, ...(await store.prune(benchmark, envKey, keep)) });
  }
  return { store: store.location, benchmark, keep, groups };
}

/** Moves one stored result to the archive: how a bad baseline entry is undone (nothing is deleted). */
export async function baselineArchive(spec: string, key: string, options: OpenStoreOptions = {}): Promise<StoredRef> {
  const store = await openStore(spec, options);
  return store.archive(key);
}

/** Plain-text rendering of a listing, one line per result (for the CLI; JSON output can print the data as is). */
export function formatBaselineListing(listing: BaselineListing): string {
  const lines = [`${listing.store} ${listing.benchmark}`];
  if (listing.groups.length === 0) lines.push('  (no results stored)');
  for (const g of listing.groups) {
    lines.push(
      `  ${g.envKey}: ${g.results.filter((r) => r.inBaseline).length} in baseline, ${g.results.length} stored`,
    );
    for (const r of g.results) {
      const mark = r.inBaseline ? '*' : ' ';
      const origin = r.fromMain ? 'main' : `branch=${r.branch}`;
      lines.push(`   ${mark} ${r.createdAt}  ${r.sha.padEnd(12)}  ${origin.padEnd(16)}  ${r.location}`);
    }
  }
  return lines.join('\n');
}
