#!/usr/bin/env zx
// The benchmark step of action.yml: runs collector-bench in the mode the plan chose and writes ONE
// results file into the results folder (uploaded as the artifact `benchmark-<machine>`). It reads
// only environment variables the action sets from its inputs, so no input is pasted into a shell.
//   A/B:     collector-bench run --baseline-image B --candidate-image C [--duet] --budget M
//            (input budget, default 10), or --runs N when budget is empty (one file, runs carry
//            arm/pair)
//   history: collector-bench run [--collector-image I]
import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { $, path } from 'zx';

$.verbose = true;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const need = (name) => {
  if (!env[name]) throw new Error(`${name} is empty; the action input that sets it is required in this mode`);
  return env[name];
};

const mode = env.CB_MODE;
if (mode !== 'ab' && mode !== 'history') throw new Error(`CB_MODE has value "${mode}"; allowed: ab, history`);
const machine = (env.CB_MACHINE || env.ImageOS || env.RUNNER_NAME || 'machine').replace(/[^A-Za-z0-9._-]/g, '-');
const dir = path.resolve(env.CB_RESULTS_DIR || 'benchmark-results');
mkdirSync(dir, { recursive: true });
const benchmark = env.CB_BENCHMARK || 'default';
const file = path.join(dir, `${benchmark}-${mode}-${machine}.json`);

// The A/B design (README "Both arms at once", "Budgeted A/B runs"): both arms in one load window,
// and a time budget in place of a fixed number of pairs. Checked here, before anything runs.
const duet = env.CB_DUET || 'false';
if (duet !== 'true' && duet !== 'false') throw new Error(`input duet has value "${duet}"; allowed: true, false`);
const budget = env.CB_BUDGET || '';
if (budget !== '' && !/^\d+(\.\d+)?$/.test(budget))
  throw new Error(
    `input budget has value "${budget}"; allowed: minutes (e.g. 10), or empty for a fixed number of runs`,
  );
const budgeted = mode === 'ab' && budget !== '';

const args = ['run', '--benchmark', benchmark, '--out', file, '--no-compare'];
if (!budgeted) args.push('--runs', env.CB_RUNS || '5');
if (env.CB_CONFIG) args.push('--config', env.CB_CONFIG);
if (mode === 'ab') {
  args.push('--baseline-image', need('CB_BASELINE_IMAGE'), '--candidate-image', need('CB_CANDIDATE_IMAGE'));
  if (duet === 'true') args.push('--duet');
  if (budgeted) args.push('--budget', budget);
} else if (env.CB_IMAGE) args.push('--collector-image', env.CB_IMAGE);

const cli = path.join(root, 'bin/collector-bench.js');
await $`${process.execPath} ${cli} ${args}`;
const outputs = `results-file=${file}\nmachine=${machine}\n`;
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, outputs);
else process.stdout.write(outputs);
