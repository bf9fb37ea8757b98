/**
 * `collector-bench validate regression`: proves the harness finds a regression of known cause. The
 * reference collector is run with and without a load knob (CPU work or memory kept per event),
 * interleaved A B B A on this machine, and the ordinary comparison must call the knob's metric a
 * regression; with no knob (`--aa`) it must call nothing. This is the A/A and A/B calibration the
 * experts ask for, on the real harness rather than on simulated numbers.
 */
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { renderTerminal } from '../../report/terminal.js';
import { runInterleavedAb } from '../../run/ab-benchmark.js';
import { createProgress } from '../../run/progress.js';
import { setupSensor } from '../../run/sensor-hooks.js';
import { compareResults } from '../../stats/compare.js';
import { color, info } from '../output.js';
import { compareOptionsFrom } from './compare.js';
import { MiB } from '../../units.js';

export interface ValidateRegressionOptions {
  workFactor?: string;
  retainBytesPerEvent?: string;
  aa?: boolean;
  runs?: string;
  loadSeconds?: string;
  warmupSeconds?: string;
  runtime?: string;
  collectionMethod?: string;
  config?: string;
  outDir?: string;
  json?: boolean;
}

function nonNegativeInt(flag: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new InvalidInputError(`flag --${flag}`, flag, raw, 'a whole number >= 0');
  return n;
}

export async function validateRegressionCommand(opts: ValidateRegressionOptions): Promise<number> {
  const workFactor = opts.aa ? 0 : nonNegativeInt('work-factor', opts.workFactor, opts.retainBytesPerEvent ? 0 : 200);
  const retain = opts.aa ? 0 : nonNegativeInt('retain-bytes-per-event', opts.retainBytesPerEvent, 0);
  const { config } = loadConfig(
    {
      runs: opts.runs ?? '5',
      loadSeconds: opts.loadSeconds ?? '10',
      warmupSeconds: opts.warmupSeconds ?? '3',
      runtime: opts.runtime,
      collectionMethod: opts.collectionMethod,
    },
    opts.config,
  );
  if (config.collector.image !== null || config.collector.command !== null) {
    throw new InvalidInputError(
      'config',
      'collector.image',
      config.collector.image ?? config.collector.command,
      'null (the knobs belong to the reference collector)',
    );
  }
  const armB: Config = {
    ...config,
    benchmark: `${config.benchmark}-validate`,
    collector: {
      ...config.collector,
      env: {
        ...config.collector.env,
        REF_COLLECTOR_WORK_FACTOR: String(workFactor),
        REF_COLLECTOR_RETAIN_BYTES_PER_EVENT: String(retain),
      },
    },
  };
  const armA: Config = { ...armB, collector: { ...config.collector, env: { ...config.collector.env } } };
  const expected = { cpuPercent: workFactor > 0, memoryBytes: retain > 0 };
  info(
    `validate regression: ${config.run.runs} runs per arm, interleaved A B B A; ` +
      (opts.aa
        ? 'A/A: both arms identical, nothing may be called a change'
        : `B adds ${workFactor ? `${workFactor} work units` : ''}${workFactor && retain ? ' and ' : ''}${retain ? `${retain} bytes kept` : ''} per event`),
  );
  const progress = createProgress(process.stderr);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const arms = await runInterleavedAb({
    configs: { A: armA, B: armB },
    runsPerArm: config.run.runs,
    outDir: opts.outDir ?? 'results',
    stamp,
    log: (m) => progress.line(`› ${m}`),
    progress,
    setup: setupSensor,
    onSlot: (arm, slot, total, r) => {
      const run = r.runs[r.runs.length - 1];
      progress.line(
        `slot ${slot + 1}/${total} (${arm}): ${run?.valid ? `CPU ${run.summary?.cpuPercent.median.toFixed(2)}%, memory ${((run.summary?.memoryBytes.median ?? 0) / MiB).toFixed(1)} MiB` : `INVALID (${run?.invalidReason})`}`,
      );
    },
  });
  const comparison = compareResults([arms.A.result], arms.B.result, {
    ...compareOptionsFrom(config.compare),
    baselineSource: arms.A.file,
    candidateFile: arms.B.file,
  });
  info('');
  info(renderTerminal(comparison, { color }));
  const misses: string[] = [];
  for (const m of comparison.metrics) {
    const want = expected[m.metric] ? 'regression' : 'no change';
    const ok = expected[m.metric] ? m.verdict === 'regression' : m.verdict === 'unchanged';
    if (!ok) misses.push(`${m.metric}: expected ${want}, got ${m.verdict} (${m.reason})`);
  }
  info(
    misses.length
      ? `validate regression: FAILED\n  ${misses.join('\n  ')}`
      : 'validate regression: the harness called every metric as expected',
  );
  info(`results: ${arms.A.file} (A), ${arms.B.file} (B)`);
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ expected, comparison, files: { A: arms.A.file, B: arms.B.file }, passed: misses.length === 0 })}\n`,
    );
  return misses.length ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
}
