/** `collector-bench compare`: a results file compared (app/compare.ts), the report printed or written. */
import { writeFileSync } from 'node:fs';
import { compareResultsFile } from '../../app/compare.js';
import type { Config } from '../../config/schema.js';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { isReportFormat, renderReport, REPORT_FORMATS } from '../../report/index.js';
import { color, info } from '../output.js';

export interface CompareCommandOptions {
  baseline?: string;
  results: string;
  format?: string;
  out?: string;
  alpha?: string;
  minRuns?: string;
  failOnRegression?: boolean;
}

export async function compareCommand(opts: CompareCommandOptions, config: Config): Promise<number> {
  const format = opts.format ?? 'text';
  if (!isReportFormat(format))
    throw new InvalidInputError('flag --format', 'format', format, REPORT_FORMATS.join(', '));
  const { comparison, baseline, candidate } = await compareResultsFile(opts, config);
  const text = renderReport(format, comparison, {
    color: format === 'text' && !opts.out && color,
    results: { baseline, candidate },
  });
  if (opts.out) {
    writeFileSync(opts.out, text);
    info(`${format} report written to ${opts.out} (overall: ${comparison.overall})`);
  } else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return opts.failOnRegression && comparison.overall === 'regression' ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
}
