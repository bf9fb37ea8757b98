/**
 * The privileged side of CI against the author of a fork PR (issue 16): crafted artifacts, names
 * and events against `ci plan`, `ci report` and `ci update-baseline`, through the real CLI in child
 * processes, the in-repo GitHub fake and a folder store. One `describe` per finding.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS } from '../../scripts/fixtures/make-events.js';
import type { CiPlan } from '../../src/ci/plan.js';
import { openStore } from '../../src/baseline/store.js';
import { REPORT_MARKER } from '../../src/ci/pr-comment.js';
import { baselineMovedNote } from '../../src/ci/update-baseline.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadComparison } from '../report/fixtures.js';
import { startFakeGcs } from '../fakes/gcs/server.js';
import { FakeGitHub } from '../fakes/github/server.js';
import { HEAD, MACHINES } from '../support/ci-artifacts.js';
import {
  approvedPlan,
  BASE_SHA,
  copyAsBenchmark,
  mutate,
  renameMachine,
  validArtifacts,
  writePlan,
  writeRaw,
} from '../support/hostile-artifacts.js';
import { actionsEnv, cli, eventEnv } from './cli.js';

const REPO = 'Codertocat/Hello-World';
const TOKEN = 'ghs_hostile_token';
const OLD = '1111111111111111111111111111111111111111';

let github: FakeGitHub;
let root: string;
let n = 0;

beforeAll(async () => {
  github = await new FakeGitHub().start();
  github.addToken(TOKEN, 'github-actions[bot]', 'write');
  github.setPermission(REPO, USERS.maintainer, 'maintain');
  root = mkdtempSync(join(tmpdir(), 'cb-hostile-'));
});
afterAll(async () => {
  await github.stop();
});

/** A fresh case folder: artifacts, out and store side by side, nothing else. */
function caseDir(): { dir: string; artifacts: string; out: string; store: string } {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  return { dir, artifacts: join(dir, 'artifacts'), out: join(dir, 'out'), store: join(dir, 'store') };
}

function stepEnv(dir: string) {
  const summary = join(dir, 'summary.md');
  writeFileSync(summary, '');
  writeFileSync(join(dir, 'output'), '');
  return actionsEnv({
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN: TOKEN,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: join(dir, 'output'),
  });
}

async function report(c: ReturnType<typeof caseDir>, plan: CiPlan = approvedPlan()) {
  return cli(
    ['ci', 'report', '--artifacts', c.artifacts, '--out', c.out, '--plan', writePlan(c.dir, plan)],
    stepEnv(c.dir),
  );
}

async function updateBaseline(
  c: ReturnType<typeof caseDir>,
  plan: CiPlan = approvedPlan(),
  store: { spec: string; env?: Record<string, string> } = { spec: c.store },
) {
  const args = ['--artifacts', c.artifacts, '--out', c.out, '--baseline', store.spec];
  return cli(['ci', 'update-baseline', ...args, '--plan', writePlan(c.dir, plan)], {
    ...stepEnv(c.dir),
    ...store.env,
  });
}

/** Every live result in a folder store (all benchmarks, keys, lineages). */
function storedFiles(store: string): string[] {
  if (!existsSync(store)) return [];
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'archive' ? [] : walk(join(d, e.name))) : [join(d, e.name)],
    );
  return walk(store).filter((f) => f.endsWith('.json'));
}

function openPull(number: number, labels: string[]) {
  github.addPull(REPO, {
    number,
    headSha: HEAD,
    headRef: `changes-${number}`,
    headRepo: 'fork-fiona/Hello-World',
    baseRef: 'master',
    baseSha: BASE_SHA,
    labels,
  });
}

describe('1. approval replay: the label must follow the moment this head became the PR head', () => {
  async function planFor(pr: number) {
    const event = JSON.parse(
      readFileSync(join(import.meta.dirname, '../fixtures/events/workflow_run.pull_request.json'), 'utf8'),
    );
    event.workflow_run.pull_requests = [{ number: pr, head: { sha: HEAD }, base: { sha: BASE_SHA } }];
    const file = join(root, `event-${pr}.json`);
    writeFileSync(file, JSON.stringify(event));
    const env = eventEnv('workflow_run.pull_request', github.url, TOKEN, { GITHUB_EVENT_PATH: file });
    const r = await cli(['ci', 'plan'], env);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as CiPlan;
  }

  it('a force-push back to the labelled commit after the label is not approved', async () => {
    github.addPull(REPO, {
      number: 11,
      headSha: HEAD,
      headRef: 'replay',
      headRepo: REPO,
      baseRef: 'master',
      baseSha: BASE_SHA,
      labels: ['run-benchmark'],
    });
    // GitHub ran the benchmark for HEAD long before the label (what the old check read).
    github.addWorkflowRun(REPO, { head_sha: HEAD, event: 'pull_request', created_at: '2026-01-10T11:00:00Z' });
    github.label(REPO, 11, 'update-baseline', USERS.maintainer, '2026-01-10T13:00:00Z');
    github.pushHead(REPO, 11, OLD, { force: true, at: '2026-01-10T13:05:00Z' });
    github.pushHead(REPO, 11, HEAD, { force: true, at: '2026-01-10T13:06:00Z' });
    const plan = await planFor(11);
    expect(plan.updateBaseline).toBe(false);
    expect(plan.reason).toMatch(/head changed \(head_ref_force_pushed ec26c3e\) after update-baseline was applied/);
  });

  it('a push in the same second as the label is not approved (strictly after)', async () => {
    github.addPull(REPO, {
      number: 12,
      headSha: OLD,
      headRef: 'same-second',
      headRepo: REPO,
      baseRef: 'master',
      baseSha: BASE_SHA,
      labels: ['run-benchmark'],
    });
    github.addWorkflowRun(REPO, { head_sha: HEAD, event: 'pull_request', created_at: '2026-01-10T11:00:00Z' });
    github.pushHead(REPO, 12, HEAD, { force: true, at: '2026-01-10T14:00:00Z' });
    github.label(REPO, 12, 'update-baseline', USERS.maintainer, '2026-01-10T14:00:00Z');
    const plan = await planFor(12);
    expect(plan.updateBaseline).toBe(false);
    expect(plan.reason).toMatch(/not after ec26c3e became the head/);
  });
});

describe('2. one approval stores only what it covers', () => {
  it.each([
    ['a file dated 9999-12-31', (f: string) => mutate(f, (j) => void (j.createdAt = '9999-12-31T00:00:00.000Z'))],
    ['a benchmark outside the configured ones', (f: string) => void copyAsBenchmark(f, 'extra')],
    ['a results file of another commit', (f: string) => mutate(f, (j) => void ((j.git as { sha: string }).sha = OLD))],
    ['a machine outside the matrix', () => undefined],
  ])('%s refuses the whole update: exit 2, nothing stored', async (what, craft) => {
    const c = caseDir();
    const [, second] = validArtifacts(c.artifacts);
    craft(second);
    if (what.startsWith('a machine')) renameMachine(c.artifacts, MACHINES[1].name, 'intruder');
    const r = await updateBaseline(c);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/key "(createdAt|benchmark|git\.sha|\(artifact name: the machine\))"/);
    expect(storedFiles(c.store)).toEqual([]);
  });
});

describe('3. numbers JSON cannot hold', () => {
  it('1e999 in a sample is refused naming the field, and nothing is stored', async () => {
    const c = caseDir();
    const [first] = validArtifacts(c.artifacts);
    writeRaw(first, readFileSync(first, 'utf8').replace(/"cpuPercent": [0-9.]+/, '"cpuPercent": 1e999'));
    const r = await updateBaseline(c);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "runs\.0\.samples\.0\.cpuPercent" has value "Infinity"; allowed: a finite number/);
    expect(storedFiles(c.store)).toEqual([]);
  });
});

describe('4. the sticky comment is ours by marker AND author', () => {
  it("another user's comment with the marker is neither edited nor deleted", async () => {
    openPull(14, ['run-benchmark']);
    github.seedComments(REPO, 14, 1, () => `${REPORT_MARKER}\nplanted by the PR author`, USERS.forker);
    github.seedComments(REPO, 14, 1, () => `${REPORT_MARKER}\na maintainer's own note`, USERS.maintainer);
    const c = caseDir();
    validArtifacts(c.artifacts);
    const r = await report(c, approvedPlan({ pr: 14, updateBaseline: false, approvedBy: null, approverRole: null }));
    expect(r.code, r.stderr).toBe(0);
    const comments = github.comments(REPO, 14);
    expect(comments.map((x) => [x.user.login, x.body.split('\n')[1]])).toEqual([
      [USERS.forker, 'planted by the PR author'],
      [USERS.maintainer, "a maintainer's own note"],
      ['github-actions[bot]', '<!-- collector-bench:default -->'],
    ]);
  });
});

describe('5. Markdown injection: crafted names stay text', () => {
  const md = new MarkdownIt({ html: true, linkify: true });

  it('a CR in a benchmark name is refused at the gate', async () => {
    const c = caseDir();
    const [first] = validArtifacts(c.artifacts);
    mutate(first, (j) => void (j.benchmark = 'x`\r## 🟢 collector-bench: Improvement detected\r'));
    const r = await report(c);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "benchmark" has value .*allowed: 1-100 letters, digits/);
  });

  it('renders crafted names, keys and reasons as text with a CommonMark renderer', () => {
    const evil = 'x`\r## Improvement detected\r\n### Baseline moved\n<img src=x onerror=alert(1)> @octocat #1 | a';
    const c = loadComparison('mixed');
    const crafted = {
      ...c,
      benchmark: evil,
      metrics: c.metrics.map((m) => ({ ...m, envKey: `${evil}-${m.envKey}`, reason: evil })),
    };
    const rendered = renderMarkdown(crafted);
    const tokens = md.parse(rendered, {});
    const headings = tokens.flatMap((t, i) => (t.type === 'heading_open' ? [`${t.tag} ${tokens[i + 1].content}`] : []));
    // One h2 (the verdict), nothing injected: no fake verdict, no fake "Baseline moved".
    expect(headings.filter((h) => h.startsWith('h2 '))).toHaveLength(1);
    expect(
      headings.filter((h) => /^h\d (🟢 )?(collector-bench: )?(Improvement detected|Baseline moved)/.test(h)),
    ).toEqual([]);
    const html = md.render(rendered);
    expect(html).not.toMatch(/<img|<h2>Improvement|<h3>Baseline moved/);
    // Outside code (where GitHub links nothing) a joiner keeps them from notifying or linking.
    expect(html.replace(/<code>[^<]*<\/code>/g, '')).not.toMatch(/@octocat|#1\b/);
    expect(html).toContain('@\u2060octocat');
  });

  it('the "Baseline moved" note names the approver and machines without mentioning anyone', () => {
    const note = baselineMovedNote(
      {
        approval: { pr: 2, approvedBy: 'maintainer-max', role: 'maintain', approvedAt: '2026-01-10T12:00:00Z' },
        stored: [
          {
            machine: '@octocat',
            file: 'f.json',
            stored: {
              benchmark: 'default',
              envKey: 'k',
              fromMain: true,
              branch: null,
              createdAt: '2026-01-10T12:00:00Z',
              sha: 'abc',
              seq: 1,
              archived: false,
              key: 'default/k/@octocat.json',
              location: '/x',
              deduplicated: false,
            },
          },
        ],
      },
      '/store',
    );
    expect(md.render(note)).not.toMatch(/@maintainer-max|@octocat(?!\.json)/);
  });
});

describe('6. paths come from sanitised names only', () => {
  it.each([['../../PWNED'], ['a/b'], ['nul\u0000byte'], ['x'.repeat(300)]])(
    'benchmark %j: exit 2, nothing outside --out, no status',
    async (name) => {
      const c = caseDir();
      const [first] = validArtifacts(c.artifacts);
      mutate(first, (j) => void (j.benchmark = name));
      const before = github.requests.length;
      const r = await report(c);
      expect(r.code, r.stderr).toBe(2);
      expect(readdirSync(c.dir).filter((f) => !/^(artifacts|summary\.md|output|plan-.*\.json)$/.test(f))).toEqual([]);
      expect(readdirSync(root).filter((f) => f.includes('PWNED'))).toEqual([]);
      expect(github.requests.slice(before).filter((q) => q.method !== 'GET')).toEqual([]);
    },
  );
});

describe('7. a budget: one comment per report, bounded statuses, none without the label', () => {
  it('eight benchmarks: ONE comment and ONE status', async () => {
    openPull(17, ['run-benchmark']);
    const c = caseDir();
    const files = validArtifacts(c.artifacts);
    for (const f of files) for (let i = 1; i < 8; i++) copyAsBenchmark(f, `bench${i}`, `b${i}.json`);
    const before = github.requests.length;
    const r = await report(c, approvedPlan({ pr: 17, updateBaseline: false, approvedBy: null, approverRole: null }));
    expect(r.code, r.stderr).toBe(0);
    expect(github.comments(REPO, 17)).toHaveLength(1);
    expect(github.statuses(REPO, HEAD).at(-1)).toMatchObject({ context: 'collector-bench' });
    const writes = github.requests.slice(before).filter((q) => q.method !== 'GET');
    expect(writes.map((w) => `${w.method} ${w.path.replace(/\/[0-9a-f]{40}$/, '/<sha>')}`)).toEqual([
      `POST /repos/${REPO}/issues/17/comments`,
      `POST /repos/${REPO}/statuses/<sha>`,
    ]);
  });

  it('a PR without run-benchmark (its own workflow skipped the check) gets no report', async () => {
    openPull(18, []);
    const event = JSON.parse(
      readFileSync(join(import.meta.dirname, '../fixtures/events/workflow_run.pull_request.json'), 'utf8'),
    );
    event.workflow_run.pull_requests = [{ number: 18, head: { sha: HEAD }, base: { sha: BASE_SHA } }];
    const file = join(root, 'event-18.json');
    writeFileSync(file, JSON.stringify(event));
    const r = await cli(
      ['ci', 'plan'],
      eventEnv('workflow_run.pull_request', github.url, TOKEN, { GITHUB_EVENT_PATH: file }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: null, comment: false, updateBaseline: false });
  });
});

describe('8. workflow commands: no name reaches the log raw', () => {
  it('a benchmark or machine name carrying ::error / ::add-mask:: is refused and printed inert', async () => {
    const c = caseDir();
    const [first] = validArtifacts(c.artifacts);
    mutate(first, (j) => void (j.benchmark = 'x\n::add-mask::secret\n::error title=pwned::owned'));
    const r = await report(c);
    expect(r.code).toBe(2);
    const lines = `${r.stdout}\n${r.stderr}`.split(/\r?\n/);
    expect(lines.filter((l) => /^::(add-mask|error)/.test(l))).toEqual([]);

    const d = caseDir();
    validArtifacts(d.artifacts);
    renameMachine(d.artifacts, MACHINES[0].name, 'x\n::add-mask::secret');
    const m = await report(d);
    expect(m.code).toBe(2);
    expect(`${m.stdout}\n${m.stderr}`.split(/\r?\n/).filter((l) => /^::add-mask/.test(l))).toEqual([]);
  });
});

describe('9. no partial or orphan writes', () => {
  it('machine 2 refused: machine 1 is not stored either; the PR hears it and the label goes', async () => {
    openPull(19, ['run-benchmark', 'update-baseline']);
    const c = caseDir();
    const [, second] = validArtifacts(c.artifacts);
    mutate(second, (j) => void ((j.environment as { cpus: number }).cpus = -4));
    const r = await updateBaseline(c, approvedPlan({ pr: 19 }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "environment\.cpus" has value -4/);
    expect(storedFiles(c.store)).toEqual([]);
    const [comment] = github.comments(REPO, 19);
    expect(comment.body).toMatch(/### Baseline not moved/);
    expect(github.pull(REPO, 19)?.labels).toEqual(['run-benchmark']);
    expect(github.statuses(REPO, HEAD).at(-1)).toMatchObject({ context: 'collector-bench/baseline', state: 'failure' });
  });

  it('a write that fails part-way is undone (moved to the archive), and the message says exactly what happened', async () => {
    const gcs = await startFakeGcs({ buckets: ['perf-baselines'] });
    try {
      openPull(20, ['run-benchmark', 'update-baseline']);
      const c = caseDir();
      for (const f of validArtifacts(c.artifacts)) mutate(f, (j) => void ((j.git as { pr: number }).pr = 20));
      let uploads = 0;
      gcs.failNext(1, 403, (method, path) => method === 'POST' && path.startsWith('/upload/') && ++uploads === 2);
      const spec = 'gs://perf-baselines/collector';
      const r = await updateBaseline(c, approvedPlan({ pr: 20 }), { spec, env: { STORAGE_EMULATOR_HOST: gcs.url } });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(
        /1 written before the failure, moved back to the archive: archive\/default\/linux-5\.15[^;]*; not written: .*ubuntu-24\.04/,
      );
      const store = await openStore(spec, { gcs: { apiEndpoint: gcs.url } });
      expect(await store.envKeys('default')).toEqual([]);
      expect(github.comments(REPO, 20)[0].body).toMatch(/### Baseline not moved/);
      expect(github.pull(REPO, 20)?.labels).toEqual(['run-benchmark']);
    } finally {
      await gcs.close();
    }
  });

  it.each([
    [
      'cpus 1e21',
      (j: Record<string, unknown>) => void ((j.environment as { cpus: number }).cpus = 1e21),
      'environment.cpus',
    ],
    [
      'createdAt in year 275760',
      (j: Record<string, unknown>) => void (j.createdAt = '+275760-09-13T00:00:00.000Z'),
      'createdAt',
    ],
  ])('%s: exit 2 before anything is written', async (_what, edit, key) => {
    const c = caseDir();
    const [first] = validArtifacts(c.artifacts);
    mutate(first, edit);
    const r = await updateBaseline(c);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`key "${key}"`);
    expect(storedFiles(c.store)).toEqual([]);
    expect(existsSync(c.store)).toBe(false);
  });
});

describe('10. resources are bounded before parsing', () => {
  it('200,000 nested arrays in config: exit 2 naming the nesting rule', async () => {
    const c = caseDir();
    const [first] = validArtifacts(c.artifacts);
    const text = readFileSync(first, 'utf8').replace(
      '"config": {',
      `"config": { "deep": ${'['.repeat(200_000)}${']'.repeat(200_000)},`,
    );
    writeRaw(first, text);
    const r = await report(c);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "\(nesting\)".*nested at most 32 deep/);
  });

  it('a results file over the size limit is refused before it is read', async () => {
    const c = caseDir();
    const [first] = validArtifacts(c.artifacts);
    writeRaw(first, readFileSync(first, 'utf8') + ' '.repeat(17 * 2 ** 20));
    const r = await report(c);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "\(file size\)" has value \d+; allowed: at most 16777216 bytes/);
  });

  it('more samples in a run than a benchmark takes: exit 2 naming the run', async () => {
    const c = caseDir();
    const [first] = validArtifacts(c.artifacts);
    mutate(first, (j) => {
      const run = (j.runs as Array<{ samples: unknown[] }>)[0];
      run.samples = Array.from({ length: 100_001 }, (_, t) => ({ t, cpuPercent: 1, memoryBytes: 1 }));
    });
    const r = await report(c);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/key "runs\.0\.samples"/);
  });
});

describe('11. the README says what gates the writer', () => {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Benchmarks in CI'));

  it('has a threat model naming the real gate of the baseline writer', () => {
    expect(section).toMatch(/### Threat model/);
    expect(section).toMatch(/required reviewers/i);
    expect(section).toMatch(/`ci plan`'s (API )?check/);
    expect(section).not.toMatch(/restrict that environment to the default branch/i);
  });
});
