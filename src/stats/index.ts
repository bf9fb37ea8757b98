/** The statistics and verdict engine: summaries of runs, tests, intervals, verdicts. */
export { summarizeRun, summarizeValues, steadyStateSamples, TRAILING_EXCLUSION_MS } from './summary.js';
export { welchTTest, welchDf, type WelchResult } from './welch.js';
export { mannWhitneyU, mannWhitneyNullCdf, averageRanks, type MannWhitneyResult } from './mann-whitney.js';
export { bootstrapRatioOfMedians, DEFAULT_BOOTSTRAP_RESAMPLES, type BootstrapOptions } from './bootstrap.js';
export { holmAdjust } from './holm.js';
export { minimumDetectableEffect, type MdeInput, type MdeResult } from './mde.js';
export { decideVerdict, overallVerdict, clearsFloors, type VerdictInput, type VerdictDecision } from './verdict.js';
export {
  compareResults,
  compareResultSets,
  runLevelValues,
  sideStats,
  METRICS,
  RUN_LEVEL_STATISTIC,
  type ComparisonInput,
  type ComparedMetric,
} from './compare.js';
export { CompareOptionsSchema, parseCompareOptions, type CompareOptions, type CompareOptionsInput } from './options.js';
export { environmentMismatches, kernelMajorMinor, comparableEnvironment } from './environment.js';
export { mulberry32, normalDraw, type Random } from './prng.js';
export type { StatResult } from './stat-result.js';
