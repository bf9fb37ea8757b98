/**
 * A/B mode: the paired runs of one A/B file decide. The paired t-test on the complete pairs'
 * differences is the deciding test; Wilcoxon's signed-rank test and a bootstrap interval of the
 * median paired ratio are shown beside it. A pair counts for a metric only when both its runs
 * carry the metric (an agent-cost figure may be missing on one run).
 */
import type { Pairing } from '../contracts/ab.js';
import { changeOf, decidingTest, diagnostics, nonFinite, relativeLevel, sideStats, type Analysis } from './analysis.js';
import { bootstrapMedianPairedRatio } from './bootstrap.js';
import { mean, standardDeviation } from './descriptive.js';
import { effectiveFloor } from './floors.js';
import type { MetricSpec } from './metrics.js';
import type { CompareOptions } from './options.js';
import { pairedDifferences, pairedTTest } from './paired-t.js';
import { wilcoxonSignedRank } from './wilcoxon.js';

export function analysePaired(spec: MetricSpec, pairing: Pairing, envKey: string, options: CompareOptions): Analysis {
  const pairs = pairing.pairs.filter((p) => spec.value(p.baseline) !== null && spec.value(p.candidate) !== null);
  const dropped = [
    ...pairing.dropped,
    ...pairing.pairs.filter((p) => !pairs.includes(p)).map((p) => `pair ${p.pair}: a run without this metric`),
  ];
  const baseline = pairs.map((p) => spec.value(p.baseline)!);
  const candidate = pairs.map((p) => spec.value(p.candidate)!);
  const failures: string[] = [];
  for (const bad of [nonFinite('baseline arm', baseline), nonFinite('candidate arm', candidate)]) {
    if (bad) failures.push(bad);
  }
  if (pairs.length < options.minRuns) {
    failures.push(
      `too few complete pairs: ${pairs.length} (need ${options.minRuns})` +
        (dropped.length > 0 ? `; dropped ${dropped.join('; ')}` : ''),
    );
  }
  const clean = failures.length === 0;
  const level = clean && pairs.length > 0 ? Math.abs(mean(baseline)) : null;
  const floor = spec.floor(options.floors);
  const t = clean ? pairedTTest(candidate, baseline) : pairedTTest([], []);
  const d = clean ? pairedDifferences(candidate, baseline) : [];
  const sdD = d.length > 1 ? standardDeviation(d) : Number.NaN;
  const ratio =
    clean && spec.relative
      ? bootstrapMedianPairedRatio(baseline, candidate, { resamples: options.bootstrapResamples, seed: options.seed })
      : null;
  return {
    spec,
    envKey,
    baseline: sideStats(baseline),
    candidate: sideStats(candidate),
    change: changeOf(d.length > 0 ? mean(d) : null, relativeLevel(spec, level)),
    floor: { ...floor, effective: effectiveFloor(floor, level) },
    paired: {
      pairs: pairs.length,
      droppedPairs: dropped.length,
      wilcoxon: clean ? wilcoxonSignedRank(candidate, baseline).value : null,
      medianRatio: ratio?.value ?? null,
    },
    history: null,
    diagnostics: clean ? diagnostics(candidate, baseline) : { welch: null, mannWhitney: null },
    test: decidingTest('paired-t', t),
    baselineLevel: level,
    planner:
      Number.isFinite(sdD) && sdD > 0
        ? { unit: 'pairs', standardErrorAt: (n) => sdD / Math.sqrt(n), dfAt: (n) => n - 1 }
        : null,
    preconditionFailures: failures,
  };
}
