/**
 * The report workflow's steps rehearsed end to end, as benchmark-report.yml runs them: an artifacts
 * folder with the results of two machines -> `ci plan` -> `ci report` (one merged report, one
 * sticky comment, one commit status) -> `ci update-baseline` (the baseline moves only where the plan
 * allows). The CLI runs in child processes with an Actions environment; GitHub is the fake in
 * test/fakes/github, the baseline store a folder or the fake GCS in test/fakes/gcs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS } from '../../scripts/fixtures/make-events.js';
import { openStore } from '../../src/baseline/store.js';
import { ComparisonSchema, type Comparison } from '../../src/contracts/comparison.js';
import { holmAdjust } from '../../src/stats/holm.js';
import { startFakeGcs, type FakeGcs } from '../fakes/gcs/server.js';
import { FakeGitHub } from '../fakes/github/server.js';
import { abFile, HEAD, historyFile, MACHINES, PUSH_SHA } from '../support/ci-artifacts.js';
import { cli, eventEnv } from './cli.js';

const REPO = 'Codertocat/Hello-World';
const TOKEN = 'ghs_report_token';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
describe('benchmark-report steps against the fakes', () => {
  let github: FakeGitHub;
  let gcs: FakeGcs;
  let dir: string;

  beforeAll(async () => {
    github = await new FakeGitHub().start();
    github.addToken(TOKEN, 'github-actions[bot]', 'write');
    github.setPermission(REPO, USERS.maintainer, 'maintain');
    github.setPermission(REPO, USERS.reader, 'read');
    gcs = await startFakeGcs({ buckets: ['perf-baselines'] });
    dir = mkdtempSync(join(tmpdir(), 'cb-report-'));
  });
  afterAll(async () => {
    await github.stop();
    await gcs.close();
  });

  function stepEnv(event: string, name: string) {
    const summary = join(dir, `${name}.summary.md`);
    writeFileSync(summary, '');
    writeFileSync(join(dir, `${name}.output`), '');
    return {
      env: eventEnv(event, github.url, TOKEN, {
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: join(dir, `${name}.output`),
        STORAGE_EMULATOR_HOST: gcs.url,
      }),
      summary,
    };
  }

  /** The three steps of the workflow, each a CLI process; the plan is printed once and handed on as a file. */
  async function rehearse(event: string, name: string, artifacts: string, store: string) {
    const { env, summary } = stepEnv(event, name);
    const planned = await cli(['ci', 'plan'], env);
    expect(planned.code, planned.stderr).toBe(0);
    const planFile = join(dir, `${name}.plan.json`);
    writeFileSync(planFile, planned.stdout);
    const out = join(dir, `${name}-report`);
    const report = await cli(
      ['ci', 'report', '--artifacts', artifacts, '--out', out, '--baseline', store, '--plan', planFile],
      env,
    );
    expect(report.code, report.stderr).toBe(0);
    const update = await cli(
      ['ci', 'update-baseline', '--artifacts', artifacts, '--out', out, '--baseline', store, '--plan', planFile],
      env,
    );
    expect(update.code, update.stderr).toBe(0);
    const comparison: Comparison = ComparisonSchema.parse(
      JSON.parse(readFileSync(join(out, 'default.comparison.json'), 'utf8')),
    );
    return {
      plan: JSON.parse(planned.stdout),
      comparison,
      report,
      update,
      summary: readFileSync(summary, 'utf8'),
      out,
    };
  }

  function prArtifacts(name: string): string {
    const artifacts = join(dir, name);
    abFile(artifacts, MACHINES[0], 10, 11); // A/A on the older kernel
    abFile(artifacts, MACHINES[1], 13, 21); // +30% CPU on the newer one
    return artifacts;
  }

  it('a PR without update-baseline: one comment with a table per machine, status, nothing stored', async () => {
    github.addPull(REPO, {
      number: 2,
      headSha: HEAD,
      headRef: 'changes',
      headRepo: REPO,
      baseRef: 'master',
      baseSha: BASE,
      labels: ['run-benchmark'],
    });
    const store = join(dir, 'store-pr');
    const r = await rehearse('workflow_run.pull_request', 'pr', prArtifacts('artifacts-pr'), store);
    expect(r.plan).toMatchObject({ mode: 'ab', comment: true, updateBaseline: false, pr: 2 });

    // One report: a table per machine, one Holm family across both.
    const keys = [...new Set(r.comparison.metrics.map((m) => m.envKey))];
    expect(keys).toEqual([
      expect.stringMatching(/^ubuntu-22\.04 · linux-5\.15_/),
      expect.stringMatching(/^ubuntu-24\.04 · linux-6\.8_/),
    ]);
    const raw = r.comparison.metrics.map((m) => m.decidingTest?.pValue ?? null);
    expect(r.comparison.metrics.map((m) => m.adjustedPValue)).toEqual(holmAdjust(raw));
    expect(
      r.comparison.metrics.find((m) => m.envKey.startsWith('ubuntu-24.04') && m.metric === 'cpuPercent')?.verdict,
    ).toBe('regression');
    expect(r.comparison.overall).toBe('regression');

    const comments = github.comments(REPO, 2);
    expect(comments).toHaveLength(1);
    // One comment for the whole report; each benchmark's section keeps its own marker line.
    expect(comments[0].body.split('\n').slice(0, 2)).toEqual([
      '<!-- collector-bench:ci-report -->',
      '<!-- collector-bench:default -->',
    ]);
    expect(comments[0].body.match(/^### `ubuntu-2\d\.04 · linux-/gm)).toHaveLength(2);
    expect(r.summary).toContain('<!-- collector-bench:default -->');
    expect(github.statuses(REPO, HEAD)).toMatchObject([{ state: 'failure', context: 'collector-bench/default' }]);
    expect(r.update.stderr).toMatch(/nothing stored \(report for PR #2; baseline: no update-baseline label\)/);
    expect(await (await openStore(store)).envKeys('default')).toEqual([]);
  });

  it('update-baseline by a reader: reported, nothing stored', async () => {
    github.addWorkflowRun(REPO, { head_sha: HEAD, event: 'pull_request', created_at: '2026-01-10T12:00:00Z' });
    github.label(REPO, 2, 'update-baseline', USERS.reader, '2026-01-10T12:05:00Z');
    const store = join(dir, 'store-reader');
    const r = await rehearse('workflow_run.pull_request', 'reader', prArtifacts('artifacts-reader'), store);
    expect(r.plan.updateBaseline).toBe(false);
    expect(github.comments(REPO, 2)).toHaveLength(1); // still the one comment, updated
    expect(await (await openStore(store)).envKeys('default')).toEqual([]);
  });

  it('update-baseline by a maintainer: the candidate arms join the baseline (fake GCS), recorded, and the comment says so', async () => {
    github.label(REPO, 2, 'update-baseline', USERS.maintainer, '2026-01-10T12:10:00Z');
    const spec = 'gs://perf-baselines/collector';
    const r = await rehearse('workflow_run.pull_request', 'maintainer', prArtifacts('artifacts-maintainer'), spec);
    expect(r.plan).toMatchObject({ updateBaseline: true, approvedBy: USERS.maintainer });

    const store = await openStore(spec, { gcs: { apiEndpoint: gcs.url } });
    const keys = await store.envKeys('default');
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      const refs = await store.list('default', key, { include: 'main' }); // counts in the baseline
      expect(refs).toHaveLength(1);
      const stored = await store.get(refs[0]);
      expect(stored.baselineApproval).toMatchObject({ pr: 2, approvedBy: USERS.maintainer, role: 'maintain' });
      expect(stored.runs).toHaveLength(6); // the candidate arm only
    }
    const [comment] = github.comments(REPO, 2);
    expect(github.comments(REPO, 2)).toHaveLength(1);
    expect(comment.body).toMatch(
      /### Baseline moved\n\nResults of PR #2, approved by @\u2060maintainer-max \(maintain\), now count in the baseline/,
    );
    expect(comment.body).not.toMatch(/being added to the baseline/);
    expect(github.pull(REPO, 2)?.labels).toEqual(['run-benchmark']); // one approval counts once
  });

  it('a push to the default branch: history mode per machine, no comment, status, results join the baseline (folder)', async () => {
    const store = join(dir, 'store-main');
    // Earlier results from main for the first machine only: the second has no history yet.
    const seedDir = join(dir, 'seed');
    for (let i = 1; i <= 3; i++) {
      const f = historyFile(seedDir, MACHINES[0], i);
      const put = await cli(
        ['baseline', 'update', '--baseline', store, '--results', f, '--from-main'],
        stepEnv('push.default-branch', 'seed').env,
      );
      expect(put.code, put.stderr).toBe(0);
    }
    const artifacts = join(dir, 'artifacts-main');
    historyFile(artifacts, MACHINES[0], 7);
    historyFile(artifacts, MACHINES[1], 8);
    const before = github.comments(REPO, 2).length;
    const r = await rehearse('workflow_run.push-default-branch', 'main', artifacts, store);
    expect(r.plan).toMatchObject({ mode: 'history', comment: false, updateBaseline: true, headSha: PUSH_SHA });
    expect(r.comparison.baselineResults).toHaveLength(3);
    const byMachine = (name: string) => r.comparison.metrics.filter((m) => m.envKey.startsWith(name));
    expect(byMachine('ubuntu-22.04').every((m) => m.baseline.n === 18)).toBe(true);
    expect(byMachine('ubuntu-24.04').every((m) => m.verdict === 'inconclusive' && m.baseline.n === 0)).toBe(true);
    expect(github.comments(REPO, 2)).toHaveLength(before);
    // Inconclusive is not green; the baseline update reports its own outcome beside it.
    expect(github.statuses(REPO, PUSH_SHA)).toMatchObject([
      { state: 'error', context: 'collector-bench/default' },
      { state: 'success', context: 'collector-bench/baseline' },
    ]);
    const s = await openStore(store);
    const counts = await Promise.all(
      (await s.envKeys('default')).map(async (k) => (await s.list('default', k, { include: 'main' })).length),
    );
    expect(counts.sort()).toEqual([1, 4]);
    expect(r.summary).toMatch(/### Baseline moved\n\nThese results now count in the baseline/);
  });

  it('refuses an artifact that is not a valid results file, naming the file and key', async () => {
    const artifacts = join(dir, 'artifacts-bad');
    const file = abFile(artifacts, MACHINES[0], 10, 3);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.runs[2].arm = 'control';
    writeFileSync(file, JSON.stringify(json));
    const { env } = stepEnv('workflow_run.pull_request', 'bad');
    const planFile = join(dir, 'bad.plan.json');
    writeFileSync(planFile, (await cli(['ci', 'plan'], env)).stdout);
    const r = await cli(
      ['ci', 'report', '--artifacts', artifacts, '--out', join(dir, 'bad-out'), '--plan', planFile],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /default-20260110T122000Z\.json: key "runs\.2\.arm" has value "control"; allowed: "baseline" \| "candidate"/,
    );
  });
});
