/**
 * `collector-bench compare`, and the comparison that ends `npm run bench`. An A/B results file
 * (`mode: "ab"`) is compared with itself: its candidate arm against its baseline arm, no store
 * opened. Any other file is compared in history mode against the newest results from main in the
 * baseline store, for the same environment key.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../config/schema.js';
import type { Comparison } from '../../contracts/comparison.js';
import { isAbResult } from '../../contracts/ab.js';
import { READABLE_RESULT_SCHEMAS, type ResultFile } from '../../contracts/result.js';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { selectBaseline } from '../../baseline/select.js';
import { openStore, type BaselineStore } from '../../baseline/store.js';
import { parseResultBytes } from '../../baseline/read-result.js';
import { isReportFormat, renderReport, REPORT_FORMATS } from '../../report/index.js';
import { comparePaired, compareResults } from '../../stats/compare.js';
import type { CompareOptionsInput } from '../../stats/options.js';
import { color, info } from '../output.js';

export function readResultFile(file: string): ResultFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InvalidInputError(
      file,
      '(file)',
      undefined,
      `a readable ${READABLE_RESULT_SCHEMAS.join(' or ')} file`,
      (e as Error).message,
    );
  }
  return parseResultBytes(bytes, file);
}

export function compareOptionsFrom(c: Config['compare']): CompareOptionsInput {
  return { alpha: c.alpha, minRuns: c.minRuns, floors: c.floors };
}

export interface ComparedWithStore {
  comparison: Comparison;
  baseline: ResultFile[];
  envKey: string;
}

export async function compareWithStore(
  store: BaselineStore,
  candidate: ResultFile,
  candidateFile: string,
  options: CompareOptionsInput,
): Promise<ComparedWithStore> {
  const { envKey, refs, results: baseline } = await selectBaseline(store, candidate);
  const comparison = compareResults(baseline, candidate, {
    ...options,
    baselineSource: store.location,
    candidateFile,
    baselineIds: refs.map((r) => r.key),
    envKey,
  });
  return { comparison, baseline, envKey };
}

/** The comparison printed at the end of `collector-bench run`; also written beside the results file. */
export async function compareAfterRun(
  config: Config,
  result: ResultFile,
  file: string,
): Promise<{ comparison: Comparison | null; exitCode: number }> {
  if (isAbResult(result)) {
    const comparison = comparePaired(result, { ...compareOptionsFrom(config.compare), candidateFile: file });
    info('');
    info(renderReport('text', comparison, { color }));
    writeReports(file, comparison, { baseline: [], candidate: result });
    return { comparison, exitCode: EXIT_CODES.ok };
  }
  const store = await openStore(config.compare.baseline, { source: 'compare.baseline' });
  const { comparison, baseline, envKey } = await compareWithStore(
    store,
    result,
    file,
    compareOptionsFrom(config.compare),
  );
  if (baseline.length === 0) {
    info(
      `\ncomparison: no baseline yet for "${result.benchmark}" on ${envKey} in ${store.location}.\n` +
        `  To make this run the baseline:  npx collector-bench baseline update --results ${file} --from-main\n` +
        `  (CI does this on pushes to main and for PRs labelled update-baseline.)`,
    );
  } else {
    info('');
    info(renderReport('text', comparison, { color }));
  }
  writeReports(file, comparison, { baseline, candidate: result });
  return { comparison, exitCode: EXIT_CODES.ok };
}

/** The comparison's JSON, Markdown and HTML beside the results file. */
function writeReports(
  file: string,
  comparison: Comparison,
  results: { baseline: ResultFile[]; candidate: ResultFile },
) {
  const stem = file.replace(/\.json$/, '');
  writeFileSync(`${stem}.comparison.json`, renderReport('json', comparison));
  writeFileSync(`${stem}.comparison.md`, renderReport('markdown', comparison, { results }));
  writeFileSync(`${stem}.report.html`, renderReport('html', comparison, { results }));
  info(`comparison: ${stem}.comparison.{json,md} and ${stem}.report.html`);
}

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
  const file = resolve(opts.results);
  const candidate = readResultFile(file);
  const options = compareOptionsFrom(config.compare);
  if (opts.alpha !== undefined) options.alpha = Number(opts.alpha);
  if (opts.minRuns !== undefined) options.minRuns = Number(opts.minRuns);
  let comparison: Comparison;
  let baseline: ResultFile[] = [];
  if (isAbResult(candidate)) {
    // Both arms are in the file: no store is opened, so none needs to exist.
    comparison = comparePaired(candidate, { ...options, candidateFile: file });
  } else {
    const store = await openStore(opts.baseline ?? config.compare.baseline, { source: 'flag --baseline' });
    ({ comparison, baseline } = await compareWithStore(store, candidate, file, options));
  }
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
