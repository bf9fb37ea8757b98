#!/usr/bin/env zx
// The benchmark step of action.yml: runs collector-bench in the mode the plan chose and writes ONE
// results file into the results folder (uploaded as the artifact `benchmark-<machine>`). It reads
// only environment variables the action sets from its inputs, so no input is pasted into a shell.
//   A/B:     collector-bench run --baseline-image B --candidate-image C  (one file, runs carry arm/pair)
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

const args = ['run', '--benchmark', benchmark, '--runs', env.CB_RUNS || '5', '--out', file, '--no-compare'];
if (env.CB_CONFIG) args.push('--config', env.CB_CONFIG);
if (mode === 'ab')
  args.push('--baseline-image', need('CB_BASELINE_IMAGE'), '--candidate-image', need('CB_CANDIDATE_IMAGE'));
else if (env.CB_IMAGE) args.push('--collector-image', env.CB_IMAGE);

const cli = path.join(root, 'bin/collector-bench.js');
await $`${process.execPath} ${cli} ${args}`;
const outputs = `results-file=${file}\nmachine=${machine}\n`;
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, outputs);
else process.stdout.write(outputs);
