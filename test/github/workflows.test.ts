/**
 * The workflow files and action.yml: they pass a real validator (@action-validator/cli, GitHub's
 * workflow and action schemas), and read as data they keep the promises the README makes: what
 * triggers what, who may write, that the untrusted workflow holds no secret, that the trusted one
 * never checks out PR code, and that no `run:` pastes an expression into a shell.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const execFileP = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const WORKFLOWS = join(ROOT, '.github/workflows');
const VALIDATOR = join(ROOT, 'node_modules/@action-validator/cli/cli.mjs');

/* eslint-disable @typescript-eslint/no-explicit-any -- workflow YAML is free-form data */
type Yaml = Record<string, any>;

const load = (file: string): Yaml => parse(readFileSync(file, 'utf8')) as Yaml;
const benchmark = load(join(WORKFLOWS, 'benchmark.yml'));
const report = load(join(WORKFLOWS, 'benchmark-report.yml'));
const action = load(join(ROOT, 'action.yml'));

async function validate(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [VALIDATOR, file], { timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, output: err.stdout + err.stderr };
  }
}

/** Every string in a YAML document, with its path. */
function strings(node: unknown, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

function steps(doc: Yaml): Array<{ job: string; step: Yaml }> {
  if (doc.runs?.steps) return (doc.runs.steps as Yaml[]).map((step) => ({ job: '(action)', step }));
  return Object.entries(doc.jobs as Record<string, Yaml>).flatMap(([job, j]) =>
    ((j.steps ?? []) as Yaml[]).map((step) => ({ job, step })),
  );
}

describe('a real validator accepts every workflow and action.yml', () => {
  const files = [...readdirSync(WORKFLOWS).map((f) => join(WORKFLOWS, f)), join(ROOT, 'action.yml')];

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s', async (_name, file) => {
    const r = await validate(file);
    expect(r.code, r.output).toBe(0);
  });

  it('and rejects a broken one (the check can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-wf-'));
    const broken = join(dir, 'broken.yml');
    writeFileSync(
      broken,
      readFileSync(join(WORKFLOWS, 'benchmark.yml'), 'utf8').replace(
        'runs-on: ubuntu-latest',
        'runs_on: ubuntu-latest',
      ),
    );
    const r = await validate(broken);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/runs-on|runs_on|additional/i);
  });
});

describe('benchmark.yml (untrusted: runs PR code)', () => {
  it('triggers on PR open/reopen/push/label, pushes to main, a nightly schedule and by hand', () => {
    expect(benchmark.on.pull_request.types).toEqual(['opened', 'reopened', 'synchronize', 'labeled']);
    expect(benchmark.on.push.branches).toEqual(['main']);
    expect(benchmark.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
    expect(benchmark.on).toHaveProperty('workflow_dispatch');
  });

  it('may only read, and no job asks for more', () => {
    expect(benchmark.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(benchmark.jobs as Record<string, Yaml>)) expect(job.permissions).toBeUndefined();
  });

  it('references no secret, and neither does the action it runs', () => {
    for (const doc of [benchmark, action]) {
      const uses = strings(doc).filter(([, v]) => /\bsecrets\b/.test(v));
      expect(uses).toEqual([]);
    }
  });

  it('cancels a running benchmark of the same PR on a new push, but not for an unrelated label', () => {
    expect(benchmark.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
    const group: string = benchmark.concurrency.group;
    expect(group).toMatch(/github\.event\.pull_request\.number \|\| github\.ref/);
    expect(group).toMatch(
      /github\.event\.action == 'labeled' && github\.event\.label\.name != 'run-benchmark' &&\s+github\.event\.label\.name != 'update-baseline' && format\('-label-\{0\}', github\.run_id\)/,
    );
  });

  it('decides with `ci plan` through the zx script, and benchmarks only when told, on every machine', () => {
    const plan = benchmark.jobs.plan;
    expect(plan.steps.find((s: Yaml) => s.id === 'plan').run).toBe('npx zx scripts/ci-plan.mjs');
    expect(plan.steps.find((s: Yaml) => s.id === 'plan').env.BENCHMARK_MACHINES).toBe('${{ vars.BENCHMARK_MACHINES }}');
    const job = benchmark.jobs.benchmark;
    expect(job.needs).toBe('plan');
    expect(job.if).toBe("needs.plan.outputs.benchmark == 'true'");
    expect(job.strategy.matrix).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
    expect(job['runs-on']).toBe('${{ matrix.runs-on }}');
    expect(job.strategy['fail-fast']).toBe(false);
  });

  it('on a PR checks out base and head on the same runner and runs the A/B mode through the action', () => {
    const s = benchmark.jobs.benchmark.steps as Yaml[];
    const base = s.find((x) => x.with?.path === 'base');
    expect(base).toMatchObject({
      if: "needs.plan.outputs.mode == 'ab'",
      with: { ref: '${{ github.event.pull_request.base.sha }}' },
    });
    const bench = s.find((x) => x.uses === './') as Yaml;
    expect(bench.with).toMatchObject({
      mode: '${{ needs.plan.outputs.mode }}',
      machine: '${{ matrix.name }}',
      'baseline-image': 'collector-bench/ab:base',
      'candidate-image': 'collector-bench/ab:head',
    });
    expect(bench.with['build-baseline']).toMatch(/docker tag "\$ref" collector-bench\/ab:base/);
    // The measured default PR design: a 10-minute budget (README "Validate it for real").
    expect(bench.with.budget).toBe('10');
  });
});

describe('action.yml (composite)', () => {
  it('takes images or build commands, runs, a baseline store and a token', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of [
      'baseline-image',
      'candidate-image',
      'build-baseline',
      'build-candidate',
      'runs',
      'duet',
      'budget',
      'baseline-store',
      'token',
    ]) {
      expect(action.inputs, input).toHaveProperty(input);
    }
    expect(action.inputs.budget.default).toBe('10');
  });

  it('refuses a duet or budget input it cannot honour, naming the input, before anything runs', async () => {
    const zx = join(ROOT, 'node_modules/zx/build/cli.js');
    const script = join(ROOT, 'scripts/ci-benchmark.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'cb-action-'));
    const base = { ...process.env, CB_MODE: 'ab', CB_RESULTS_DIR: dir, GITHUB_OUTPUT: '' };
    for (const [key, value, allowed] of [
      ['CB_DUET', 'yes', /input duet has value "yes"; allowed: true, false/],
      ['CB_BUDGET', 'ten', /input budget has value "ten"; allowed: minutes/],
    ] as const) {
      const failed = await execFileP(process.execPath, [zx, script], { env: { ...base, [key]: value } }).then(
        () => null,
        (e: { stderr: string }) => e.stderr,
      );
      expect(failed).toMatch(allowed);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('runs A/B with one results file and uploads it as benchmark-<machine>', () => {
    const script = readFileSync(join(ROOT, 'scripts/ci-benchmark.mjs'), 'utf8');
    expect(script).toMatch(
      /'--baseline-image', need\('CB_BASELINE_IMAGE'\), '--candidate-image', need\('CB_CANDIDATE_IMAGE'\)/,
    );
    const upload = (action.runs.steps as Yaml[]).find((s) =>
      String(s.uses).startsWith('actions/upload-artifact@'),
    ) as Yaml;
    expect(upload.with.name).toBe('benchmark-${{ steps.run.outputs.machine }}');
  });
});

describe('benchmark-report.yml (trusted: default-branch code only)', () => {
  it('runs when the benchmark workflow completes', () => {
    expect(report.on).toEqual({ workflow_run: { workflows: [benchmark.name], types: ['completed'] } });
  });

  it('starts with no permissions and grants each job only what it needs', () => {
    expect(report.permissions).toEqual({});
    expect(report.jobs.plan.permissions).toEqual({
      contents: 'read',
      actions: 'read',
      'pull-requests': 'read',
      issues: 'read',
    });
    expect(report.jobs.report.permissions).toMatchObject({
      'pull-requests': 'write',
      statuses: 'write',
      contents: 'read',
    });
    expect(report.jobs['update-baseline'].permissions.contents).toBe('read');
  });

  it('never checks out or runs PR code: every checkout is the default branch', () => {
    const checkouts = steps(report).filter(({ step }) => String(step.uses).startsWith('actions/checkout@'));
    expect(checkouts.length).toBe(3);
    for (const { step } of checkouts) expect(step.with.ref).toBe('${{ github.event.repository.default_branch }}');
    const headRefs = strings(report).filter(([, v]) => /workflow_run\.(head_sha|head_branch)/.test(v));
    expect(headRefs.map(([p]) => p)).toEqual(['concurrency.group']);
  });

  it('reports through `ci report` and moves the baseline only when the plan says so, in the protected environment', () => {
    const reportRun = steps(report).find(({ job, step }) => job === 'report' && /ci report/.test(step.run ?? ''));
    expect(reportRun?.step.run).toMatch(
      /node bin\/collector-bench\.js ci report --artifacts artifacts .*--plan plan\.json/,
    );
    const update = report.jobs['update-baseline'];
    expect(update.if).toBe("needs.plan.outputs.update-baseline == 'true'");
    expect(update.environment).toBe('benchmark-baseline');
    expect(update.needs).toEqual(['plan', 'report']);
    // Write credentials only here: the writer's service account and key.
    const writers = strings(report).filter(([, v]) => /GCP_BASELINE_WRITER/.test(v));
    expect(writers.every(([p]) => p.startsWith('jobs.update-baseline.'))).toBe(true);
    expect(writers.length).toBe(2);
  });

  it('documents Workload Identity Federation with a JSON key as the fallback', () => {
    const auth = steps(report).filter(({ step }) => String(step.uses).startsWith('google-github-actions/auth@'));
    expect(auth.map(({ step }) => Object.keys(step.with).sort().join(','))).toEqual([
      'service_account,workload_identity_provider',
      'credentials_json',
      'service_account,workload_identity_provider',
      'credentials_json',
    ]);
  });
});

describe('every run: step, in all three files', () => {
  it('uses every outside action pinned by a full commit SHA (a moved tag cannot change what runs)', () => {
    for (const doc of [benchmark, report, action]) {
      for (const { job, step } of steps(doc)) {
        if (typeof step.uses !== 'string' || step.uses.startsWith('./')) continue;
        expect(step.uses, `${job}: ${step.name ?? step.uses}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      }
    }
  });

  it('takes event data and inputs through env, never pasted into the script', () => {
    for (const doc of [benchmark, report, action]) {
      for (const { job, step } of steps(doc)) {
        if (typeof step.run === 'string') expect(step.run, `${job}: ${step.name ?? step.run}`).not.toMatch(/\$\{\{/);
      }
    }
  });
});
