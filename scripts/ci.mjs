#!/usr/bin/env node
// The steps around the test command in CI (.ci/run calls `npm test` itself, as the README says):
//   node scripts/ci.mjs prepare          the house rules (npm run lint), then host setup (Docker
//                                        engine, bpftrace, busybox, chromium for the HTML report test);
//                                        prints the pid of a dockerd it started, or nothing
//   node scripts/ci.mjs finish PID FILE  the closing line from vitest's JSON report, then removes
//                                        containers a crashed test left and stops that dockerd
import { $, fs, path } from 'zx';

$.verbose = true;
$.cwd = path.join(new URL('.', import.meta.url).pathname, '..');
const [step, startedDockerd, report] = process.argv.slice(2);

if (step === 'prepare') {
  // The house rules first: they need only the npm packages, and a lint failure after the host setup
  // would leave the dockerd it started running (its pid never reaches .ci/run's trap).
  const lint = await $`npm run lint`.nothrow().quiet();
  process.stderr.write(lint.stdout + lint.stderr);
  if (lint.exitCode !== 0) process.exit(lint.exitCode ?? 1);
  const setup = await $`node scripts/setup-host.mjs chromium`.nothrow().quiet();
  process.stderr.write(setup.stderr);
  if (setup.exitCode !== 0) process.exit(setup.exitCode ?? 1);
  process.stdout.write(setup.stdout);
} else if (step === 'finish') {
  if (report && fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    const skipped = r.numPendingTests ? `, ${r.numPendingTests} skipped` : '';
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped}`);
  }
  // Our tests remove their containers (they carry the test label); this only guards against a crashed test process.
  const left = (await $`docker ps -aq --filter label=collector-bench.test=1`.nothrow().quiet()).stdout
    .split('\n')
    .filter(Boolean);
  if (left.length) await $`docker rm -f ${left}`.nothrow().quiet();
  if (startedDockerd) await $`kill ${startedDockerd}`.nothrow().quiet();
} else {
  console.error('usage: node scripts/ci.mjs prepare | finish <dockerd pid> <vitest json report>');
  process.exit(2);
}
