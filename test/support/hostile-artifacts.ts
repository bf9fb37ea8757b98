/**
 * Crafted artifacts as the author of a fork PR could upload them: a valid artifacts folder (the
 * one builder in ci-artifacts.ts), then one field, name or byte changed. For the tests of the
 * privileged report workflow (test/github/hostile-pr.test.ts, test/github/hostile-property.test.ts).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CiPlan } from '../../src/ci/plan.js';
import { abFile, HEAD, MACHINES } from './ci-artifacts.js';

export const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
export const MAINTAINER = 'maintainer-max';

/** Both machines' A/B results files, as the benchmark workflow uploads them; returns the files. */
export function validArtifacts(dir: string): string[] {
  return MACHINES.map((m, i) => abFile(dir, m, 10 + i, 11 + i));
}

/** Rewrites one results file through `edit` (the parsed JSON; return a value to replace it). */
export function mutate(file: string, edit: (json: Record<string, unknown>) => unknown): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const replaced = edit(json);
  writeFileSync(file, JSON.stringify(replaced ?? json));
}

/** Writes raw text as a results file (for what JSON.stringify cannot produce: 1e999, deep nesting). */
export function writeRaw(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Another copy of `file` in its machine's folder with a different benchmark name. */
export function copyAsBenchmark(file: string, benchmark: string, name = `${benchmark.length}.json`): string {
  const target = join(dirname(file), name);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(target, JSON.stringify({ ...json, benchmark }));
  return target;
}

/** Renames a machine's artifact folder (the artifact name the PR's job chose). */
export function renameMachine(dir: string, from: string, to: string): void {
  renameSync(join(dir, `benchmark-${from}`), join(dir, `benchmark-${to}`));
}

/** The plan the report workflow hands on for PR #2 approved by the maintainer (`ci plan --plan`). */
export function approvedPlan(overrides: Partial<CiPlan> = {}): CiPlan {
  return {
    benchmark: false,
    mode: 'ab',
    comment: true,
    updateBaseline: true,
    reason: 'report for PR #2; baseline: update-baseline applied by maintainer-max (maintain)',
    trigger: 'pull_request',
    pr: 2,
    headSha: HEAD,
    baseSha: BASE_SHA,
    fork: true,
    approvedBy: MAINTAINER,
    approverRole: 'maintain',
    matrix: { include: MACHINES.map((m) => ({ name: m.name, 'runs-on': m.name })) },
    ...overrides,
  };
}

export function writePlan(dir: string, plan: CiPlan): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(plan));
  return file;
}
