/**
 * The baseline store: immutable result files grouped by benchmark and environment key, in a folder
 * or a GCS bucket (layout in layout.ts). "The baseline" of a benchmark on an environment is the
 * newest 10 results from main; older ones are moved to `archive/`, never deleted.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BaselineApproval, ResultFile } from '../contracts/result.js';
import { parseResultBytes, parseResultValue } from './read-result.js';
import { InvalidInputError, StoreError } from '../errors.js';
import type { ObjectBackend, ObjectInfo } from './backend.js';
import { DEFAULT_ENV_KEY_FIELDS, envKey as computeEnvKey, type EnvKeyField } from '../contracts/env-key.js';
import { FolderBackend } from './folder-store.js';
import type { GcsStoreOptions } from './gcs-store.js';
import {
  archiveKeyOf,
  branchOf,
  checkBenchmarkName,
  checkEnvKey,
  compareNewestFirst,
  fileName,
  groupDir,
  parseKey,
  withSeq,
  type StoredRef,
} from './layout.js';

export type { StoredRef } from './layout.js';

export const DEFAULT_BASELINE_SIZE = 10;
/** How many collision names (`-2`, `-3`, ...) a write tries before giving up. */
const MAX_NAME_ATTEMPTS = 100;

export interface ListOptions {
  /** `main`: only baseline candidates; `branches`: only non-main; `all` (default): both. */
  include?: 'main' | 'branches' | 'all';
  /** List the archive of this group instead of the live results. */
  archived?: boolean;
}

export interface PutResult extends StoredRef {
  /** True when a byte-identical result was already stored under this name (a repeated upload): nothing new was written. */
  deduplicated: boolean;
}

export interface PutOptions {
  /** True for results measured on main (pushes, nightly runs): they form the baseline. */
  fromMain: boolean;
  /**
   * A pull request's results that a maintainer accepted: stored with the baseline (so they count
   * from now on), with the approval recorded in the stored file. Without it a non-main result is
   * kept beside the baseline under `branch=` and never counts.
   */
  approval?: BaselineApproval;
}

export interface BaselineStore {
  /** `gs://bucket/prefix` or the folder's absolute path. */
  readonly location: string;
  /** The environment key this store files a result under. */
  envKeyOf(result: ResultFile): string;
  put(result: ResultFile, opts: PutOptions): Promise<PutResult>;
  /** Stored results of one group, newest first. */
  list(benchmark: string, envKey: string, opts?: ListOptions): Promise<StoredRef[]>;
  /** Environment keys that hold live results of `benchmark`, sorted. */
  envKeys(benchmark: string): Promise<string[]>;
  /** Reads and validates one stored result. */
  get(ref: StoredRef): Promise<ResultFile>;
  /**
   * The newest `n` results from main, newest first. `include: 'all'` also admits results stored
   * from branches (update-baseline PRs), for projects that want those to count.
   */
  baseline(benchmark: string, envKey: string, n?: number, opts?: { include?: 'main' | 'all' }): Promise<ResultFile[]>;
  /** Moves all but the newest `keep` results (per lineage: main, and each branch) to the archive. */
  prune(benchmark: string, envKey: string, keep?: number): Promise<{ archived: StoredRef[] }>;
  /** Moves one stored result to the archive (to undo a bad baseline entry; nothing is deleted). */
  archive(key: string): Promise<StoredRef>;
}

export class ObjectBaselineStore implements BaselineStore {
  readonly location: string;

  constructor(
    private readonly backend: ObjectBackend,
    private readonly envKeyFields: readonly EnvKeyField[] = DEFAULT_ENV_KEY_FIELDS,
  ) {
    this.location = backend.locate('').replace(/\/+$/, '');
  }

  envKeyOf(result: ResultFile): string {
    return computeEnvKey(result.environment, this.envKeyFields);
  }

  async put(result: ResultFile, opts: PutOptions): Promise<PutResult> {
    const parsed = parseResultValue(
      result,
      `result to store (${String((result as { benchmark?: unknown }).benchmark)})`,
    );
    const value = opts.approval ? withApproval(parsed, opts.approval) : parsed;
    if (!value.complete) {
      // An interrupted benchmark is not evidence of how main behaves: keep it out of the baseline.
      throw new InvalidInputError('result to store', 'complete', false, 'true (only finished benchmarks are stored)');
    }
    const benchmark = checkBenchmarkName(value.benchmark, 'result to store');
    const env = this.envKeyOf(value);
    const dir = groupDir(benchmark, env, opts.fromMain || opts.approval ? null : branchOf(value));
    const data = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
    const firstKey = `${dir}/${fileName(value.createdAt, value.git.sha, 1)}`;
    let ourHash: string | undefined;
    for (let seq = 1; seq <= MAX_NAME_ATTEMPTS; seq++) {
      const key = withSeq(firstKey, seq);
      const outcome = await this.backend.createNew(key, data);
      const ref = parseKey(key, (k) => this.backend.locate(k));
      if (!ref) throw new Error(`internal: wrote a key the layout cannot parse: ${key}`);
      if (outcome === 'created') return { ...ref, deduplicated: false };
      // Name taken. The same bytes mean this very result was stored before (a retried upload, a
      // re-run job); counting it twice would weigh it double in the baseline.
      ourHash ??= this.backend.hashData(data);
      if ((await this.backend.hashOf(key)) === ourHash) return { ...ref, deduplicated: true };
    }
    throw new StoreError(
      'STORE_NAME_EXHAUSTED',
      `baseline store: ${MAX_NAME_ATTEMPTS} names like ${this.backend.locate(firstKey)} are all taken`,
      { key: firstKey },
    );
  }

  async list(benchmark: string, envKey: string, opts: ListOptions = {}): Promise<StoredRef[]> {
    checkBenchmarkName(benchmark);
    checkEnvKey(envKey);
    const include = opts.include ?? 'all';
    const base = `${benchmark}/${envKey}/`;
    const prefix = opts.archived ? archiveKeyOf(base) : base;
    const infos = await this.backend.list(prefix);
    return this.refsOf(infos)
      .filter((r) => r.archived === Boolean(opts.archived))
      .filter((r) => include === 'all' || (include === 'main') === r.fromMain)
      .sort(compareNewestFirst);
  }

  async envKeys(benchmark: string): Promise<string[]> {
    checkBenchmarkName(benchmark);
    const infos = await this.backend.list(`${benchmark}/`);
    return [...new Set(this.refsOf(infos).map((r) => r.envKey))].sort();
  }

  async get(ref: StoredRef): Promise<ResultFile> {
    const where = this.backend.locate(ref.key);
    const result = parseResultBytes(await this.backend.read(ref.key), where);
    if (result.benchmark !== ref.benchmark) {
      throw new InvalidInputError(
        where,
        'benchmark',
        result.benchmark,
        `"${ref.benchmark}" (the benchmark folder it is stored in)`,
      );
    }
    return result;
  }

  async baseline(
    benchmark: string,
    envKey: string,
    n = DEFAULT_BASELINE_SIZE,
    opts: { include?: 'main' | 'all' } = {},
  ): Promise<ResultFile[]> {
    const refs = (await this.list(benchmark, envKey, { include: opts.include ?? 'main' })).slice(0, Math.max(0, n));
    return Promise.all(refs.map((r) => this.get(r)));
  }

  async prune(benchmark: string, envKey: string, keep = DEFAULT_BASELINE_SIZE): Promise<{ archived: StoredRef[] }> {
    if (!Number.isInteger(keep) || keep < 0) {
      throw new InvalidInputError('baseline prune', 'keep', keep, 'an integer >= 0');
    }
    checkBenchmarkName(benchmark);
    checkEnvKey(envKey);
    const infos = await this.backend.list(`${benchmark}/${envKey}/`);
    const generations = new Map(infos.map((i) => [i.key, i.generation]));
    const lineages = new Map<string, StoredRef[]>();
    for (const ref of this.refsOf(infos)) {
      const id = ref.branch ?? '';
      lineages.set(id, [...(lineages.get(id) ?? []), ref]);
    }
    const archived: StoredRef[] = [];
    for (const refs of lineages.values()) {
      for (const ref of refs.sort(compareNewestFirst).slice(keep)) {
        archived.push(await this.moveToArchive(ref, generations.get(ref.key)));
      }
    }
    return { archived: archived.sort(compareNewestFirst) };
  }

  async archive(key: string): Promise<StoredRef> {
    const ref = parseKey(key, (k) => this.backend.locate(k));
    if (!ref || ref.archived) {
      throw new InvalidInputError('baseline archive', 'key', key, 'a live result key as `baseline list` prints it');
    }
    const info = (await this.backend.list(key.slice(0, key.lastIndexOf('/') + 1))).find((i) => i.key === key);
    if (!info)
      throw new StoreError('STORE_NOT_FOUND', `baseline store: no result ${this.backend.locate(key)}`, { key });
    return this.moveToArchive(ref, info.generation);
  }

  /** Copy, check the copy holds the same bytes, and only then delete the original. */
  private async moveToArchive(ref: StoredRef, generation: string | undefined): Promise<StoredRef> {
    const first = archiveKeyOf(ref.key);
    const sourceHash = await this.backend.hashOf(ref.key);
    for (let seq = ref.seq; seq < ref.seq + MAX_NAME_ATTEMPTS; seq++) {
      const target = withSeq(first, seq);
      await this.backend.copyNew(ref.key, target);
      // Whether just created or left by an earlier, interrupted prune: same bytes = safe to delete.
      if ((await this.backend.hashOf(target)) === sourceHash) {
        await this.backend.remove(ref.key, generation);
        const moved = parseKey(target, (k) => this.backend.locate(k));
        if (!moved) throw new Error(`internal: archive key the layout cannot parse: ${target}`);
        return moved;
      }
    }
    throw new StoreError('STORE_NAME_EXHAUSTED', `baseline store: no free archive name for ${ref.location}`, {
      key: ref.key,
    });
  }

  private refsOf(infos: ObjectInfo[]): StoredRef[] {
    const refs: StoredRef[] = [];
    for (const info of infos) {
      const ref = parseKey(info.key, (k) => this.backend.locate(k));
      if (ref) refs.push(ref);
    }
    return refs;
  }
}

/** The result with its approval recorded; its PR number must be the approved PR's. */
function withApproval(result: ResultFile, approval: BaselineApproval): ResultFile {
  if (result.git.pr !== null && result.git.pr !== approval.pr) {
    throw new InvalidInputError(
      'result to store',
      'git.pr',
      result.git.pr,
      `${approval.pr} (the pull request whose results were approved)`,
    );
  }
  return { ...result, git: { ...result.git, pr: approval.pr }, baselineApproval: approval };
}

export type StoreSpec = { kind: 'folder'; path: string } | { kind: 'gcs'; bucket: string; prefix: string };

/** Bucket names: 3-63 characters of lowercase letters, digits, `-`, `_`, `.`; start and end alphanumeric. */
const BUCKET_RE = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/**
 * `gs://bucket[/prefix]` selects a bucket; `file:///abs/path` or any other string without a URL
 * scheme is a folder. Other schemes are refused rather than taken for folder names.
 */
export function parseStoreSpec(spec: string, source = 'baseline store'): StoreSpec {
  const allowed = 'gs://<bucket>[/<prefix>] or a folder path';
  const s = spec.trim();
  if (s === '') throw new InvalidInputError(source, 'store', spec, allowed);
  if (/^gs:/i.test(s)) {
    const m = /^gs:\/\/([^/]*)(?:\/(.*))?$/i.exec(s);
    if (!m) throw new InvalidInputError(source, 'store', spec, allowed, 'write gs://<bucket>/<prefix>');
    const bucket = m[1];
    if (!BUCKET_RE.test(bucket) || bucket.includes('..')) {
      throw new InvalidInputError(
        source,
        'store',
        spec,
        allowed,
        `bucket name "${bucket}" is not valid: 3-63 lowercase letters, digits, '-', '_', '.'`,
      );
    }
    const parts = (m[2] ?? '').split('/').filter((p) => p !== '');
    for (const p of parts) {
      if (p === '.' || p === '..' || !/^[A-Za-z0-9_.=-]+$/.test(p)) {
        throw new InvalidInputError(
          source,
          'store',
          spec,
          allowed,
          `prefix segment "${p}" must be letters, digits, '.', '_', '-', '='`,
        );
      }
    }
    return { kind: 'gcs', bucket, prefix: parts.join('/') };
  }
  if (/^file:/i.test(s)) {
    try {
      return { kind: 'folder', path: fileURLToPath(s) };
    } catch (e) {
      throw new InvalidInputError(source, 'store', spec, allowed, (e as Error).message);
    }
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s)) {
    throw new InvalidInputError(source, 'store', spec, allowed, 'only gs:// buckets and folders are supported');
  }
  return { kind: 'folder', path: path.resolve(s) };
}

export interface OpenStoreOptions {
  /** Where the spec came from (a flag, a config key), for error messages. */
  source?: string;
  /** Which environment fields make the key (default kernel, collectionMethod, cpus, arch). */
  envKeyFields?: readonly EnvKeyField[];
  /** Options for gs:// stores (endpoint, retries, an injected Storage client). */
  gcs?: GcsStoreOptions;
}

/** Opens the store a spec names. Opening does no I/O; the first operation reports access problems. */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<BaselineStore> {
  const parsed = parseStoreSpec(spec, options.source);
  if (parsed.kind === 'folder') {
    return new ObjectBaselineStore(new FolderBackend(parsed.path), options.envKeyFields);
  }
  // Loaded on demand: folder users should not pay for loading the Google client.
  const { GcsBackend } = await import('./gcs-store.js');
  return new ObjectBaselineStore(new GcsBackend(parsed.bucket, parsed.prefix, options.gcs), options.envKeyFields);
}
