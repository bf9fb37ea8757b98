/**
 * Every scenario file (or the ones named with --only), one after the other, each with its own mock
 * sensor and collector; the results in `results/scenarios-<time>.json` and a table of them. The
 * command (cli/commands/scenarios.ts) prints it; exit code 0 when all passed, 1 otherwise.
 */
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { EXIT_CODES } from '../errors.js';
import { writeJsonAtomically } from '../atomic-json.js';
import { textTable } from '../report/text-table.js';
import { onCleanup } from '../runtime/cleanup.js';
import { selectRuntime } from '../runtime/select-runtime.js';
import type { Runtime } from '../runtime/types.js';
import { describeObserved } from './expectations.js';
import { SCENARIOS_SCHEMA, ScenariosFileSchema, type ScenarioResult, type ScenariosFile } from './result.js';
import { planScenarios } from './profile-plan.js';
import { runScenario, skippedScenario } from './run-scenario.js';
import type { Config, ScenarioPlan } from '../config/schema.js';
import { loadScenarios, SCENARIOS_DIR } from './schema.js';

export interface RunScenariosOptions {
  only?: string[];
  collectorImage?: string;
  runtime?: 'auto' | 'docker' | 'process';
  /** Print the results file's JSON on stdout instead of the table. */
  json?: boolean;
  /** Where results, logs and bundles go; default `results`. */
  outDir?: string;
  /** Folder of scenario YAML files; default the repository's `scenarios/`. */
  scenariosDir?: string;
  /** Extra labels on every container (tests pass collector-bench.test=1). */
  labels?: Record<string, string>;
  /** Use this runtime instead of selecting one. */
  runtimeInstance?: Runtime;
  /** A profile (collectors/<agent>.yaml): its scenario plan and collector settings. */
  profile?: { file: string; plan: ScenarioPlan; collector: Config['collector'] };
  log: (msg: string) => void;
}

export interface RunScenariosOutcome {
  results: ScenarioResult[];
  /** EXIT_CODES.ok when every scenario passed, else checkFailed. */
  exitCode: number;
  file: string;
  table: string;
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

export function renderScenarioTable(results: ScenarioResult[], opts: { color?: boolean; cwd?: string } = {}): string {
  const paint = (ok: boolean, s: string) => (opts.color ? (ok ? pc.green(s) : pc.red(s)) : s);
  const rel = (p: string | null) => (p ? relative(opts.cwd ?? process.cwd(), p) || p : '—');
  const rows = results.map((r) => [
    r.name,
    r.expected,
    describeObserved(r.observed),
    r.observed.exitCode === null ? '—' : String(r.observed.exitCode),
    r.observed.seconds === null ? '—' : `${r.observed.seconds.toFixed(1)} s`,
    r.skipped !== null ? 'skip' : paint(r.passed, r.passed ? 'pass' : 'FAIL'),
    rel(r.bundle),
  ]);
  const table = textTable(['Scenario', 'Expected', 'Observed', 'Exit', 'Time', 'Result', 'Bundle'], rows, {
    align: ['left', 'left', 'left', 'right', 'right', 'left', 'left'],
  });
  const skipped = results.filter((r) => r.skipped !== null).map((r) => `${r.name}: skipped: ${r.skipped}`);
  const failures = results
    .filter((r) => !r.passed && r.skipped === null)
    .map((r) =>
      [
        `${r.name}:`,
        ...(r.error ? [`  harness error: ${r.error}`] : []),
        ...r.checks.filter((c) => !c.ok).map((c) => `  ${c.name}: expected ${c.expected}, observed ${c.observed}`),
      ].join('\n'),
    );
  return [
    table,
    ...(skipped.length ? [skipped.join('\n')] : []),
    ...(failures.length ? [failures.join('\n')] : []),
  ].join('\n\n');
}

export async function runScenarios(opts: RunScenariosOptions): Promise<RunScenariosOutcome> {
  const { log } = opts;
  const scenarios = loadScenarios(opts.scenariosDir ?? SCENARIOS_DIR, opts.only);
  const runtime = opts.runtimeInstance ?? (await selectRuntime(opts.runtime ?? 'auto', log));
  const outDir = resolve(opts.outDir ?? 'results');
  mkdirSync(outDir, { recursive: true });
  const removeAll = async () => {
    for (const h of runtime.active()) await h.remove();
  };
  const unregister = onCleanup(removeAll);
  const createdAt = new Date();
  const results: ScenarioResult[] = [];
  try {
    const version = await runtime.version();
    log(`runtime: ${version}; ${scenarios.length} scenario(s): ${scenarios.map((s) => s.name).join(', ')}`);
    const planned = opts.profile
      ? planScenarios(
          scenarios,
          opts.profile.plan,
          opts.profile.file,
          loadScenarios(opts.scenariosDir ?? SCENARIOS_DIR).map((s) => s.name),
        )
      : scenarios.map((scenario) => ({ scenario, skip: null }));
    for (const { scenario: s, skip } of planned) {
      if (skip !== null) {
        log(`scenario ${s.name}: skipped (${skip})`);
        results.push(skippedScenario(s, { runtime }, skip));
        continue;
      }
      log(`scenario ${s.name}: starting`);
      const r = await runScenario(s, {
        runtime,
        collectorImage: opts.collectorImage,
        labels: opts.labels,
        outDir,
        profile: opts.profile?.collector,
        log,
      });
      log(
        `scenario ${s.name}: ${r.passed ? 'pass' : 'FAIL'} in ${(r.durationMs / 1000).toFixed(1)} s${r.bundle ? `; diagnostic bundle: ${r.bundle}` : ''}`,
      );
      results.push(r);
    }
    const file = join(outDir, `scenarios-${stamp(createdAt)}.json`);
    const doc: ScenariosFile = ScenariosFileSchema.parse({
      schema: SCENARIOS_SCHEMA,
      createdAt: createdAt.toISOString(),
      runtime: { kind: runtime.kind, version },
      collectorImage: opts.collectorImage ?? null,
      passed: results.filter((r) => r.passed).length,
      failed: results.filter((r) => !r.passed && r.skipped === null).length,
      skipped: results.filter((r) => r.skipped !== null).length,
      profile: opts.profile?.file ?? null,
      durationMs: Date.now() - createdAt.getTime(),
      results,
    });
    writeJsonAtomically(file, doc);
    const table = renderScenarioTable(results, {
      color: !opts.json && !!process.stderr.isTTY && !process.env.NO_COLOR,
    });
    // Skipped scenarios fail nothing (and pass nothing: they count as skipped).
    const exitCode = results.every((r) => r.passed || r.skipped !== null) ? EXIT_CODES.ok : EXIT_CODES.checkFailed;
    return { results, exitCode, file, table };
  } finally {
    await removeAll();
    unregister();
  }
}
