/**
 * The baseline update the plan allows: results from the default branch (push, nightly, a manual
 * refresh) join the baseline as they are; an approved PR's candidate arm joins it with the PR
 * number and the approver recorded in the stored file. Nothing is stored unless the plan says so.
 */
import type { BaselineStore, PutResult } from '../baseline/store.js';
import type { BaselineApproval, ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import type { MachineArtifacts } from './artifacts.js';
import type { CiPlan } from './plan.js';

export interface StoredForMachine {
  machine: string;
  file: string;
  stored: PutResult;
}

export interface BaselineMove {
  approval: BaselineApproval | null;
  stored: StoredForMachine[];
}

function approvalOf(plan: CiPlan, now: string): BaselineApproval | null {
  if (plan.pr === null) return null;
  if (!plan.approvedBy || !plan.approverRole) {
    throw new InvalidInputError(
      'ci plan',
      'approvedBy',
      plan.approvedBy,
      'the maintainer who approved PR results (the plan names one)',
    );
  }
  return { pr: plan.pr, approvedBy: plan.approvedBy, role: plan.approverRole, approvedAt: now };
}

export async function updateBaselineFromArtifacts(
  store: BaselineStore,
  machines: readonly MachineArtifacts[],
  plan: CiPlan,
  now = new Date().toISOString(),
): Promise<BaselineMove> {
  if (!plan.updateBaseline) {
    throw new InvalidInputError(
      'ci plan',
      'updateBaseline',
      false,
      'true (the plan decides whether the baseline moves)',
      plan.reason,
    );
  }
  const approval = approvalOf(plan, now);
  const stored: StoredForMachine[] = [];
  for (const m of machines) {
    for (const r of m.results) {
      // A PR's A/B file: only the candidate arm (the PR's code) is evidence of the new behaviour.
      const result: ResultFile = r.arms ? r.arms.candidate : r.result;
      const put = approval
        ? await store.put(result, { fromMain: false, approval })
        : await store.put(result, { fromMain: true });
      stored.push({ machine: m.machine, file: r.file, stored: put });
    }
  }
  return { approval, stored };
}

/** The Markdown section the comment and the job summary get once the baseline moved. */
export function baselineMovedNote(move: BaselineMove, storeLocation: string): string {
  const who = move.approval
    ? `Results of PR #${move.approval.pr}, approved by @${move.approval.approvedBy} (${move.approval.role}), now count in the baseline`
    : 'These results now count in the baseline';
  const lines = move.stored.map(
    (s) => `- ${s.machine}: \`${s.stored.key}\`${s.stored.deduplicated ? ' (already stored)' : ''}`,
  );
  return [
    '### Baseline moved',
    '',
    `${who} (${storeLocation}):`,
    '',
    ...lines,
    '',
    'To undo one: `collector-bench baseline archive --key <key>` (moved to the archive, never deleted).',
  ].join('\n');
}
