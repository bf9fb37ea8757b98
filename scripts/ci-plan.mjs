#!/usr/bin/env zx
// The workflows' first step: runs `collector-bench ci plan` for this event and hands its decisions
// to the later jobs as step outputs, the machine matrix among them (BENCHMARK_MACHINES, read by
// src/ci/machines.ts). Every decision lives in the CLI (src/ci/plan.ts); this only passes it on.
// Rehearse locally without GITHUB_OUTPUT:
//   GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH=test/fixtures/events/pull_request.labeled-run-benchmark.json \
//   GITHUB_REPOSITORY=Codertocat/Hello-World npx zx scripts/ci-plan.mjs
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { $, path } from 'zx';

$.verbose = false;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const cli = path.join(root, 'bin/collector-bench.js');
const planned = await $`${process.execPath} ${cli} ci plan`.nothrow();
if (planned.exitCode !== 0) {
  process.stderr.write(planned.stderr);
  process.exit(planned.exitCode ?? 1);
}
const plan = JSON.parse(planned.stdout);
const outputs = {
  plan: JSON.stringify(plan),
  benchmark: String(plan.benchmark),
  mode: plan.mode ?? '',
  comment: String(plan.comment),
  'update-baseline': String(plan.updateBaseline),
  pr: plan.pr === null ? '' : String(plan.pr),
  'head-sha': plan.headSha ?? '',
  'base-sha': plan.baseSha ?? '',
  matrix: JSON.stringify(plan.matrix),
};
process.stderr.write(`ci plan: ${plan.reason}\n`);
const lines = Object.entries(outputs)
  .map(([k, v]) => `${k}=${v}\n`)
  .join('');
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines);
else process.stdout.write(lines);
