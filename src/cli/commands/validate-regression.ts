/**
 * `collector-bench validate regression`: proves the harness finds a regression of known cause. The
 * reference collector is run with and without a load knob (CPU work or memory kept per event),
 * interleaved A B B A on this machine, and the ordinary comparison must call the knob's metric a
 * regression; with no knob (`--aa`) it must call nothing. This is the A/A and A/B calibration the
 * experts ask for, on the real harness rather than on simulated numbers.
 */
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { renderTerminal } from '../../report/terminal.js';
import { runAbBenchmark } from '../../run/ab-benchmark.js';
import { createProgress } from '../../run/progress.js';
import { setupSensor } from '../../run/sensor-hooks.js';
import { color, info } from '../output.js';
import { MiB } from '../../units.js';
import { compareAbResult } from './run-ab.js';

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
  const knobs = {
    REF_COLLECTOR_WORK_FACTOR: String(workFactor),
    REF_COLLECTOR_RETAIN_BYTES_PER_EVENT: String(retain),
  };
  const base: Config = { ...config, benchmark: `${config.benchmark}-validate` };
  const arms = {
    baseline: base,
    candidate: { ...base, collector: { ...base.collector, env: { ...base.collector.env, ...knobs } } },
  };
  const expected = { cpuPercent: workFactor > 0, memoryBytes: retain > 0 };
  info(
    `validate regression: ${config.run.runs} runs per arm, interleaved A B B A; ` +
      (opts.aa
        ? 'A/A: both arms identical, nothing may be called a change'
        : `B adds ${workFactor ? `${workFactor} work units` : ''}${workFactor && retain ? ' and ' : ''}${retain ? `${retain} bytes kept` : ''} per event`),
  );
  const progress = createProgress(process.stderr);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const { result, file } = await runAbBenchmark(
    {
      baseline: { ...arms.baseline, out: join(opts.outDir ?? 'results', `${base.benchmark}-${stamp}.json`) },
      candidate: arms.candidate,
    },
    {
      runsPerArm: config.run.runs,
      log: (m) => progress.line(`› ${m}`),
      progress,
      setup: setupSensor,
      onRun: (run, _r, slot) => {
        const s = run.summary;
        progress.line(
          `slot ${slot.done}/${slot.total} (${run.arm}): ${run.valid && s ? `CPU ${s.cpuPercent.windowMean.toFixed(2)}%, memory ${(s.memoryBytes.windowMean / MiB).toFixed(1)} MiB` : `INVALID (${run.invalidReason})`}`,
        );
      },
    },
  );
  const comparison = compareAbResult(result, file, config);
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
  info(`results: ${file}`);
  if (opts.json)
    process.stdout.write(`${JSON.stringify({ expected, comparison, file, passed: misses.length === 0 })}\n`);
  return misses.length ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
}
