/**
 * `collector-bench run --baseline-image X --candidate-image Y` (or `--candidate-env K=V`, or with
 * the process runtime `--baseline-command` / `--candidate-command`): the same-machine A/B benchmark,
 * then its paired comparison. No baseline store is read: the file holds both arms.
 */
import { writeFileSync } from 'node:fs';
import type { Config } from '../../config/schema.js';
import type { Comparison } from '../../contracts/comparison.js';
import type { ResultFile } from '../../contracts/result.js';
import { InvalidInputError } from '../../errors.js';
import { renderReport } from '../../report/index.js';
import { renderRunTable } from '../../report/terminal.js';
import { armResult, runAbBenchmark, type AbArms } from '../../run/ab-benchmark.js';
import { createProgress } from '../../run/progress.js';
import { setupSensor } from '../../run/sensor-hooks.js';
import { comparePaired } from '../../stats/compare.js';
import { color, info } from '../output.js';
import { compareOptionsFrom } from './compare.js';
import { MiB } from '../../units.js';

export interface AbFlags {
  baselineImage?: string;
  candidateImage?: string;
  baselineCommand?: string;
  candidateCommand?: string;
  baselineEnv?: string[];
  candidateEnv?: string[];
}

/** Whether the flags ask for an A/B run at all. */
export function wantsAb(flags: AbFlags): boolean {
  return Boolean(
    flags.baselineImage ||
    flags.candidateImage ||
    flags.baselineCommand ||
    flags.candidateCommand ||
    flags.baselineEnv?.length ||
    flags.candidateEnv?.length,
  );
}

/** commander collector for repeatable `--candidate-env K=V`. */
export function collectEnv(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseEnvAssignments(flag: string, values: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of values) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(raw);
    if (!m) throw new InvalidInputError(`flag --${flag}`, flag, raw, 'KEY=VALUE, KEY made of letters, digits and _');
    env[m[1]] = m[2];
  }
  return env;
}

/** A command given as one string: split on whitespace (no shell quoting). */
function argvOf(command: string | undefined): string[] | null {
  if (command === undefined) return null;
  const argv = command.trim().split(/\s+/).filter(Boolean);
  return argv.length ? argv : null;
}

/**
 * The two arms' configs. Each arm's collector is its own image or command when given, else the
 * configured collector (null = the reference collector); a candidate with neither runs the
 * baseline's collector, so `--candidate-env K=V` alone A/Bs a knob of one collector.
 */
export function abArms(config: Config, flags: AbFlags): AbArms {
  const arm = (image: string | undefined, command: string | undefined, env: Record<string, string>, from: Config) => {
    const argv = argvOf(command);
    const collector = {
      ...from.collector,
      image: image ?? (argv ? null : from.collector.image),
      command: argv ?? (image ? null : from.collector.command),
      env: { ...from.collector.env, ...env },
    };
    return { ...from, collector };
  };
  const baseline = arm(
    flags.baselineImage,
    flags.baselineCommand,
    parseEnvAssignments('baseline-env', flags.baselineEnv),
    config,
  );
  const candidateEnv = parseEnvAssignments('candidate-env', flags.candidateEnv);
  const candidate = arm(flags.candidateImage, flags.candidateCommand, candidateEnv, {
    ...baseline,
    // The candidate starts from the baseline arm's collector but not from its own extra env.
    collector: { ...baseline.collector, env: { ...config.collector.env } },
  });
  return { baseline, candidate };
}

/** The paired comparison of an A/B file: the candidate arm against the baseline arm, pair by pair. */
export function compareAbResult(result: ResultFile, file: string, config: Config): Comparison {
  return comparePaired(result, { ...compareOptionsFrom(config.compare), candidateFile: file });
}

/** Writes the comparison beside the results file, as a single-arm run does. */
export function writeAbReports(comparison: Comparison, result: ResultFile, file: string): string {
  const stem = file.replace(/\.json$/, '');
  const results = { baseline: [], candidate: result }; // both arms are in the one file
  writeFileSync(`${stem}.comparison.json`, renderReport('json', comparison));
  writeFileSync(`${stem}.comparison.md`, renderReport('markdown', comparison, { results }));
  writeFileSync(`${stem}.report.html`, renderReport('html', comparison, { results }));
  return stem;
}

export async function runAbCommand(config: Config, flags: AbFlags & { json?: boolean }): Promise<number> {
  const arms = abArms(config, flags);
  const runsPerArm = config.run.runs;
  info(
    `collector-bench A/B: benchmark "${config.benchmark}", ${runsPerArm} run(s) per arm interleaved` +
      `${config.run.warmupRuns ? ` + ${config.run.warmupRuns} warm-up per arm` : ''}\n` +
      `  baseline:  ${arms.baseline.collector.image ?? arms.baseline.collector.command?.join(' ') ?? 'reference collector'}\n` +
      `  candidate: ${arms.candidate.collector.image ?? arms.candidate.collector.command?.join(' ') ?? 'reference collector'}` +
      `${flags.candidateEnv?.length ? ` with ${flags.candidateEnv.join(' ')}` : ''}`,
  );
  const progress = createProgress(process.stderr, false);
  const { result, file } = await runAbBenchmark(arms, {
    runsPerArm,
    log: (m) => progress.line(m.startsWith('warning: ') ? m : `› ${m}`),
    progress,
    setup: setupSensor,
    onRun: (run, _r, slot) => {
      const s = run.summary;
      progress.line(
        `slot ${slot.done}/${slot.total} (${run.arm}${run.pair ? `, pair ${run.pair}` : ', warm-up'}): ` +
          (run.valid ? 'valid' : `INVALID (${run.invalidReason})`) +
          (s
            ? `, CPU ${s.cpuPercent.windowMean.toFixed(2)}%, memory ${(s.memoryBytes.windowMean / MiB).toFixed(1)} MiB`
            : ''),
      );
    },
  });
  info('');
  info(renderRunTable(result, { color }));
  info(`results: ${file}`);
  const comparison = compareAbResult(result, file, config);
  info('');
  info(renderReport('text', comparison, { color }));
  const stem = writeAbReports(comparison, result, file);
  info(`comparison: ${stem}.comparison.{json,md} and ${stem}.report.html`);
  if (flags.json) process.stdout.write(`${JSON.stringify({ results: file, comparison })}\n`);
  const pairs = new Set(armResult(result, 'candidate').runs.map((r) => r.pair)).size;
  return pairs > 0 ? 0 : 1;
}
