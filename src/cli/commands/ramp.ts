/**
 * `collector-bench ramp`: the processes workload's rate raised step by step until the collector
 * loses events or the machine cannot generate more; prints every step and the highest sustained
 * rate, writes the ramp@1 file (after every step) and an HTML page with the chart.
 * `collector-bench ramp compare A B`: which of two ramps (two images, say) sustains more.
 */
import { writeFileSync } from 'node:fs';
import { compareRampFiles, rampBenchmark } from '../../app/ramp.js';
import { loadConfig } from '../../config/load.js';
import { InvalidInputError } from '../../errors.js';
import { renderRampHtml, renderRampTable } from '../../report/ramp.js';
import { createProgress } from '../progress.js';
import type { RampSettings } from '../../app/ramp.js';
import { info, printer } from '../output.js';

function positive(name: string, raw: unknown, fallback: number, max = Number.POSITIVE_INFINITY): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || v > max)
    throw new InvalidInputError(
      '(command line)',
      `--${name}`,
      raw,
      `a number > 0${max < Infinity ? ` and ≤ ${max}` : ''}`,
    );
  return v;
}

export function rampSettings(opts: Record<string, unknown>): RampSettings {
  const startRate = positive('start-rate', opts.startRate, 100);
  return {
    startRate,
    maxRate: positive('max-rate', opts.maxRate, 12800),
    threshold: positive('threshold', opts.threshold, 0.01, 1),
    reachRatio: positive('reach', opts.reach, 0.95, 1),
    resolution: positive('resolution', opts.resolution, 0.1, 1),
    stepSeconds: positive('step-seconds', opts.stepSeconds, 10, 3600),
  };
}

export async function rampCommand(opts: Record<string, unknown>): Promise<number> {
  const settings = rampSettings(opts);
  const { config } = loadConfig(
    {
      runtime: opts.runtime,
      collectorImage: opts.collectorImage,
      collectionMethod: opts.collectionMethod,
      delivery: opts.delivery,
      warmupSeconds: opts.warmupSeconds,
      workloads: opts.workloads ?? 'workloads/processes.toml',
    },
    opts.config as string | undefined,
  );
  const progress = createProgress(process.stderr, false);
  const { ramp, file, html } = await rampBenchmark(config, settings, opts.out as string | undefined, printer, progress);
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ results: file, html, highestSustainedRate: ramp.highestSustainedRate, limit: ramp.limit })}\n`,
    );
  return ramp.highestSustainedRate === null ? 1 : 0;
}

export async function rampCompareCommand(
  baseline: string,
  candidate: string,
  opts: Record<string, unknown>,
): Promise<number> {
  const { a, b, labels, line } = compareRampFiles(baseline, candidate);
  info(renderRampTable(a));
  info(renderRampTable(b));
  info(line);
  if (opts.out)
    writeFileSync(
      opts.out as string,
      renderRampHtml([
        { label: labels[0], ramp: a },
        { label: labels[1], ramp: b },
      ]),
    );
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ verdict: line, baseline: a.highestSustainedRate, candidate: b.highestSustainedRate })}\n`,
    );
  return 0;
}
