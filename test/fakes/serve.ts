/**
 * Starts the fake GitHub and the fake GCS on ephemeral loopback ports for a by-hand rehearsal of
 * the CI steps (README "Benchmarks in CI"), seeded like the sample events: repository
 * Codertocat/Hello-World, PR #2 (head ec26c3e), maintainer-max (maintain), reader-rita (read),
 * triage-tom (triage), token `rehearsal` (write), bucket `perf-baselines`. Prints the environment
 * to export, then serves until Ctrl-C. Run: npm run fakes [-- <login who applied update-baseline>]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { USERS } from '../../scripts/fixtures/make-events.js';
import { startFakeGcs } from './gcs/server.js';
import { FakeGitHub } from './github/server.js';

const REPO = 'Codertocat/Hello-World';
const events = join(import.meta.dirname, '../fixtures/events');
const sync = JSON.parse(readFileSync(join(events, 'pull_request.synchronize-with-label.json'), 'utf8'));

const github = await new FakeGitHub().start();
github.addToken('rehearsal', 'github-actions[bot]', 'write');
github.setPermission(REPO, USERS.maintainer, 'maintain');
github.setPermission(REPO, USERS.reader, 'read');
github.setPermission(REPO, USERS.triager, 'triage');
github.addPull(REPO, {
  number: sync.pull_request.number,
  headSha: sync.pull_request.head.sha,
  headRef: sync.pull_request.head.ref,
  headRepo: REPO,
  baseRef: sync.pull_request.base.ref,
  baseSha: sync.pull_request.base.sha,
  labels: ['run-benchmark'],
});
github.addWorkflowRun(REPO, {
  head_sha: sync.pull_request.head.sha,
  event: 'pull_request',
  created_at: '2026-01-10T12:00:00Z',
});
const approver = process.argv[2] ?? '';
if (approver) github.label(REPO, 2, 'update-baseline', approver, '2026-01-10T12:10:00Z');
const gcs = await startFakeGcs({ buckets: ['perf-baselines'] });

process.stdout.write(
  [
    `export GITHUB_API_URL=${github.url} GITHUB_TOKEN=rehearsal GITHUB_REPOSITORY=${REPO}`,
    `export STORAGE_EMULATOR_HOST=${gcs.url}`,
    approver
      ? `# update-baseline applied to PR #2 by ${approver}`
      : '# PR #2 carries run-benchmark only (pass a login, e.g. maintainer-max, to label it update-baseline)',
    '# serving; Ctrl-C to stop',
    '',
  ].join('\n'),
);
const stop = async () => {
  const comments = github.comments(REPO, 2);
  process.stderr.write(
    `PR #2 has ${comments.length} comment(s); statuses: ${
      github
        .statuses(REPO)
        .map((s) => `${s.sha.slice(0, 7)} ${s.state}`)
        .join(', ') || 'none'
    }\n`,
  );
  await github.stop();
  await gcs.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
