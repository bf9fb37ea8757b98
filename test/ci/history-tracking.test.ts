/**
 * The history step of the push-to-main and nightly jobs (`collector-bench ci history`), rehearsed
 * against the GitHub fake through the real Octokit: a new change point opens ONE tracking issue,
 * the next one updates it, and nothing is posted when nothing changed. The issue is found by its
 * marker AND the bot's login; the job summary shows what is new.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { TRACKING_MARKER, tokenOf, trackedIn } from '../../src/ci/history-tracking.js';
import { ciHistory } from '../../src/app/ci-history.js';
import type { Printer } from '../../src/app/printer.js';
import { FakeGitHub } from '../fakes/github/server.js';
import { at } from '../support/result-files.js';
import { sessionResult, shaOf, storeSessions, wobble, type SessionSpec } from '../support/history-store.js';

const REPO = 'octo-org/collector';
const BOT = 'github-actions[bot]';

let fake: FakeGitHub;
let dir: string;
let summaryDir: string;
let summaryFile: string;
const savedSummary = process.env.GITHUB_STEP_SUMMARY;

beforeAll(async () => {
  fake = await new FakeGitHub().start();
  fake.addToken('bot-token', BOT, 'write');
  // @actions/core reads the summary file's path from the process environment once, and keeps it.
  summaryDir = mkdtempSync(join(tmpdir(), 'collector-bench-ci-history-summary-'));
  summaryFile = join(summaryDir, 'summary.md');
  writeFileSync(summaryFile, '');
  process.env.GITHUB_STEP_SUMMARY = summaryFile;
});
afterAll(async () => {
  await fake.stop();
  if (savedSummary === undefined) delete process.env.GITHUB_STEP_SUMMARY;
  else process.env.GITHUB_STEP_SUMMARY = savedSummary;
  rmSync(summaryDir, { recursive: true, force: true });
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'collector-bench-ci-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = loadConfig({}).config;
const silent: Printer = { info: () => {}, warn: () => {}, color: false };
const env = (repo = REPO) => ({ GITHUB_TOKEN: 'bot-token', GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: repo });

/** Stores sessions [first, first + n) and runs the step with the newest one as the night's artifact. */
async function night(repo: string, sessions: SessionSpec[], first: number) {
  const store = join(dir, 'store');
  await storeSessions(store, sessions, 'default', first);
  const artifacts = join(dir, `artifacts-${first}`);
  mkdirSync(join(artifacts, 'benchmark-nightly'), { recursive: true });
  const last = first + sessions.length - 1;
  writeFileSync(
    join(artifacts, 'benchmark-nightly', 'default.json'),
    JSON.stringify(sessionResult(last, sessions[sessions.length - 1])),
  );
  const before = fake.requests.length;
  writeFileSync(summaryFile, '');
  const code = await ciHistory({ artifacts, out: join(dir, 'report'), baseline: store }, config, silent, env(repo));
  const writes = fake.requests.slice(before).filter((r) => r.method !== 'GET');
  return { code, writes, summary: readFileSync(summaryFile, 'utf8') };
}

const level = (cpu: number, n: number): SessionSpec[] => wobble(cpu, n).map((c) => ({ cpu: c }));

describe('ci history against the GitHub fake', () => {
  it('opens one issue for a new change point, updates it for the next, and posts nothing when nothing changed', async () => {
    const repo = 'octo-org/one';
    // A person's issue that quotes the marker is not the bot's tracking issue.
    fake.addIssue(repo, { title: 'about the history', body: `${TRACKING_MARKER}\nquoted`, login: 'someone' });

    const first = await night(repo, [...level(20, 10), ...level(25, 10)], 0);
    expect(first.code).toBe(0);
    expect(first.writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST /repos/${repo}/issues`]);
    let issues = fake.issues(repo).filter((i) => i.user.login === BOT);
    expect(issues).toHaveLength(1);
    expect(issues[0].body!.startsWith(TRACKING_MARKER)).toBe(true);
    expect(trackedIn(issues[0].body!)).toEqual([
      { benchmark: 'default', envKey: expect.any(String), metric: 'cpuPercent', sha: shaOf(10), createdAt: at(10) },
    ]);
    expect(issues[0].body).toContain(`\`${shaOf(9).slice(0, 7)}\` (${at(9)}) and \`${shaOf(10).slice(0, 7)}\``);
    expect(first.summary).toContain('New change point(s) (tracked in https://github.com/octo-org/one/issues/2)');
    expect(first.summary).toContain('+25%');

    // The next night: one more session at the same level. Nothing new, nothing posted.
    const quiet = await night(repo, level(25, 1), 20);
    expect(quiet.writes).toEqual([]);
    expect(quiet.summary).toContain('No new change point.');

    // Then CPU steps up again: the same issue gets the new line and a comment.
    const second = await night(repo, level(31, 10), 21);
    expect(second.writes.map((w) => `${w.method} ${w.path}`)).toEqual([
      `PATCH /repos/${repo}/issues/2`,
      `POST /repos/${repo}/issues/2/comments`,
    ]);
    issues = fake.issues(repo).filter((i) => i.user.login === BOT);
    expect(issues).toHaveLength(1);
    expect(trackedIn(issues[0].body!).map((t) => t.sha)).toEqual([shaOf(10), shaOf(21)]);
    expect(fake.comments(repo, 2)).toHaveLength(1);
    expect(fake.comments(repo, 2)[0].body).toContain(shaOf(21).slice(0, 7));
    // The person's issue was left as it was.
    expect(fake.issues(repo)[0]).toMatchObject({ number: 1, body: `${TRACKING_MARKER}\nquoted` });
  });

  it('keeps what a closed issue recorded: nothing new, no new issue; the next step opens a fresh one', async () => {
    const repo = 'octo-org/closed';
    await night(repo, [...level(20, 10), ...level(25, 10)], 0);
    const [issue] = fake.issues(repo);
    issue.state = 'closed'; // a maintainer read it and closed it

    expect((await night(repo, level(25, 2), 20)).writes).toEqual([]);
    const next = await night(repo, level(31, 10), 22);
    expect(next.writes.map((w) => `${w.method} ${w.path}`)).toEqual([`POST /repos/${repo}/issues`]);
    const open = fake.issues(repo).filter((i) => i.state === 'open');
    expect(open).toHaveLength(1);
    expect(trackedIn(open[0].body!).map((t) => t.sha)).toEqual([shaOf(22)]);
  });

  it('says when the history is too short, posts nothing, and is not green (exit 1)', async () => {
    const repo = 'octo-org/young';
    const r = await night(repo, level(20, 4), 0);
    expect(r.code).toBe(1);
    expect(r.writes).toEqual([]);
    expect(r.summary).toContain('too little history: 4 session(s) from main; 2 more would do');
  });

  it('does nothing for a plan that stores no main results (a PR approval)', async () => {
    const planFile = join(dir, 'plan.json');
    writeFileSync(
      planFile,
      JSON.stringify({
        benchmark: false,
        mode: null,
        comment: true,
        updateBaseline: true,
        reason: 'PR #4 approved',
        trigger: 'pull_request',
        pr: 4,
        headSha: null,
        baseSha: null,
        fork: false,
        approvedBy: 'maintainer',
        approverRole: 'write',
        matrix: { include: [{ name: 'ubuntu-24.04', 'runs-on': 'ubuntu-24.04' }] },
      }),
    );
    const before = fake.requests.length;
    const code = await ciHistory(
      { artifacts: join(dir, 'none'), out: join(dir, 'report'), plan: planFile },
      config,
      silent,
      env('octo-org/pr'),
    );
    expect(code).toBe(0);
    expect(fake.requests.length).toBe(before);
  });
});

describe('tracking tokens', () => {
  it('read back what they wrote, and skip what a person garbled', () => {
    const t = { benchmark: 'default', envKey: 'k', metric: 'memoryBytes' as const, sha: 'abc', createdAt: at(3) };
    expect(trackedIn(`text ${tokenOf(t)} more <!-- collector-bench-change-point {oops} -->`)).toEqual([t]);
  });
});
