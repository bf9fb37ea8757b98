#!/usr/bin/env zx
// The workflows' first step: runs `collector-bench ci plan` for this event and hands its decisions
// to the later jobs as step outputs, plus the machine matrix. Every decision lives in the CLI
// (src/ci/plan.ts); this only passes it on. Rehearse locally without GITHUB_OUTPUT:
//   GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH=test/fixtures/events/pull_request.labeled-run-benchmark.json \
//   GITHUB_REPOSITORY=Codertocat/Hello-World npx zx scripts/ci-plan.mjs
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { $, path } from 'zx';

$.verbose = false;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The default machines: GitHub-hosted runner labels. Override with the BENCHMARK_MACHINES variable. */
const DEFAULT_MACHINES = ['ubuntu-22.04', 'ubuntu-24.04'];

/**
 * BENCHMARK_MACHINES is a JSON array; each entry a runner label ("ubuntu-24.04") or a list of
 * labels for a self-hosted pool (["self-hosted", "rhel9", "kernel-5.14"]).
 */
function machineMatrix(text) {
  let machines = DEFAULT_MACHINES;
  if (text && text.trim() !== '') {
    try {
      machines = JSON.parse(text);
    } catch (e) {
      throw new Error(
        `BENCHMARK_MACHINES is not JSON (${e.message}); allowed: ["ubuntu-24.04", ["self-hosted", "rhel9"]]`,
      );
    }
  }
  const ok = (l) => typeof l === 'string' && /^[A-Za-z0-9._-]+$/.test(l);
  if (
    !Array.isArray(machines) ||
    machines.length === 0 ||
    !machines.every((m) => ok(m) || (Array.isArray(m) && m.length > 0 && m.every(ok)))
  ) {
    throw new Error(
      `BENCHMARK_MACHINES has value ${text}; allowed: a non-empty JSON array of runner labels or label lists`,
    );
  }
  const include = machines.map((m) => ({ name: Array.isArray(m) ? m.join('-') : m, 'runs-on': m }));
  const names = new Set(include.map((i) => i.name));
  if (names.size !== include.length) throw new Error(`BENCHMARK_MACHINES names a machine twice: ${text}`);
  return { include };
}

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
  matrix: JSON.stringify(machineMatrix(process.env.BENCHMARK_MACHINES)),
};
process.stderr.write(`ci plan: ${plan.reason}\n`);
const lines = Object.entries(outputs)
  .map(([k, v]) => `${k}=${v}\n`)
  .join('');
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines);
else process.stdout.write(lines);
