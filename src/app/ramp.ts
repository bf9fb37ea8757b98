/**
 * The ramp use case (`collector-bench ramp`): the processes rate raised step by step until the
 * collector loses events or the machine cannot go faster (run/ramp.ts), then its table and HTML
 * page; and `ramp compare`: which of two ramp files sustains more.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { RampResultSchema, type RampResult } from '../contracts/ramp.js';
import { InvalidInputError } from '../errors.js';
import { compareRamps, renderRampHtml, renderRampTable } from '../report/ramp.js';
import type { Progress } from '../run/progress.js';
import { runRamp, type RampSettings } from '../run/ramp.js';
import { defaultResultsPath } from '../run/results-writer.js';
import type { Printer } from './printer.js';

/** The ramp's settings, as the command line parses them. */
export type { RampSettings };

export async function rampBenchmark(
  config: Config,
  settings: RampSettings,
  out: string | undefined,
  print: Printer,
  progress: Progress,
): Promise<{ ramp: RampResult; file: string; html: string }> {
  const file = out ?? defaultResultsPath(`${config.benchmark}-ramp`, new Date());
  const ramp = await runRamp({
    config,
    settings,
    file,
    log: (m) => progress.line(m.startsWith('warning: ') ? m : `› ${m}`),
    progress,
    onStep: (s) =>
      progress.line(
        `step ${s.index + 1}: target ${s.targetRate}/s, achieved ${s.achievedRate === null ? '—' : Math.round(s.achievedRate)}/s -> ${s.status} (${s.reason})`,
      ),
  });
  print.info('');
  print.info(renderRampTable(ramp));
  const html = file.replace(/\.json$/, '') + '.html';
  writeFileSync(html, renderRampHtml([{ label: ramp.collectorImage ?? 'reference collector', ramp }]));
  print.info(`results: ${file}\nreport: ${html}`);
  return { ramp, file, html };
}

function readRamp(file: string): RampResult {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InvalidInputError(
      file,
      '(file)',
      undefined,
      'a readable collector-bench/ramp@1 JSON file',
      (e as Error).message,
    );
  }
  const parsed = RampResultSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(
      file,
      issue.path.join('.') || '(top level)',
      undefined,
      'a collector-bench/ramp@1 file',
      issue.message,
    );
  }
  return parsed.data;
}

/** Two ramp files side by side, labelled by their images (or file names), and the verdict line. */
export function compareRampFiles(baseline: string, candidate: string) {
  const a = readRamp(baseline);
  const b = readRamp(candidate);
  const labels: [string, string] = [a.collectorImage ?? baseline, b.collectorImage ?? candidate];
  return { a, b, labels, line: compareRamps(a, b, labels) };
}
