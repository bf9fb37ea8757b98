/** The sample events are GitHub's example payloads, changed only by the committed script. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PullRequestLabeledEvent } from '@octokit/webhooks-types';
import { describe, expect, it } from 'vitest';
import { buildEvents, eventFileText, EVENTS_DIR } from '../../scripts/fixtures/make-events.js';

describe('test/fixtures/events', () => {
  const built = buildEvents();

  it('holds exactly what scripts/fixtures/make-events.ts writes (re-run it after changing a case)', () => {
    const files = readdirSync(EVENTS_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(
      Object.keys(built)
        .map((n) => `${n}.json`)
        .sort(),
    );
    for (const [name, payload] of Object.entries(built)) {
      expect(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8'), name).toBe(eventFileText(payload));
    }
  });

  it('keeps the example payloads whole: only the fields a case needs differ', () => {
    const e = built['pull_request.update-baseline-by-maintainer'] as PullRequestLabeledEvent;
    expect(e.sender.login).toBe('maintainer-max');
    expect(e.label?.name).toBe('update-baseline');
    // Untouched parts of GitHub's example are still there, e.g. the installation and the PR's URLs.
    expect(e.pull_request.html_url).toBe('https://github.com/Codertocat/Hello-World/pull/2');
    expect(e.repository.full_name).toBe('Codertocat/Hello-World');
  });
});
