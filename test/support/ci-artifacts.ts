/**
 * Artifacts folders as the benchmark workflow leaves them (one `benchmark-<machine>` folder per
 * machine, each with ONE results file), from synthetic runs: for the report workflow's tests and
 * for rehearsals by hand (scripts/fixtures/make-artifacts.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticResult, type SyntheticRun } from './synthetic-results.js';

export const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'; // the head of the PR examples
export const PUSH_SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246'; // the push example's `after`
const MiB = 2 ** 20;
export const MACHINES = [
  { name: 'ubuntu-22.04', kernel: '5.15.0-1071-azure' },
  { name: 'ubuntu-24.04', kernel: '6.8.0-1021-azure' },
];

function runs(cpu: number, seed: number): SyntheticRun[] {
  const wiggle = [0.98, 1.02, 0.99, 1.01, 1.0, 0.97];
  return wiggle.map((w, i) => ({ cpuMedian: cpu * w * (1 + ((seed * (i + 3)) % 5) / 400), memMedian: 80 * MiB * w }));
}

/** An A/B results file as `collector-bench run --baseline-image --candidate-image` writes it: one file, runs with arm and pair. */
export function abFile(
  dir: string,
  machine: { name: string; kernel: string },
  candidateCpu: number,
  seed: number,
): string {
  const env = { kernel: machine.kernel, collectorImage: 'collector:head' };
  const a = syntheticResult({
    runs: runs(10, seed),
    env,
    seed,
    sha: HEAD,
    pr: 2,
    createdAt: '2026-01-10T12:20:00.000Z',
  });
  const b = syntheticResult({ runs: runs(candidateCpu, seed + 1), env, seed: seed + 1, sha: HEAD, pr: 2 });
  const order = ['baseline', 'candidate', 'candidate', 'baseline', 'baseline', 'candidate', 'candidate', 'baseline'];
  const used = { baseline: 0, candidate: 0 };
  const all = [...order, ...order.slice(0, 4)].map((arm, index) => {
    const k = used[arm as 'baseline' | 'candidate']++;
    const run = (arm === 'baseline' ? a : b).runs[k];
    return { ...run, index, arm, pair: Math.floor(index / 2) + 1 };
  });
  const file = join(dir, `benchmark-${machine.name}`, `default-20260110T122000Z.json`);
  mkdirSync(join(dir, `benchmark-${machine.name}`), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...a, runs: all }, null, 2));
  // What `run` also leaves beside its results: ignored by the report.
  writeFileSync(
    file.replace(/\.json$/, '.comparison.json'),
    JSON.stringify({ schema: 'collector-bench/comparison@1' }),
  );
  return file;
}

/** A single-arm results file from a push to main (history mode). */
export function historyFile(dir: string, machine: { name: string; kernel: string }, seed: number): string {
  const r = syntheticResult({
    runs: runs(10, seed),
    env: { kernel: machine.kernel },
    seed,
    sha: PUSH_SHA,
    ref: 'refs/heads/master',
    createdAt: `2026-01-11T03:1${seed % 10}:00.000Z`,
  });
  mkdirSync(join(dir, `benchmark-${machine.name}`), { recursive: true });
  const file = join(dir, `benchmark-${machine.name}`, `default-${seed}.json`);
  writeFileSync(file, JSON.stringify(r));
  return file;
}
