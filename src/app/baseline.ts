/** Adding results to the baseline store, and who says they count (from main, or a maintainer's approval). */
import { baselineUpdate, isMainRef } from '../baseline/commands.js';
import type { BaselineApproval } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { gitInfo } from '../run/git-info.js';

/** Listing, pruning and archiving are the store's own operations, used as they are. */
export { baselineArchive, baselineList, baselinePrune, formatBaselineListing } from '../baseline/commands.js';

/** A result is "from main" when asked explicitly, or when it was measured on main's ref (the anchor compared `github.ref` with `master` and never matched). */
export function isFromMain(explicit: boolean | undefined, ref: string | null): boolean {
  return explicit ?? isMainRef(ref);
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

export interface UpdateRequest {
  baseline: string;
  results: string;
  fromMain?: boolean;
  keep?: string;
  approvedBy?: string;
  pr?: string;
}

/** Stores a results file; returns what was stored and one line that says whether it counts. */
export async function updateBaseline(opts: UpdateRequest) {
  const approval = approvalFromFlags(opts);
  const fromMain = approval ? false : isFromMain(opts.fromMain, gitInfo().ref);
  const outcome = await baselineUpdate(opts.baseline, opts.results, {
    fromMain,
    approval,
    keep: opts.keep === undefined ? undefined : Number(opts.keep),
  });
  const line = `${outcome.stored.deduplicated ? 'already stored' : 'stored'}: ${outcome.stored.key} (${approval ? `PR #${approval.pr} approved by ${approval.approvedBy}: part of the baseline` : fromMain ? 'from main: part of the baseline' : 'not from main: kept beside the baseline'}) in ${outcome.store}`;
  return { outcome, line };
}
