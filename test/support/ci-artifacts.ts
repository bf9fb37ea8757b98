/**
 * Artifacts folders as the benchmark workflow leaves them (one `benchmark-<machine>` folder per
 * machine, each with ONE results file), built with the one result-file builder: for the report
 * workflow's tests and for rehearsals by hand (scripts/fixtures/make-artifacts.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MiB } from '../../src/units.js';
import { abResultFile, resultFile, type RunSpec } from './result-files.js';

export const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'; // the head of the PR examples
export const PUSH_SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246'; // the push example's `after`
export const MACHINES = [
  { name: 'ubuntu-22.04', kernel: '5.15.0-1071-azure' },
  { name: 'ubuntu-24.04', kernel: '6.8.0-1021-azure' },
];

function runs(cpu: number, seed: number): RunSpec[] {
  const wiggle = [0.98, 1.02, 0.99, 1.01, 1.0, 0.97];
  return wiggle.map((w, i) => ({ cpu: cpu * w * (1 + ((seed * (i + 3)) % 5) / 400), mem: 80 * MiB * w }));
}

/** An A/B results file as `collector-bench run --baseline-image --candidate-image` writes it: one file, runs with arm and pair. */
export function abFile(
  dir: string,
  machine: { name: string; kernel: string },
  candidateCpu: number,
  seed: number,
): string {
  const base = runs(10, seed);
  const cand = runs(candidateCpu, seed + 1);
  const result = abResultFile({
    pairs: base.map((b, i) => ({ baseline: b, candidate: cand[i] })),
    env: { kernel: machine.kernel },
    seed,
    sha: HEAD,
    pr: 2,
    createdAt: '2026-01-10T12:20:00.000Z',
  });
  const folder = join(dir, `benchmark-${machine.name}`);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'default-20260110T122000Z.json');
  writeFileSync(file, JSON.stringify(result, null, 2));
  // What `run` also leaves beside its results: ignored by the report.
  writeFileSync(
    file.replace(/\.json$/, '.comparison.json'),
    JSON.stringify({ schema: 'collector-bench/comparison@2' }),
  );
  return file;
}

/** A single-arm results file from a push to main (history mode). */
export function historyFile(dir: string, machine: { name: string; kernel: string }, seed: number): string {
  const r = resultFile({
    runs: runs(10, seed),
    env: { kernel: machine.kernel },
    seed,
    sha: PUSH_SHA,
    ref: 'refs/heads/master',
    createdAt: `2026-01-11T03:1${seed % 10}:00.000Z`,
  });
  const folder = join(dir, `benchmark-${machine.name}`);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `default-${seed}.json`);
  writeFileSync(file, JSON.stringify(r));
  return file;
}
