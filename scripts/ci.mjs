#!/usr/bin/env node
// What CI runs after `npm ci`: host setup (Docker engine, bpftrace, busybox, chromium for the HTML
// report test), the house rules (lint, format, unused code), then the README's test command with
// the Docker-backed suites required, so they fail instead of skipping.
import { $, fs, os, path } from 'zx';

$.verbose = true;
const root = path.join(new URL('.', import.meta.url).pathname, '..');
$.cwd = root;

const setup = await $`node scripts/setup-host.mjs chromium`.nothrow();
if (setup.exitCode !== 0) process.exit(setup.exitCode ?? 1);
const startedDockerd = setup.stdout.trim();
const ours = async () =>
  (await $`docker ps -aq --no-trunc --filter label=collector-bench=1`.nothrow().quiet()).stdout
    .split('\n')
    .filter(Boolean);
const before = new Set(await ours());

let status = 0;
try {
  await $`npm run lint`;
  const report = path.join(os.tmpdir(), `collector-bench-vitest-${process.pid}.json`);
  const tests = await $({
    env: { ...process.env, COLLECTOR_BENCH_REQUIRE_DOCKER: '1' },
  })`npm test -- --reporter=default --reporter=json --outputFile=${report}`.nothrow();
  status = tests.exitCode ?? 1;
  // A closing line any tracker can read, from vitest's own JSON report.
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    const skipped = r.numPendingTests ? `, ${r.numPendingTests} skipped` : '';
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped}`);
  }
} catch (e) {
  status = e.exitCode ?? 1;
} finally {
  // Our tests remove their containers; this only guards against a crashed test process, and
  // leaves alone whatever was there before this run (another harness's, on a shared engine).
  const left = (await ours()).filter((id) => !before.has(id));
  if (left.length) await $`docker rm -f ${left}`.nothrow().quiet();
  if (startedDockerd) await $`kill ${startedDockerd}`.nothrow().quiet();
}
process.exit(status);
