/**
 * Comparing results: an A/B results file (`mode: "ab"`) with itself, its candidate arm against its
 * baseline arm, no store opened; any other file in history mode against the newest results from
 * main in the baseline store, for the same environment key. Also the comparison that ends a
 * benchmark (compareAfterRun), written beside the results file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Comparison } from '../contracts/comparison.js';
import { isAbResult } from '../contracts/ab.js';
import { READABLE_RESULT_SCHEMAS, type ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { selectBaseline } from '../baseline/select.js';
import { openStore, type BaselineStore } from '../baseline/store.js';
import { parseResultBytes } from '../baseline/read-result.js';
import { renderReport } from '../report/index.js';
import { comparePaired, compareResults } from '../stats/compare.js';
import type { CompareOptionsInput } from '../stats/options.js';
import type { Printer } from './printer.js';

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
  return { alpha: c.alpha, minRuns: c.minRuns, floors: c.floors, deciding: c.deciding };
}

/** The paired comparison of an A/B file (paired t-test decides; no store is read). */
export function compareAbResult(result: ResultFile, file: string, config: Config): Comparison {
  return comparePaired(result, { ...compareOptionsFrom(config.compare), candidateFile: file });
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

/** The comparison printed at the end of a benchmark; also written beside the results file. */
export async function compareAfterRun(
  config: Config,
  result: ResultFile,
  file: string,
  print: Printer,
): Promise<Comparison> {
  if (isAbResult(result)) {
    const comparison = compareAbResult(result, file, config);
    print.info('');
    print.info(renderReport('text', comparison, { color: print.color }));
    writeReports(file, comparison, { baseline: [], candidate: result }, print);
    return comparison;
  }
  const store = await openStore(config.compare.baseline, { source: 'compare.baseline' });
  const { comparison, baseline, envKey } = await compareWithStore(
    store,
    result,
    file,
    compareOptionsFrom(config.compare),
  );
  if (baseline.length === 0) {
    print.info(
      `\ncomparison: no baseline yet for "${result.benchmark}" on ${envKey} in ${store.location}.\n` +
        `  To make this run the baseline:  npx collector-bench baseline update --results ${file} --from-main\n` +
        `  (CI does this on pushes to main and for PRs labelled update-baseline.)`,
    );
  } else {
    print.info('');
    print.info(renderReport('text', comparison, { color: print.color }));
  }
  writeReports(file, comparison, { baseline, candidate: result }, print);
  return comparison;
}

/** The comparison's JSON, Markdown and HTML beside the results file. */
function writeReports(
  file: string,
  comparison: Comparison,
  results: { baseline: ResultFile[]; candidate: ResultFile },
  print: Printer,
) {
  const stem = file.replace(/\.json$/, '');
  writeFileSync(`${stem}.comparison.json`, renderReport('json', comparison));
  writeFileSync(`${stem}.comparison.md`, renderReport('markdown', comparison, { results }));
  writeFileSync(`${stem}.report.html`, renderReport('html', comparison, { results }));
  print.info(`comparison: ${stem}.comparison.{json,md} and ${stem}.report.html`);
}

/** `compare --results F`: the file compared with its own baseline arm or with the store. */
export async function compareResultsFile(
  opts: { results: string; baseline?: string; alpha?: string; minRuns?: string },
  config: Config,
): Promise<{ comparison: Comparison; baseline: ResultFile[]; candidate: ResultFile }> {
  const file = resolve(opts.results);
  const candidate = readResultFile(file);
  const options = compareOptionsFrom(config.compare);
  if (opts.alpha !== undefined) options.alpha = Number(opts.alpha);
  if (opts.minRuns !== undefined) options.minRuns = Number(opts.minRuns);
  if (isAbResult(candidate)) {
    // Both arms are in the file: no store is opened, so none needs to exist.
    return { comparison: comparePaired(candidate, { ...options, candidateFile: file }), baseline: [], candidate };
  }
  const store = await openStore(opts.baseline ?? config.compare.baseline, { source: 'flag --baseline' });
  const { comparison, baseline } = await compareWithStore(store, candidate, file, options);
  return { comparison, baseline, candidate };
}
