/**
 * History mode: the candidate session against stored sessions. The unit is the session (one
 * results file, value = the mean of its counted runs), tested with the prediction t-test; Welch and
 * Mann-Whitney on the pooled runs stay as labelled diagnostics, never deciding.
 */
import { changeOf, decidingTest, diagnostics, nonFinite, relativeLevel, sideStats, type Analysis } from './analysis.js';
import { coefficientOfVariation, mean, standardDeviation } from './descriptive.js';
import { effectiveFloor } from './floors.js';
import { runLevelValues, sessionValue, type MetricSpec } from './metrics.js';
import type { CompareOptions } from './options.js';
import { predictionTest } from './prediction.js';
import type { ResultFile } from '../contracts/result.js';

export function analyseHistory(
  spec: MetricSpec,
  baselineFiles: readonly ResultFile[],
  candidateFile: ResultFile,
  mismatch: readonly string[],
  envKey: string,
  options: CompareOptions,
): Analysis {
  const pooledBase = runLevelValues(baselineFiles, spec);
  const pooledCand = runLevelValues([candidateFile], spec);
  const failures: string[] = [];
  for (const bad of [nonFinite('baseline runs', pooledBase), nonFinite('candidate runs', pooledCand)]) {
    if (bad) failures.push(bad);
  }
  if (pooledCand.length < options.minRuns) {
    const which = spec.family === 'agentCost' ? 'counted candidate runs with this metric' : 'counted candidate runs';
    failures.push(`too few ${which}: ${pooledCand.length} (need ${options.minRuns})`);
  }
  if (mismatch.length > 0) failures.push(`environments differ (${mismatch.join('; ')})`);
  const sessions = baselineFiles.map((f) => sessionValue(f, spec)).filter((v): v is number => v !== null);
  const candidate = sessionValue(candidateFile, spec);
  const clean = failures.length === 0 && candidate !== null && sessions.every(Number.isFinite);
  const level = clean && sessions.length > 0 ? Math.abs(mean(sessions)) : null;
  const floor = spec.floor(options.floors);
  const t = clean ? predictionTest(sessions, candidate) : predictionTest([], Number.NaN);
  const sdB = sessions.length > 1 ? standardDeviation(sessions) : Number.NaN;
  const cv = clean ? coefficientOfVariation(sessions) : Number.NaN;
  return {
    spec,
    envKey,
    baseline: sideStats(pooledBase),
    candidate: sideStats(pooledCand),
    change: changeOf(clean && sessions.length > 0 ? candidate - mean(sessions) : null, relativeLevel(spec, level)),
    floor: { ...floor, effective: effectiveFloor(floor, level) },
    paired: null,
    history: {
      sessionValues: sessions.filter(Number.isFinite),
      candidateValue: candidate !== null && Number.isFinite(candidate) ? candidate : null,
      sessionCv: Number.isFinite(cv) ? cv : null,
    },
    diagnostics: clean ? diagnostics(pooledCand, pooledBase) : { welch: null, mannWhitney: null },
    test: decidingTest('prediction-t', t),
    baselineLevel: level,
    planner:
      Number.isFinite(sdB) && sdB > 0
        ? { unit: 'sessions', standardErrorAt: (k) => sdB * Math.sqrt(1 + 1 / k), dfAt: (k) => k - 1 }
        : null,
    preconditionFailures: failures,
  };
}
