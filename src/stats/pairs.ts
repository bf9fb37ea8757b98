/**
 * The pairs of an A/B results file (result@2, `mode: "ab"`): every non-warm-up run carries `arm`
 * and `pair`; a pair is one baseline and one candidate run with the same pair number. A pair counts
 * only when both its runs count (valid, with a summary): dropping one run of a pair but keeping the
 * other would bring back the drift that pairing removes.
 */
import { countedRuns, runValue, type ResultFile, type Run } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';

export interface RunPair {
  pair: number;
  baseline: Run;
  candidate: Run;
}

export interface Pairing {
  pairs: RunPair[];
  /** Pairs left out, each with why (e.g. "pair 3: candidate run #7 invalid"). */
  dropped: string[];
}

export function pairRuns(result: ResultFile, where: string): Pairing {
  const counted = new Set(countedRuns(result));
  const byPair = new Map<number, Run[]>();
  result.runs.forEach((run, i) => {
    if (run.warmupRun) return;
    if (run.arm === undefined) {
      throw new InvalidInputError(
        where,
        `runs.${i}.arm`,
        run.arm,
        '"baseline" | "candidate" (every run of an A/B file)',
      );
    }
    if (typeof run.pair !== 'number') {
      throw new InvalidInputError(
        where,
        `runs.${i}.pair`,
        run.pair,
        'an integer >= 1 (every non-warm-up run of an A/B file)',
      );
    }
    const list = byPair.get(run.pair) ?? [];
    list.push(run);
    byPair.set(run.pair, list);
  });
  const pairs: RunPair[] = [];
  const dropped: string[] = [];
  for (const [pair, runs] of [...byPair].sort((a, b) => a[0] - b[0])) {
    const baseline = runs.filter((r) => r.arm === 'baseline');
    const candidate = runs.filter((r) => r.arm === 'candidate');
    if (baseline.length > 1 || candidate.length > 1) {
      const i = result.runs.indexOf(runs[runs.length - 1]);
      throw new InvalidInputError(
        where,
        `runs.${i}.pair`,
        pair,
        'each pair number on one baseline and one candidate run',
      );
    }
    if (baseline.length === 0 || candidate.length === 0) {
      dropped.push(`pair ${pair}: no ${baseline.length === 0 ? 'baseline' : 'candidate'} run`);
      continue;
    }
    const missing = [baseline[0], candidate[0]].filter((r) => !counted.has(r));
    if (missing.length > 0) {
      dropped.push(
        `pair ${pair}: ${missing.map((r) => `${r.arm} run #${r.index + 1} ${r.valid ? 'has no steady state' : 'invalid'}`).join(', ')}`,
      );
      continue;
    }
    pairs.push({ pair, baseline: baseline[0], candidate: candidate[0] });
  }
  return { pairs, dropped };
}

export function pairValues(pairs: readonly RunPair[], metric: 'cpuPercent' | 'memoryBytes') {
  return {
    baseline: pairs.map((p) => runValue(p.baseline, metric)),
    candidate: pairs.map((p) => runValue(p.candidate, metric)),
  };
}
