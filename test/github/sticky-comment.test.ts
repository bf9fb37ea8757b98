/**
 * The sticky PR comment, through the real Octokit (retry and throttling plugins) against the fake
 * GitHub: one comment per benchmark, found by its marker on any page, updated in place, duplicates
 * removed, other comments untouched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import { upsertStickyComment } from '../../src/github/sticky-comment.js';
import { ComparisonSchema } from '../../src/contracts/comparison.js';
import { renderMarkdown, stickyMarker } from '../../src/report/markdown.js';
import { FakeGitHub } from '../fakes/github/server.js';

const REPO = 'octo-org/collector';
const where = { owner: 'octo-org', repo: 'collector' };
const fixture = (name: string) =>
  ComparisonSchema.parse(
    JSON.parse(readFileSync(join(import.meta.dirname, `../fixtures/report/${name}.comparison.json`), 'utf8')),
  );

describe('upsertStickyComment', () => {
  let fake: FakeGitHub;
  let client: GitHubClient;
  const mixed = fixture('mixed');
  const unchanged = fixture('unchanged'); // same benchmark as mixed: the same sticky comment
  const marker = stickyMarker(mixed.benchmark);

  beforeAll(async () => {
    fake = await new FakeGitHub().start();
    fake.addToken('t', 'github-actions[bot]', 'write');
    client = createGitHubClient({ token: 't', baseUrl: fake.url, retries: 1 });
  });
  afterAll(() => fake.stop());

  it('creates the comment once, then updates that same comment', async () => {
    const target = { ...where, issue: 1, marker };
    const first = await upsertStickyComment(client, target, renderMarkdown(mixed));
    expect(first.action).toBe('created');
    const second = await upsertStickyComment(client, target, renderMarkdown(unchanged));
    expect(second).toMatchObject({ action: 'updated', id: first.id, deleted: [] });
    const third = await upsertStickyComment(client, target, renderMarkdown(unchanged));
    expect(third).toMatchObject({ action: 'unchanged', id: first.id });
    const comments = fake.comments(REPO, 1);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('unchanged');
  });

  it('finds its marker beyond the first 100 comments', async () => {
    fake.seedComments(REPO, 2, 130);
    const target = { ...where, issue: 2, marker };
    const created = await upsertStickyComment(client, target, renderMarkdown(mixed));
    expect(created.action).toBe('created');
    fake.seedComments(REPO, 2, 120, (i) => `later comment ${i}`); // the sticky one is now #131 of 251
    const before = fake.requests.length;
    const updated = await upsertStickyComment(client, target, renderMarkdown(unchanged));
    expect(updated).toMatchObject({ action: 'updated', id: created.id, scanned: 251 });
    const pages = fake.requests
      .slice(before)
      .filter((r) => r.method === 'GET' && r.path.endsWith('/issues/2/comments'));
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']); // followed the Link header
    expect(fake.comments(REPO, 2).filter((c) => c.body.startsWith(marker))).toHaveLength(1);
  });

  it('removes duplicates of its marker, keeps the oldest, and leaves quotes and other benchmarks alone', async () => {
    const body = renderMarkdown(mixed);
    const other = renderMarkdown(fixture('no-baseline')); // another benchmark, another marker
    fake.seedComments(REPO, 3, 1, () => body, 'github-actions[bot]');
    fake.seedComments(REPO, 3, 1, () => `> ${marker}\n> quoted by a reviewer`, 'reviewer');
    fake.seedComments(REPO, 3, 1, () => other, 'github-actions[bot]');
    fake.seedComments(REPO, 3, 2, () => body, 'github-actions[bot]'); // two racing jobs posted again
    const [oldest] = fake.comments(REPO, 3);
    const outcome = await upsertStickyComment(client, { ...where, issue: 3, marker }, renderMarkdown(unchanged));
    expect(outcome.id).toBe(oldest.id);
    expect(outcome.deleted).toHaveLength(2);
    const left = fake.comments(REPO, 3);
    expect(left.map((c) => c.body.split('\n')[0])).toEqual([marker, `> ${marker}`, stickyMarker('syscalls')]);
  });

  it('retries a 502 from GitHub', async () => {
    fake.failNext(502, (m, p) => m === 'GET' && p.endsWith('/issues/4/comments'));
    const outcome = await upsertStickyComment(client, { ...where, issue: 4, marker }, renderMarkdown(mixed));
    expect(outcome.action).toBe('created');
    const lists = fake.requests.filter((r) => r.path.endsWith('/issues/4/comments') && r.method === 'GET');
    expect(lists.map((r) => r.status)).toEqual([502, 200]);
  });

  it('a read-only token gets 403 and the error says so (the command turns it into a warning)', async () => {
    fake.addToken('ro', 'reader', 'read');
    const ro = createGitHubClient({ token: 'ro', baseUrl: fake.url, retries: 0 });
    await expect(upsertStickyComment(ro, { ...where, issue: 5, marker }, renderMarkdown(mixed))).rejects.toMatchObject({
      status: 403,
    });
    expect(fake.comments(REPO, 5)).toHaveLength(0);
  });
});
