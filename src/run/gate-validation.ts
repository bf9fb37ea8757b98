/**
 * Measures the gate itself on this machine: repeated A/A comparisons (nothing changed: every
 * regression or improvement verdict is a false positive) and A/B comparisons with regressions of
 * known size injected through the reference collector's knobs (the target metric must be called a
 * regression). A/B mode runs both arms interleaved in one session; history mode (the full run)
 * compares a candidate session with earlier sessions of the baseline, as CI against stored
 * results does. The rates are counted over real runs, never assumed.
 */
import type { Comparison } from '../contracts/comparison.js';
import type { Config } from '../config/schema.js';
import type { ResultFile } from '../contracts/result.js';
import { runAbBenchmark } from './ab-benchmark.js';
import { runBenchmark, type BenchmarkOptions } from './benchmark.js';
import { mean, median } from '../stats/descriptive.js';

export type ValidatedMetric = 'cpuPercent' | 'memoryBytes';

/** One injected condition: the knob environment of the candidate and the metric it must move. */
export interface GateCondition {
  name: string;
  /** What is injected, for the table, e.g. "+10% CPU". */
  injected: string;
  env: Record<string, string>;
  /** null for A/A: no metric may move. */
  target: ValidatedMetric | null;
}

export interface GateOutcome {
  mode: 'ab' | 'history';
  condition: string;
  repetition: number;
  verdicts: Record<ValidatedMetric, string>;
  mde: Record<ValidatedMetric, number | null>;
  /** Relative change the comparison measured for each metric. */
  change: Record<ValidatedMetric, number | null>;
  file: string;
  wallMs: number;
}

export interface GateValidationOptions extends Omit<BenchmarkOptions, 'onRun'> {
  /** The baseline arm's config (the reference collector); timings, runs and output folder come from it. */
  config: Config;
  conditions: GateCondition[];
  repetitions: number;
  pairs: number;
  /** History mode: this many baseline sessions, then one candidate session per condition and repetition. */
  historySessions: number;
  /** Where result files go (one per A/B comparison or session). */
  file: (name: string) => string;
  compareAb: (result: ResultFile, file: string) => Comparison;
  compareHistory: (baseline: ResultFile[], candidate: ResultFile, file: string) => Comparison;
  onOutcome?: (o: GateOutcome, done: number, total: number) => void;
}

function outcomeOf(
  mode: GateOutcome['mode'],
  condition: GateCondition,
  repetition: number,
  comparison: Comparison,
  file: string,
  wallMs: number,
): GateOutcome {
  const pick = <T>(f: (m: Comparison['metrics'][number]) => T, fallback: T) =>
    Object.fromEntries(
      (['cpuPercent', 'memoryBytes'] as const).map((k) => {
        const m = comparison.metrics.find((x) => x.metric === k);
        return [k, m ? f(m) : fallback];
      }),
    ) as Record<ValidatedMetric, T>;
  return {
    mode,
    condition: condition.name,
    repetition,
    verdicts: pick((m) => m.verdict, 'missing'),
    mde: pick((m) => m.mde, null),
    change: pick((m) => m.change.relative, null),
    file,
    wallMs,
  };
}

function withEnv(config: Config, env: Record<string, string>, benchmark: string): Config {
  return { ...config, benchmark, collector: { ...config.collector, env: { ...config.collector.env, ...env } } };
}

/**
 * A/B repetitions, condition by condition inside each repetition (so slow drift spreads over
 * every condition), then history sessions when asked. Only the very first session has warm-up runs.
 */
export async function runGateValidation(opts: GateValidationOptions): Promise<GateOutcome[]> {
  const { config, conditions } = opts;
  const outcomes: GateOutcome[] = [];
  const total =
    opts.repetitions * conditions.length + (opts.historySessions > 0 ? opts.repetitions * conditions.length : 0);
  let firstSession = true;
  const timing = (c: Config): Config => {
    const warm = firstSession ? c.run.warmupRuns : 0;
    firstSession = false;
    return { ...c, run: { ...c.run, warmupRuns: warm } };
  };
  const record = (o: GateOutcome) => {
    outcomes.push(o);
    opts.onOutcome?.(o, outcomes.length, total);
  };

  for (let rep = 1; rep <= opts.repetitions; rep++) {
    for (const condition of conditions) {
      const started = Date.now();
      const name = `ab-${condition.name}-${rep}`;
      const baseline = timing({ ...config, benchmark: `${config.benchmark}-gate`, out: opts.file(name) });
      const candidate = withEnv(baseline, condition.env, baseline.benchmark);
      const { result, file } = await runAbBenchmark({ baseline, candidate }, { ...opts, runsPerArm: opts.pairs });
      record(outcomeOf('ab', condition, rep, opts.compareAb(result, file), file, Date.now() - started));
    }
  }

  if (opts.historySessions > 0) {
    const runs = { ...config.run, runs: opts.pairs };
    const sessions: ResultFile[] = [];
    for (let s = 1; s <= opts.historySessions; s++) {
      const c = timing({
        ...config,
        run: runs,
        benchmark: `${config.benchmark}-gate`,
        out: opts.file(`history-base-${s}`),
      });
      sessions.push((await runBenchmark(c, opts)).result);
    }
    for (let rep = 1; rep <= opts.repetitions; rep++) {
      for (const condition of conditions) {
        const started = Date.now();
        const name = `history-${condition.name}-${rep}`;
        const c = withEnv({ ...config, run: runs, out: opts.file(name) }, condition.env, `${config.benchmark}-gate`);
        const { result, file } = await runBenchmark(timing(c), opts);
        record(
          outcomeOf('history', condition, rep, opts.compareHistory(sessions, result, file), file, Date.now() - started),
        );
        // Sessions keep coming as CI's would: the A/A session joins the baseline for later ones.
        if (condition.target === null) sessions.push(result);
      }
    }
  }
  return outcomes;
}

export interface GateRow {
  mode: GateOutcome['mode'];
  condition: GateCondition;
  repetitions: number;
  /** A/A: comparisons with any regression/improvement verdict; otherwise: target metric called a regression. */
  hits: number;
  rate: number;
  medianMde: number | null;
  meanChange: number | null;
  wallMs: number;
}

export function summarizeGate(outcomes: readonly GateOutcome[], conditions: readonly GateCondition[]): GateRow[] {
  const rows: GateRow[] = [];
  for (const mode of ['ab', 'history'] as const) {
    for (const condition of conditions) {
      const mine = outcomes.filter((o) => o.mode === mode && o.condition === condition.name);
      if (!mine.length) continue;
      const target = condition.target;
      const hits = mine.filter((o) =>
        target === null
          ? Object.values(o.verdicts).some((v) => v === 'regression' || v === 'improvement')
          : o.verdicts[target] === 'regression',
      ).length;
      const metric: ValidatedMetric = target ?? 'cpuPercent';
      const mdes = mine.flatMap((o) => (o.mde[metric] === null ? [] : [o.mde[metric]!]));
      const changes = mine.flatMap((o) => (o.change[metric] === null ? [] : [o.change[metric]!]));
      rows.push({
        mode,
        condition,
        repetitions: mine.length,
        hits,
        rate: hits / mine.length,
        medianMde: mdes.length ? median(mdes) : null,
        meanChange: changes.length ? mean(changes) : null,
        wallMs: mine.reduce((a, o) => a + o.wallMs, 0),
      });
    }
  }
  return rows;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const signedPct = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);

/** The Markdown table `validate` prints and the README carries. */
export function formatGateTable(rows: readonly GateRow[], totalWallMs: number): string {
  const lines = [
    '| mode | condition | injected | comparisons | false positives / detections | rate | measured change (mean) | median MDE | wall time |',
    '| --- | --- | --- | --: | --: | --: | --: | --: | --: |',
  ];
  for (const r of rows) {
    const what = r.condition.target === null ? 'false positives' : `${r.condition.target} called regression`;
    lines.push(
      `| ${r.mode === 'ab' ? 'A/B' : 'history'} | ${r.condition.name} | ${r.condition.injected} | ${r.repetitions} | ` +
        `${r.hits} (${what}) | ${pct(r.rate)} | ${signedPct(r.meanChange)} | ${r.medianMde === null ? '—' : `±${(r.medianMde * 100).toFixed(1)}%`} | ${(r.wallMs / 60_000).toFixed(1)} min |`,
    );
  }
  lines.push('', `Total wall time: ${(totalWallMs / 60_000).toFixed(1)} min.`);
  return lines.join('\n');
}
