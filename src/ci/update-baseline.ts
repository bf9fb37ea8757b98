/**
 * The baseline update the plan allows: results from the default branch (push, nightly, a manual
 * refresh) join the baseline as they are; an approved PR's candidate arm joins it with the PR
 * number and the approver recorded in the stored file. Nothing is stored unless the plan says so.
 */
import type { BaselineStore, PutResult } from '../baseline/store.js';
import type { BaselineApproval, ResultFile } from '../contracts/result.js';
import { InvalidInputError, StoreError } from '../errors.js';
import { markdownCode, markdownText } from '../report/escape.js';
import type { MachineArtifacts } from './artifacts.js';
import type { CiPlan } from './plan.js';
import { checkPlannedMachines } from './machines.js';

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

/** One results file the approval covers: validated, waiting to be written. */
export interface StoreItem {
  machine: string;
  file: string;
  result: ResultFile;
}

/**
 * What the approval covers, decided before anything is written: results of the approved head
 * commit only, from the plan's machines and the trusted config's benchmarks, finished, ONE file per
 * machine and benchmark. Anything else in the artifacts refuses the whole update (exit 2): one
 * approval must not store whatever else the run wrote.
 */
export function baselineSelection(
  machines: readonly MachineArtifacts[],
  plan: CiPlan,
  benchmarks: readonly string[],
): StoreItem[] {
  if (!plan.updateBaseline) {
    throw new InvalidInputError(
      'ci plan',
      'updateBaseline',
      false,
      'true (the plan decides whether the baseline moves)',
      plan.reason,
    );
  }
  const items: StoreItem[] = [];
  const seen = new Set<string>();
  for (const m of checkPlannedMachines([...machines], plan)) {
    for (const r of m.results) {
      // A PR's A/B file: only the candidate arm (the PR's code) is evidence of the new behaviour.
      const result: ResultFile = r.arms ? r.arms.candidate : r.result;
      if (!benchmarks.includes(result.benchmark)) {
        throw new InvalidInputError(
          r.file,
          'benchmark',
          result.benchmark,
          `one of the configured benchmarks: ${benchmarks.join(', ')}`,
        );
      }
      if (plan.headSha !== null && result.git.sha !== plan.headSha) {
        throw new InvalidInputError(
          r.file,
          'git.sha',
          result.git.sha,
          `${plan.headSha} (the commit the plan approved)`,
        );
      }
      if (plan.pr !== null && result.git.pr !== null && result.git.pr !== plan.pr) {
        throw new InvalidInputError(r.file, 'git.pr', result.git.pr, `${plan.pr} (the pull request the plan approved)`);
      }
      if (!result.complete) {
        throw new InvalidInputError(r.file, 'complete', false, 'true (only finished benchmarks are stored)');
      }
      const key = `${m.machine}/${result.benchmark}`;
      if (seen.has(key)) {
        throw new InvalidInputError(
          r.file,
          'benchmark',
          result.benchmark,
          `one results file of "${result.benchmark}" per machine (${m.machine} has several)`,
        );
      }
      seen.add(key);
      items.push({ machine: m.machine, file: r.file, result });
    }
  }
  return items;
}

/** A write failed part-way: what was stored, what was taken back (archived), and what was never written. */
export class PartialBaselineError extends StoreError {
  constructor(
    readonly stored: StoredForMachine[],
    readonly rolledBack: string[],
    readonly notRolledBack: string[],
    readonly notWritten: string[],
    cause: unknown,
  ) {
    super(
      'BASELINE_PARTIAL',
      `baseline update failed (${(cause as Error).message}): ${stored.length} written before the failure` +
        `${rolledBack.length ? `, moved back to the archive: ${rolledBack.join(', ')}` : ''}` +
        `${notRolledBack.length ? `; STILL STORED (archive by hand): ${notRolledBack.join(', ')}` : ''}` +
        `${notWritten.length ? `; not written: ${notWritten.join(', ')}` : ''}`,
      { stored: stored.map((s) => s.stored.key), rolledBack, notRolledBack, notWritten },
      { cause },
    );
    this.name = 'PartialBaselineError';
  }
}

/**
 * Writes the selection, all or nothing: when a write fails, what this attempt stored is moved to
 * the archive (never deleted) and the error says exactly what was stored, undone and left.
 */
export async function storeSelection(
  store: BaselineStore,
  items: readonly StoreItem[],
  plan: CiPlan,
  now = new Date().toISOString(),
): Promise<BaselineMove> {
  const approval = approvalOf(plan, now);
  const stored: StoredForMachine[] = [];
  for (const [i, item] of items.entries()) {
    try {
      const put = approval
        ? await store.put(item.result, { fromMain: false, approval })
        : await store.put(item.result, { fromMain: true });
      stored.push({ machine: item.machine, file: item.file, stored: put });
    } catch (e) {
      const rolledBack: string[] = [];
      const notRolledBack: string[] = [];
      for (const s of stored.filter((x) => !x.stored.deduplicated)) {
        try {
          rolledBack.push((await store.archive(s.stored.key)).key);
        } catch {
          notRolledBack.push(s.stored.key);
        }
      }
      throw new PartialBaselineError(
        stored,
        rolledBack,
        notRolledBack,
        items.slice(i).map((x) => x.file),
        e,
      );
    }
  }
  return { approval, stored };
}

/** The Markdown section the comment and the job summary get once the baseline moved. */
export function baselineMovedNote(move: BaselineMove, storeLocation: string): string {
  // The approver is named, not mentioned: a comment must not notify anyone.
  const who = move.approval
    ? `Results of PR #${move.approval.pr}, approved by ${markdownText(`@${move.approval.approvedBy}`)} (${move.approval.role}), now count in the baseline`
    : 'These results now count in the baseline';
  const lines = move.stored.map(
    (s) =>
      `- ${markdownText(s.machine)}: ${markdownCode(s.stored.key)}${s.stored.deduplicated ? ' (already stored)' : ''}`,
  );
  return [
    '### Baseline moved',
    '',
    `${who} (${markdownText(storeLocation)}):`,
    '',
    ...lines,
    '',
    'To undo one: `collector-bench baseline archive --key <key>` (moved to the archive, never deleted).',
  ].join('\n');
}

/** The section the comment and the job summary get when the baseline did not move (refused or failed). */
export function baselineNotMovedNote(why: string): string {
  return [
    '### Baseline not moved',
    '',
    markdownText(why),
    '',
    `Apply \`update-baseline\` again once this is resolved (the label was removed: one approval counts once).`,
  ].join('\n');
}
