/**
 * Which stored results a candidate is compared with: the newest results that count (from main, or
 * approved PRs) of its benchmark and environment key, never the candidate itself.
 */
import type { ResultFile } from '../contracts/result.js';
import { DEFAULT_BASELINE_SIZE, type BaselineStore, type StoredRef } from './store.js';
import { shortSha } from './layout.js';

export interface SelectedBaseline {
  envKey: string;
  refs: StoredRef[];
  results: ResultFile[];
}

export async function selectBaseline(
  store: BaselineStore,
  candidate: ResultFile,
  n = DEFAULT_BASELINE_SIZE,
): Promise<SelectedBaseline> {
  const envKey = store.envKeyOf(candidate);
  // A result already stored (e.g. compared again after `baseline update`) must not be its own baseline.
  const self = (r: StoredRef) =>
    Date.parse(r.createdAt) === Date.parse(candidate.createdAt) && r.sha === shortSha(candidate.git.sha);
  const refs = (await store.list(candidate.benchmark, envKey, { include: 'main' })).filter((r) => !self(r)).slice(0, n);
  const results = await Promise.all(refs.map((r) => store.get(r)));
  return { envKey, refs, results };
}
