/** `collector-bench baseline list|update|prune`: printing around the store's plain functions. */
import {
  baselineArchive,
  baselineList,
  baselinePrune,
  baselineUpdate,
  formatBaselineListing,
  isMainRef,
} from '../../baseline/commands.js';
import type { BaselineApproval } from '../../contracts/result.js';
import { InvalidInputError } from '../../errors.js';
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
  approvedBy?: string;
  pr?: string;
  json?: boolean;
}): Promise<number> {
  const approval = approvalFromFlags(opts);
  const fromMain = approval ? false : isFromMain(opts.fromMain, gitInfo().ref);
  const outcome = await baselineUpdate(opts.baseline, opts.results, {
    fromMain,
    approval,
    keep: opts.keep === undefined ? undefined : Number(opts.keep),
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else {
    info(
      `${outcome.stored.deduplicated ? 'already stored' : 'stored'}: ${outcome.stored.key} (${approval ? `PR #${approval.pr} approved by ${approval.approvedBy}: part of the baseline` : fromMain ? 'from main: part of the baseline' : 'not from main: kept beside the baseline'}) in ${outcome.store}`,
    );
    if (outcome.archived.length) info(`archived ${outcome.archived.length} older result(s)`);
  }
  return 0;
}

/** `--approved-by <login> --pr <n>`: a maintainer accepts a PR's results by hand (CI does it for the update-baseline label). */
function approvalFromFlags(opts: { approvedBy?: string; pr?: string }): BaselineApproval | undefined {
  if (opts.approvedBy === undefined && opts.pr === undefined) return undefined;
  const pr = Number(opts.pr);
  if (!opts.approvedBy)
    throw new InvalidInputError(
      'flag --approved-by',
      'approvedBy',
      opts.approvedBy,
      'the login of the maintainer who approves (with --pr)',
    );
  if (!Number.isInteger(pr) || pr < 1)
    throw new InvalidInputError('flag --pr', 'pr', opts.pr, 'the approved pull request number (with --approved-by)');
  return { pr, approvedBy: opts.approvedBy, role: 'manual', approvedAt: new Date().toISOString() };
}

export async function baselineArchiveCommand(opts: { baseline: string; key: string; json?: boolean }): Promise<number> {
  const moved = await baselineArchive(opts.baseline, opts.key);
  if (opts.json) process.stdout.write(`${JSON.stringify(moved, null, 2)}\n`);
  else info(`archived: ${opts.key} -> ${moved.key} (it no longer counts; move it back by hand to undo)`);
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
