/**
 * `collector-bench validate pr`: A/A and knob A/B comparisons of the default PR run, per design,
 * each appended to the validate record; `validate table`: the modes table from the whole record
 * (app/validate-pr.ts, app/validate-table.ts).
 */
import { writeFileSync } from 'node:fs';
import { validatePr, validatePrRequest, type ValidatePrOptions } from '../../app/validate-pr.js';
import { validateTable } from '../../app/validate-table.js';
import { loadConfig } from '../../config/load.js';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { createProgress } from '../progress.js';
import { printer } from '../output.js';

export interface ValidatePrCommandOptions extends ValidatePrOptions {
  runs?: string;
  warmupRuns?: string;
  loadSeconds?: string;
  warmupSeconds?: string;
  rampSeconds?: string;
  seed?: string;
  runtime?: string;
  collectionMethod?: string;
  config?: string;
  json?: boolean;
}

export async function validatePrCommand(opts: ValidatePrCommandOptions): Promise<number> {
  // The PR run's own defaults (runs, timings) unless given: the mode is validated as users run it.
  const { runs, warmupRuns, loadSeconds, warmupSeconds, rampSeconds, seed, runtime, collectionMethod } = opts;
  const { config, file } = loadConfig(
    { runs, warmupRuns, loadSeconds, warmupSeconds, rampSeconds, seed, runtime, collectionMethod },
    opts.config,
  );
  const request = validatePrRequest({ ...opts, runsGiven: runs !== undefined }, config, file);
  const report = await validatePr(request, printer, createProgress(process.stderr));
  if (opts.json) process.stdout.write(`${JSON.stringify({ record: report.record, appended: report.appended })}\n`);
  return EXIT_CODES.ok;
}

export interface ValidateTableCommandOptions {
  record?: string;
  format?: string;
  out?: string;
  json?: boolean;
}

export function validateTableCommand(opts: ValidateTableCommandOptions): number {
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'markdown')
    throw new InvalidInputError('flag --format', 'format', format, 'text | markdown');
  const table = validateTable(opts.record ?? 'validate-record.jsonl', format);
  const text = opts.json
    ? `${JSON.stringify({ comparisons: table.comparisons, rows: table.rows }, null, 2)}\n`
    : `${table.text}\n`;
  if (opts.out) writeFileSync(opts.out, text);
  process.stdout.write(text);
  return EXIT_CODES.ok;
}
