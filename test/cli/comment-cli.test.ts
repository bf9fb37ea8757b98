/**
 * `collector-bench comment` as a workflow step runs it: the CLI process with an Actions
 * environment (summary and output files), the real Octokit and the fake GitHub.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../fakes/github/server.js';
import { actionsEnv, cli } from '../github/cli.js';

const REPO = 'octo-org/collector';
const FIXTURES = join(import.meta.dirname, '../fixtures/report');
const MIXED = join(FIXTURES, 'mixed.comparison.json'); // one regression, one improvement, ...
const UNCHANGED = join(FIXTURES, 'unchanged.comparison.json');
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

describe('collector-bench comment', () => {
  let fake: FakeGitHub;
  let dir: string;

  beforeAll(async () => {
    fake = await new FakeGitHub().start();
    fake.addToken('rw', 'github-actions[bot]', 'write');
    fake.addToken('ro', 'github-actions[bot]', 'read');
    dir = mkdtempSync(join(tmpdir(), 'cb-comment-'));
  });
  afterAll(() => fake.stop());

  function stepEnv(token: string | undefined, name: string) {
    const summary = join(dir, `${name}.summary.md`);
    const output = join(dir, `${name}.output`);
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const env = actionsEnv({
      GITHUB_REPOSITORY: REPO,
      GITHUB_API_URL: fake.url,
      GITHUB_TOKEN: token,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
    });
    return { env, summary, output };
  }

  /** GITHUB_OUTPUT in @actions/core's heredoc format, back into name -> value. */
  function outputs(file: string): Record<string, string> {
    const out: Record<string, string> = {};
    const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
    for (const m of readFileSync(file, 'utf8').matchAll(re)) out[m[1]] = m[3];
    return out;
  }

  it('posts the report, sets the status, outputs and one error annotation per regression', async () => {
    const { env, summary, output } = stepEnv('rw', 'post');
    const r = await cli(['comment', '--report', MIXED, '--pr', '7', '--sha', SHA], env);
    expect(r.code, r.stderr).toBe(0); // a regression alone does not fail the step
    const [comment] = fake.comments(REPO, 7);
    expect(comment.body.startsWith('<!-- collector-bench:processes-endpoints -->')).toBe(true);
    expect(readFileSync(summary, 'utf8').trimEnd()).toBe(comment.body.trimEnd());
    expect(outputs(output)).toEqual({ verdict: 'regression', regressions: '1', 'report-path': MIXED });
    expect(r.stdout.match(/^::error title=processes-endpoints%3A .*regressed on ubuntu-22\.04/gm)).toHaveLength(1);
    expect(fake.statuses(REPO, SHA)).toMatchObject([
      {
        state: 'failure',
        context: 'collector-bench/processes-endpoints',
        description: expect.stringMatching(/^regression/),
      },
    ]);
  });

  it('updates the same comment on the next run', async () => {
    const { env } = stepEnv('rw', 'again');
    const r = await cli(['comment', '--report', UNCHANGED, '--pr', '7'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.comments(REPO, 7)).toHaveLength(1);
    expect(r.stderr).toMatch(/comment updated/);
  });

  it('exits 1 on a regression only with --fail-on-regression', async () => {
    const { env } = stepEnv('rw', 'fail');
    expect((await cli(['comment', '--report', MIXED, '--pr', '8', '--fail-on-regression'], env)).code).toBe(1);
    expect((await cli(['comment', '--report', UNCHANGED, '--pr', '8', '--fail-on-regression'], env)).code).toBe(0);
  });

  it('survives a read-only token (403): a warning, and the report is still in the job summary', async () => {
    const { env, summary, output } = stepEnv('ro', 'readonly');
    const r = await cli(['comment', '--report', MIXED, '--pr', '9', '--sha', SHA], env);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.comments(REPO, 9)).toHaveLength(0);
    expect(r.stdout).toMatch(
      /^::warning title=collector-bench%3A read-only token::comment on #9: the token may not write here \(403/m,
    );
    expect(readFileSync(summary, 'utf8')).toMatch(/^<!-- collector-bench:processes-endpoints -->/);
    expect(outputs(output).verdict).toBe('regression');
  });

  it('posts a Markdown report as it is, and refuses one without a marker', async () => {
    const md = join(dir, 'report.md');
    writeFileSync(md, '<!-- collector-bench:default -->\n## hello\n');
    const { env } = stepEnv('rw', 'md');
    expect((await cli(['comment', '--report', md, '--pr', '10'], env)).code).toBe(0);
    expect(fake.comments(REPO, 10)[0].body).toBe('<!-- collector-bench:default -->\n## hello\n');
    writeFileSync(md, '## no marker\n');
    const bad = await cli(['comment', '--report', md, '--pr', '10'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /report\.md: key "\(first line\)" has value "## no marker"; allowed: a `<!-- collector-bench:<benchmark> -->` marker/,
    );
  });
});
