/** `collector-bench baseline list|update|prune`: printing around the store's plain functions. */
import {
  baselineList,
  baselinePrune,
  baselineUpdate,
  formatBaselineListing,
  isMainRef,
} from '../../baseline/commands.js';
import { gitInfo } from '../../run/git-info.js';
import { info } from '../output.js';

/** A result is "from main" when asked explicitly, or when it was measured on main's ref (the anchor compared `github.ref` with `master` and never matched). */
export function isFromMain(explicit: boolean | undefined, ref: string | null): boolean {
  return explicit ?? isMainRef(ref);
}

export async function baselineListCommand(opts: {
  baseline: string;
  benchmark: string;
  envKey?: string;
  json?: boolean;
}): Promise<number> {
  const listing = await baselineList(opts.baseline, opts.benchmark, opts.envKey);
  if (opts.json) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
  else info(formatBaselineListing(listing));
  return 0;
}

export async function baselineUpdateCommand(opts: {
  baseline: string;
  results: string;
  fromMain?: boolean;
  keep?: string;
  json?: boolean;
}): Promise<number> {
  const fromMain = isFromMain(opts.fromMain, gitInfo().ref);
  const outcome = await baselineUpdate(opts.baseline, opts.results, {
    fromMain,
    keep: opts.keep === undefined ? undefined : Number(opts.keep),
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else {
    info(
      `${outcome.stored.deduplicated ? 'already stored' : 'stored'}: ${outcome.stored.key} (${fromMain ? 'from main: part of the baseline' : 'not from main: kept beside the baseline'}) in ${outcome.store}`,
    );
    if (outcome.archived.length) info(`archived ${outcome.archived.length} older result(s)`);
  }
  return 0;
}

export async function baselinePruneCommand(opts: {
  baseline: string;
  benchmark: string;
  keep?: string;
  json?: boolean;
}): Promise<number> {
  const outcome = await baselinePrune(opts.baseline, opts.benchmark, opts.keep === undefined ? 10 : Number(opts.keep));
  if (opts.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else for (const g of outcome.groups) info(`${g.envKey}: archived ${g.archived.length}`);
  return 0;
}
