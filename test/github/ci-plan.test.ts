/**
 * `collector-bench ci plan` for every sample event (GitHub's example payloads, adjusted per case
 * by scripts/fixtures/make-events.ts), run as the CLI the workflows call, with the real Octokit
 * asking the fake GitHub for permissions, pull requests, label events and workflow runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS } from '../../scripts/fixtures/make-events.js';
import { actionsContextFromEnv } from '../../src/ci/event.js';
import { planFor, type CiPlan } from '../../src/ci/plan.js';
import { createGitHubClient } from '../../src/github/client.js';
import { FakeGitHub } from '../fakes/github/server.js';
import { cli, EVENTS, eventEnv } from './cli.js';

const REPO = 'Codertocat/Hello-World';
const TOKEN = 'ghs_workflow_token';

function event(name: string): {
  pull_request: { number: number; head: { sha: string; ref: string }; base: { sha: string; ref: string } };
} {
  return JSON.parse(readFileSync(join(EVENTS, `${name}.json`), 'utf8'));
}

/** The plan as the CLI prints it: in a child process, one JSON object on stdout. */
async function planByCli(fake: FakeGitHub, name: string, token: string | null = TOKEN): Promise<CiPlan> {
  const r = await cli(['ci', 'plan'], eventEnv(name, fake.url, token ?? undefined));
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1); // one JSON object, nothing else on stdout
  return JSON.parse(lines[0]) as CiPlan;
}

/** The same decision in this process (the CLI's start-up costs seconds on a loaded machine). */
async function plan(fake: FakeGitHub, name: string, token: string | null = TOKEN): Promise<CiPlan> {
  const env = eventEnv(name, fake.url, token ?? undefined);
  const client = token ? createGitHubClient({ token, baseUrl: fake.url, retries: 0 }) : null;
  return planFor(actionsContextFromEnv(env), client);
}

function seedRoles(fake: FakeGitHub): void {
  fake.addToken(TOKEN, 'github-actions[bot]', 'write');
  fake.setPermission(REPO, USERS.maintainer, 'maintain');
  fake.setPermission(REPO, USERS.reader, 'read');
  fake.setPermission(REPO, USERS.triager, 'triage');
}

describe('ci plan on the benchmark workflow (pull_request, push, schedule, workflow_dispatch)', () => {
  const fake = new FakeGitHub();
  beforeAll(async () => {
    await fake.start();
    seedRoles(fake);
  });
  afterAll(() => fake.stop());

  const cases: Array<[string, Pick<CiPlan, 'benchmark' | 'mode' | 'comment' | 'updateBaseline'>, RegExp]> = [
    [
      'pull_request.opened-without-label',
      { benchmark: false, mode: null, comment: false, updateBaseline: false },
      /does not carry run-benchmark/,
    ],
    [
      'pull_request.labeled-run-benchmark',
      { benchmark: true, mode: 'ab', comment: true, updateBaseline: false },
      /carries run-benchmark: A\/B of base f95f852 and head ec26c3e/,
    ],
    [
      'pull_request.labeled-without-run-benchmark',
      { benchmark: false, mode: null, comment: false, updateBaseline: false },
      /label "bug" starts no benchmark/,
    ],
    [
      'pull_request.labeled-unrelated',
      { benchmark: false, mode: null, comment: false, updateBaseline: false },
      /label "documentation" starts no benchmark/,
    ],
    [
      'pull_request.synchronize-with-label',
      { benchmark: true, mode: 'ab', comment: true, updateBaseline: false },
      /carries run-benchmark/,
    ],
    [
      'pull_request.synchronize-without-label',
      { benchmark: false, mode: null, comment: false, updateBaseline: false },
      /does not carry run-benchmark/,
    ],
    [
      'pull_request.reopened-with-label',
      { benchmark: true, mode: 'ab', comment: true, updateBaseline: false },
      /carries run-benchmark/,
    ],
    [
      'pull_request.closed-with-label',
      { benchmark: false, mode: null, comment: false, updateBaseline: false },
      /action "closed" starts no benchmark/,
    ],
    [
      'pull_request.fork-synchronize-with-label',
      { benchmark: true, mode: 'ab', comment: true, updateBaseline: false },
      /from fork fork-fiona\/Hello-World/,
    ],
    [
      'pull_request.update-baseline-by-reader',
      { benchmark: true, mode: 'ab', comment: true, updateBaseline: false },
      /applied by reader-rita \(read\); only write, maintain or admin/,
    ],
    [
      'pull_request.update-baseline-by-triager',
      { benchmark: true, mode: 'ab', comment: true, updateBaseline: false },
      /applied by triage-tom \(triage\)/,
    ],
    [
      'pull_request.update-baseline-by-maintainer',
      { benchmark: true, mode: 'ab', comment: true, updateBaseline: true },
      /applied by maintainer-max \(maintain\)/,
    ],
    [
      'push.default-branch',
      { benchmark: true, mode: 'history', comment: false, updateBaseline: true },
      /push to master: benchmark/,
    ],
    [
      'push.tag',
      { benchmark: false, mode: null, comment: false, updateBaseline: false },
      /push to refs\/tags\/simple-tag, not master/,
    ],
    ['schedule', { benchmark: true, mode: 'history', comment: false, updateBaseline: true }, /nightly/],
    [
      'workflow_dispatch.default-branch',
      { benchmark: true, mode: 'history', comment: false, updateBaseline: true },
      /manual run on main .* baseline refresh/,
    ],
  ];

  it.each(cases)('%s', async (name, expected, reason) => {
    const p = await plan(fake, name);
    expect({ benchmark: p.benchmark, mode: p.mode, comment: p.comment, updateBaseline: p.updateBaseline }).toEqual(
      expected,
    );
    expect(p.reason).toMatch(reason);
  });

  it('names the PR, its commits and whether it comes from a fork (as the CLI prints it)', async () => {
    const p = await planByCli(fake, 'pull_request.fork-synchronize-with-label');
    const e = event('pull_request.fork-synchronize-with-label');
    expect(p).toMatchObject({
      pr: e.pull_request.number,
      headSha: e.pull_request.head.sha,
      baseSha: e.pull_request.base.sha,
      fork: true,
    });
  });

  it('records who approved, and asked the API rather than the payload', async () => {
    const before = fake.requests.length;
    const p = await plan(fake, 'pull_request.update-baseline-by-maintainer');
    expect(p).toMatchObject({ approvedBy: USERS.maintainer, approverRole: 'maintain' });
    const asked = fake.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(asked).toContain(`GET /repos/${REPO}/collaborators/${USERS.maintainer}/permission`);
  });

  it('without a token nobody can be checked, so the baseline stays put', async () => {
    const p = await planByCli(fake, 'pull_request.update-baseline-by-maintainer', null);
    expect(p.benchmark).toBe(true);
    expect(p.updateBaseline).toBe(false);
    expect(p.reason).toMatch(/no GITHUB_TOKEN/);
  });

  it('a malformed event file is a typed error naming the file and key', async () => {
    const r = await cli(['ci', 'plan'], {
      ...eventEnv('push.tag', fake.url, TOKEN),
      GITHUB_EVENT_NAME: 'pull_request', // a push payload read as a pull_request
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/push\.tag\.json \(pull_request payload\): key "(action|number|pull_request)"/);
  });
});

describe('ci plan on the report workflow (workflow_run)', () => {
  let fake: FakeGitHub;
  const sync = event('pull_request.synchronize-with-label');
  const fork = event('pull_request.fork-synchronize-with-label');
  const head = sync.pull_request.head;

  beforeAll(async () => {
    fake = await new FakeGitHub().start();
    seedRoles(fake);
  });
  afterAll(() => fake.stop());

  function seedPull(opts: { labels: string[]; headRepo?: string }) {
    fake.addPull(REPO, {
      number: sync.pull_request.number,
      headSha: head.sha,
      headRef: head.ref,
      headRepo: opts.headRepo ?? REPO,
      baseRef: sync.pull_request.base.ref,
      baseSha: sync.pull_request.base.sha,
      labels: opts.labels,
    });
  }

  it('a PR run without update-baseline: comment in A/B mode, baseline untouched', async () => {
    seedPull({ labels: ['run-benchmark'] });
    const p = await planByCli(fake, 'workflow_run.pull_request');
    expect(p).toMatchObject({
      benchmark: false,
      mode: 'ab',
      comment: true,
      updateBaseline: false,
      pr: 2,
      headSha: head.sha,
    });
  });

  it('a fork PR run (no pull_requests in the payload) is found by owner:branch and head sha', async () => {
    seedPull({ labels: ['run-benchmark'], headRepo: `${USERS.forker}/Hello-World` });
    const p = await plan(fake, 'workflow_run.fork-pull_request');
    expect(p).toMatchObject({
      mode: 'ab',
      comment: true,
      updateBaseline: false,
      pr: 2,
      fork: true,
      headSha: fork.pull_request.head.sha,
    });
    expect(
      fake.requests.some((r) => r.path === `/repos/${REPO}/pulls` && r.query.head === `${USERS.forker}:${head.ref}`),
    ).toBe(true);
  });

  it('a PR pushed again since the run: nothing to report', async () => {
    seedPull({ labels: ['run-benchmark'] });
    fake.pull(REPO, 2)!.headSha = 'f'.repeat(40);
    const p = await plan(fake, 'workflow_run.pull_request');
    expect(p).toMatchObject({ comment: false, updateBaseline: false });
    expect(p.reason).toMatch(/no open pull request has head ec26c3e/);
  });

  it('update-baseline by a maintainer after the head was pushed, before the run: the baseline moves', async () => {
    seedPull({ labels: ['run-benchmark'] });
    fake.addWorkflowRun(REPO, { head_sha: head.sha, event: 'pull_request', created_at: '2026-01-10T12:00:00Z' });
    fake.label(REPO, 2, 'update-baseline', USERS.maintainer, '2026-01-10T12:10:00Z');
    const p = await plan(fake, 'workflow_run.pull_request'); // the run was created at 12:30
    expect(p).toMatchObject({
      mode: 'ab',
      comment: true,
      updateBaseline: true,
      approvedBy: USERS.maintainer,
      approverRole: 'maintain',
    });
  });

  it('update-baseline last applied by a reader: no move, whoever applied it before', async () => {
    fake.label(REPO, 2, 'update-baseline', USERS.reader, '2026-01-10T12:11:00Z');
    const p = await plan(fake, 'workflow_run.pull_request');
    expect(p.updateBaseline).toBe(false);
    expect(p.reason).toMatch(/applied by reader-rita \(read\)/);
  });

  it('update-baseline applied after this run started: this run does not move it (the labeled run will)', async () => {
    fake.label(REPO, 2, 'update-baseline', USERS.maintainer, '2026-01-10T12:40:00Z');
    const p = await plan(fake, 'workflow_run.pull_request');
    expect(p.updateBaseline).toBe(false);
    expect(p.reason).toMatch(/run started before update-baseline was applied/);
  });

  it('update-baseline applied before the head commit was pushed: the approval does not cover it', async () => {
    const late = await new FakeGitHub().start();
    try {
      seedRoles(late);
      late.addPull(REPO, {
        number: 2,
        headSha: head.sha,
        headRef: head.ref,
        headRepo: REPO,
        baseRef: 'master',
        baseSha: sync.pull_request.base.sha,
        labels: ['run-benchmark'],
      });
      late.label(REPO, 2, 'update-baseline', USERS.maintainer, '2026-01-10T11:00:00Z');
      late.addWorkflowRun(REPO, { head_sha: head.sha, event: 'pull_request', created_at: '2026-01-10T12:00:00Z' });
      const p = await plan(late, 'workflow_run.pull_request');
      expect(p.updateBaseline).toBe(false);
      expect(p.reason).toMatch(/the head changed \(committed ec26c3e\) after update-baseline was applied/);
    } finally {
      await late.stop();
    }
  });

  it('a push run on the default branch: history mode, baseline extended, no comment', async () => {
    const p = await plan(fake, 'workflow_run.push-default-branch');
    expect(p).toMatchObject({ benchmark: false, mode: 'history', comment: false, updateBaseline: true });
  });

  it('a failed benchmark run: nothing', async () => {
    const p = await plan(fake, 'workflow_run.pull_request-failed');
    expect(p).toMatchObject({ mode: null, comment: false, updateBaseline: false });
    expect(p.reason).toMatch(/concluded "failure"/);
  });
});
