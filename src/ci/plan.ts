/**
 * `collector-bench ci plan`: what CI should do for one event, decided in one tested place so that
 * the workflows only follow it and any event file can be rehearsed locally.
 *
 * - pull_request (opened, reopened, synchronize, labeled): benchmark in A/B mode while the PR
 *   carries `run-benchmark` (or `update-baseline`, which needs fresh results). A `labeled` event
 *   for any other label starts nothing: it would re-run the same commit.
 * - push to the default branch, schedule, workflow_dispatch on the default branch: history mode;
 *   their results extend the baseline (a dispatch needs write access, so it is a refresh).
 * - workflow_run (the report workflow): nothing to benchmark; finds the PR through the API,
 *   never through the payload or the artifacts, and decides the comment and the baseline update.
 * A PR's results move the baseline only when the person who last applied `update-baseline` has
 * write, maintain or admin permission (asked of the API), applied it after this head commit was
 * pushed, and the head is still that commit.
 */
import { isMainRef } from '../baseline/commands.js';
import type { GitHubClient, GitHubRepo } from '../github/client.js';
import { collaboratorRole, mayUpdateBaseline, type RepoRole } from '../github/permission.js';
import { findPullForCommit, type PullFacts } from '../github/pulls.js';
import { labelOnHead } from '../github/timeline.js';
import { isSupportedEvent, parseEvent, type ActionsContext } from './event.js';
import { machineMatrix, type MachineMatrix } from './machines.js';

export const RUN_LABEL = 'run-benchmark';
export const UPDATE_LABEL = 'update-baseline';
const PR_ACTIONS = ['opened', 'reopened', 'synchronize', 'labeled'];

export interface CiPlan {
  benchmark: boolean;
  mode: 'ab' | 'history' | null;
  comment: boolean;
  updateBaseline: boolean;
  reason: string;
  /** The event that started the benchmark (for workflow_run: the benchmark workflow's event). */
  trigger: string;
  pr: number | null;
  headSha: string | null;
  baseSha: string | null;
  fork: boolean;
  /** Login of the maintainer whose label lets this PR's results count in the baseline. */
  approvedBy: string | null;
  approverRole: RepoRole | null;
  /** The machines of the benchmark matrix: the only ones whose results are reported or stored. */
  matrix: MachineMatrix;
}

type Decision = Omit<CiPlan, 'matrix'>;

function plan(fields: Partial<Decision> & Pick<Decision, 'reason' | 'trigger'>): Decision {
  return {
    benchmark: false,
    mode: null,
    comment: false,
    updateBaseline: false,
    pr: null,
    headSha: null,
    baseSha: null,
    fork: false,
    approvedBy: null,
    approverRole: null,
    ...fields,
  };
}

interface Approval {
  ok: boolean;
  reason: string;
  approvedBy: string | null;
  role: RepoRole | null;
}

/** Whether `login` may accept this PR's results; the role is always asked of the API. */
async function checkApprover(client: GitHubClient | null, repo: GitHubRepo, login: string): Promise<Approval> {
  if (!client)
    return { ok: false, reason: `no GITHUB_TOKEN to check ${login}'s permission`, approvedBy: null, role: null };
  const role = await collaboratorRole(client, repo, login);
  if (!mayUpdateBaseline(role)) {
    return {
      ok: false,
      reason: `${UPDATE_LABEL} was applied by ${login} (${role}); only write, maintain or admin moves the baseline`,
      approvedBy: null,
      role,
    };
  }
  return { ok: true, reason: `${UPDATE_LABEL} applied by ${login} (${role})`, approvedBy: login, role };
}

/** The labeller of `update-baseline` as the API records it, checked against the head commit. */
async function approvalFromApi(
  client: GitHubClient | null,
  repo: GitHubRepo,
  pull: { number: number; headSha: string },
  runCreatedAt: string | null,
): Promise<Approval> {
  if (!client)
    return { ok: false, reason: 'no GITHUB_TOKEN to ask who applied the label', approvedBy: null, role: null };
  // The approval covers the commit the maintainer saw, as this PR's own timeline records it.
  const labelled = await labelOnHead(client, repo, pull.number, UPDATE_LABEL, pull.headSha);
  if (!labelled.ok) {
    // Only a label the timeline ties to this head names someone worth asking about.
    return { ok: false, reason: labelled.reason, approvedBy: null, role: null };
  }
  const labeller = labelled;
  const approver = await checkApprover(client, repo, labeller.login);
  if (!approver.ok) return approver;
  if (runCreatedAt !== null && Date.parse(runCreatedAt) < Date.parse(labeller.at)) {
    return {
      ok: false,
      reason: `this benchmark run started before ${UPDATE_LABEL} was applied; the run the label started will update the baseline`,
      approvedBy: null,
      role: approver.role,
    };
  }
  return approver;
}

function prPlan(
  trigger: string,
  pull: Omit<PullFacts, 'state' | 'headRef' | 'headRepo' | 'baseRef'>,
): Pick<Decision, 'trigger' | 'pr' | 'headSha' | 'baseSha' | 'fork'> {
  return { trigger, pr: pull.number, headSha: pull.headSha, baseSha: pull.baseSha, fork: pull.fork };
}

async function planPullRequest(ctx: ActionsContext, client: GitHubClient | null): Promise<Decision> {
  const ev = parseEvent('pull_request', ctx.payload, ctx.eventPath);
  const pr = ev.pull_request;
  const labels = pr.labels.map((l) => l.name);
  const fork = (pr.head.repo?.full_name ?? '').toLowerCase() !== pr.base.repo.full_name.toLowerCase();
  const base = prPlan('pull_request', {
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    labels,
    fork,
  });
  if (!PR_ACTIONS.includes(ev.action)) {
    return plan({ ...base, trigger: 'pull_request', reason: `pull_request action "${ev.action}" starts no benchmark` });
  }
  if (ev.action === 'labeled' && ev.label && ev.label.name !== RUN_LABEL && ev.label.name !== UPDATE_LABEL) {
    return plan({
      ...base,
      trigger: 'pull_request',
      reason: `label "${ev.label.name}" starts no benchmark (only ${RUN_LABEL} and ${UPDATE_LABEL} do)`,
    });
  }
  const wantsUpdate = labels.includes(UPDATE_LABEL);
  if (!labels.includes(RUN_LABEL) && !wantsUpdate) {
    return plan({ ...base, trigger: 'pull_request', reason: `PR #${pr.number} does not carry ${RUN_LABEL}` });
  }
  const forkNote = fork
    ? ` from fork ${pr.head.repo?.full_name ?? '(deleted)'} (results reported by benchmark-report)`
    : '';
  let approval: Approval = { ok: false, reason: `no ${UPDATE_LABEL} label`, approvedBy: null, role: null };
  if (wantsUpdate) {
    // On the labeled event itself the sender is the labeller (GitHub sets it); otherwise ask the API.
    approval =
      ev.action === 'labeled' && ev.label?.name === UPDATE_LABEL
        ? await checkApprover(client, ctx.repo, ev.sender.login)
        : await approvalFromApi(client, ctx.repo, { number: pr.number, headSha: pr.head.sha }, null);
  }
  return plan({
    ...base,
    trigger: 'pull_request',
    benchmark: true,
    mode: 'ab',
    comment: true,
    updateBaseline: approval.ok,
    approvedBy: approval.approvedBy,
    approverRole: approval.role,
    reason: `PR #${pr.number} carries ${wantsUpdate && !labels.includes(RUN_LABEL) ? UPDATE_LABEL : RUN_LABEL}${forkNote}: A/B of base ${pr.base.sha.slice(0, 7)} and head ${pr.head.sha.slice(0, 7)}; baseline: ${approval.reason}`,
  });
}

function defaultBranchOf(payload: unknown): string {
  return (payload as { repository?: { default_branch?: string } }).repository?.default_branch ?? 'main';
}

async function planWorkflowRun(ctx: ActionsContext, client: GitHubClient | null): Promise<Decision> {
  const ev = parseEvent('workflow_run', ctx.payload, ctx.eventPath);
  const run = ev.workflow_run;
  const trigger = run.event;
  const defaultBranch = defaultBranchOf(ctx.payload);
  if (ev.action !== 'completed')
    return plan({ trigger, reason: `workflow_run action "${ev.action}": waiting for completion` });
  if (run.conclusion !== 'success') {
    return plan({
      trigger,
      headSha: run.head_sha,
      reason: `the benchmark run concluded "${run.conclusion}": nothing to report`,
    });
  }
  if (trigger === 'push' || trigger === 'schedule' || trigger === 'workflow_dispatch') {
    const onDefault = run.head_branch === defaultBranch;
    return plan({
      trigger,
      mode: 'history',
      headSha: run.head_sha,
      updateBaseline: onDefault,
      reason: onDefault
        ? `${trigger} on ${defaultBranch}: compare with the stored history and add the results to the baseline`
        : `${trigger} on ${run.head_branch ?? '(no branch)'}, not ${defaultBranch}: compare only`,
    });
  }
  if (trigger !== 'pull_request')
    return plan({ trigger, reason: `benchmark run from "${trigger}": nothing to report` });
  if (!client) return plan({ trigger, headSha: run.head_sha, reason: 'no GITHUB_TOKEN to find the pull request' });
  const pull = await findPullForCommit(client, ctx.repo, {
    headSha: run.head_sha,
    prNumbers: run.pull_requests.map((p) => p.number),
    headOwner: run.head_repository?.owner.login ?? null,
    headBranch: run.head_branch,
  });
  if (!pull) {
    return plan({
      trigger,
      headSha: run.head_sha,
      reason: `no open pull request has head ${run.head_sha.slice(0, 7)} any more (pushed again or closed): nothing to report`,
    });
  }
  if (!pull.labels.includes(RUN_LABEL) && !pull.labels.includes(UPDATE_LABEL)) {
    // The benchmark workflow of a PR runs the PR's own workflow file, which may skip the label
    // check; the labels asked of the API here decide whether the PR hears from us at all.
    return plan({
      ...prPlan(trigger, pull),
      reason: `PR #${pull.number} carries neither ${RUN_LABEL} nor ${UPDATE_LABEL} (asked of the API): no report`,
    });
  }
  const approval = pull.labels.includes(UPDATE_LABEL)
    ? await approvalFromApi(client, ctx.repo, pull, run.created_at)
    : { ok: false, reason: `no ${UPDATE_LABEL} label`, approvedBy: null, role: null };
  return plan({
    ...prPlan(trigger, pull),
    mode: 'ab',
    comment: true,
    updateBaseline: approval.ok,
    approvedBy: approval.approvedBy,
    approverRole: approval.role,
    reason: `report for PR #${pull.number}${pull.fork ? ' (fork)' : ''}; baseline: ${approval.reason}`,
  });
}

/** The plan for one event, with the machine matrix from BENCHMARK_MACHINES (`machines`). */
export async function planFor(ctx: ActionsContext, client: GitHubClient | null, machines?: string): Promise<CiPlan> {
  const matrix = machineMatrix(machines);
  return { ...(await decide(ctx, client)), matrix };
}

async function decide(ctx: ActionsContext, client: GitHubClient | null): Promise<Decision> {
  const name = ctx.eventName;
  if (!isSupportedEvent(name)) return plan({ trigger: name, reason: `event "${name}" starts no benchmark` });
  switch (name) {
    case 'pull_request':
      return planPullRequest(ctx, client);
    case 'workflow_run':
      return planWorkflowRun(ctx, client);
    case 'push': {
      const ev = parseEvent('push', ctx.payload, ctx.eventPath);
      const main = defaultBranchOf(ctx.payload);
      if (!isMainRef(ev.ref, [main]))
        return plan({ trigger: name, headSha: ev.after, reason: `push to ${ev.ref}, not ${main}` });
      return plan({
        trigger: name,
        benchmark: true,
        mode: 'history',
        headSha: ev.after,
        updateBaseline: true,
        reason: `push to ${main}: benchmark, compare with the stored history, extend the baseline`,
      });
    }
    case 'schedule':
      parseEvent('schedule', ctx.payload, ctx.eventPath);
      return plan({
        trigger: name,
        benchmark: true,
        mode: 'history',
        updateBaseline: true,
        reason: 'nightly: benchmark the default branch, compare with the stored history, extend the baseline',
      });
    case 'workflow_dispatch': {
      const ev = parseEvent('workflow_dispatch', ctx.payload, ctx.eventPath);
      const main = defaultBranchOf(ctx.payload);
      const onMain = isMainRef(ev.ref, [main]);
      return plan({
        trigger: name,
        benchmark: true,
        mode: 'history',
        updateBaseline: onMain,
        reason: onMain
          ? `manual run on ${main} by ${ev.sender.login}: a baseline refresh`
          : `manual run on ${ev.ref}: compare only (only ${main} extends the baseline)`,
      });
    }
  }
}
