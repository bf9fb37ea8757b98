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
import { MiB } from '../units.js';
import { mean, median } from '../stats/descriptive.js';
import { runBenchmark } from './benchmark.js';
import { runSession, type EngineOptions } from './engine.js';
import { blockPlan, seedSchedule } from './plans.js';

export type ValidatedMetric = 'cpuPercent' | 'memoryBytes';

/** One injected condition: the knob environment of the candidate and the metric it must move. */
export interface GateCondition {
  name: string;
  /** What is injected, for the table, e.g. "+10% CPU". */
  injected: string;
  env: Record<string, string>;
  /** null for A/A: no metric may move. */
  target: ValidatedMetric | null;
  /**
   * The stated tolerance of its rate: A/A at most this false-positive rate, an injection at least
   * this detection rate. A row outside it fails the validation (exit 1).
   */
  tolerance: number;
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

export interface GateValidationOptions extends Omit<EngineOptions, 'onRun'> {
  /** The baseline arm's config (the reference collector); timings, runs and output folder come from it. */
  config: Config;
  conditions: GateCondition[];
  repetitions: number;
  pairs: number;
  /** A/B mode's sessions of blocks (false: history mode only). */
  abMode: boolean;
  /** History mode: this many baseline sessions, then one candidate session per condition and repetition. */
  historySessions: number;
  /** Counted runs per history session. */
  sessionRuns: number;
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
 * A/B mode, one session per repetition: the baseline and every condition (A/A being a second
 * baseline arm) run once per block, in `blockOrder`, for `pairs` blocks. A comparison thus costs
 * one run per pair instead of two, which is what lets the quick table fit its budget.
 */
async function runAbRepetition(
  opts: GateValidationOptions,
  rep: number,
  warmupRuns: number,
  record: (o: GateOutcome) => void,
): Promise<void> {
  const { conditions } = opts;
  const base = { ...opts.config, benchmark: `${opts.config.benchmark}-gate` };
  const arms = [base, ...conditions.map((c) => withEnv(base, c.env, base.benchmark))];
  const seeds = seedSchedule(base.run.seed);
  const plan = blockPlan({ arms: arms.length, blocks: opts.pairs, warmupRuns, seeds });
  const files = conditions.map((c) => opts.file(`ab-${c.name}-${rep}`));
  const labels = [
    'reference collector (baseline knobs)',
    ...conditions.map((c) =>
      c.target === null ? 'reference collector (baseline knobs, second arm)' : `reference collector ${c.injected}`,
    ),
  ];
  const logsDir = opts.file(`ab-session-${rep}`).replace(/\.json$/, '.logs');
  const started = Date.now();
  const written = await runSession(
    { arms, plan, seeds, labels, files, logsDir },
    {
      ...opts,
      onRun: (run, slot, { done, total }) => {
        const cpu = run.summary
          ? `CPU ${run.summary.cpuPercent.windowMean.toFixed(2)}%, memory ${(run.summary.memoryBytes.windowMean / MiB).toFixed(1)} MiB`
          : run.invalidReason;
        opts.log(
          `run ${done}/${total} (${slot.arm === 0 ? 'baseline' : conditions[slot.arm - 1].name}, block ${slot.pair ?? 'warm-up'}): ${run.valid ? 'valid' : 'invalid'}, ${cpu}`,
        );
      },
    },
  );
  const wallMs = (Date.now() - started) / conditions.length;
  written.forEach(({ result, file }, i) =>
    record(outcomeOf('ab', conditions[i], rep, opts.compareAb(result, file), file, wallMs)),
  );
}

/**
 * A/B repetitions (each one session of blocks, so slow drift spreads over every condition), then
 * history sessions when asked. Every session starts with its warm-up runs (`run.warmupRuns`), as
 * `npm run bench` and CI's sessions do (one session without it had its first run, after a new mock
 * sensor and cold caches, 4 points above the rest of its block).
 */
export async function runGateValidation(opts: GateValidationOptions): Promise<GateOutcome[]> {
  const { config, conditions } = opts;
  const outcomes: GateOutcome[] = [];
  const total =
    (opts.abMode ? opts.repetitions * conditions.length : 0) +
    (opts.historySessions > 0 ? opts.repetitions * conditions.length : 0);
  const record = (o: GateOutcome) => {
    outcomes.push(o);
    opts.onOutcome?.(o, outcomes.length, total);
  };

  if (opts.abMode)
    for (let rep = 1; rep <= opts.repetitions; rep++) await runAbRepetition(opts, rep, config.run.warmupRuns, record);

  if (opts.historySessions > 0) {
    const runs = { ...config.run, runs: opts.sessionRuns };
    const sessions: ResultFile[] = [];
    for (let s = 1; s <= opts.historySessions; s++) {
      const c: Config = {
        ...config,
        run: runs,
        benchmark: `${config.benchmark}-gate`,
        out: opts.file(`history-base-${s}`),
      };
      sessions.push((await runBenchmark(c, opts)).result);
    }
    for (let rep = 1; rep <= opts.repetitions; rep++) {
      for (const condition of conditions) {
        const started = Date.now();
        const name = `history-${condition.name}-${rep}`;
        const c = withEnv({ ...config, run: runs, out: opts.file(name) }, condition.env, `${config.benchmark}-gate`);
        const { result, file } = await runBenchmark(c, opts);
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

/** The rows whose measured rate misses its condition's stated tolerance, each said in one line. */
export function gateMisses(rows: readonly GateRow[]): string[] {
  return rows.flatMap((r) => {
    const { name, target, tolerance } = r.condition;
    const mode = r.mode === 'ab' ? 'A/B' : 'history';
    if (target === null)
      return r.rate > tolerance
        ? [`${mode} ${name}: false-positive rate ${pct(r.rate)} > ${pct(tolerance)} (${r.hits} of ${r.repetitions})`]
        : [];
    return r.rate < tolerance
      ? [`${mode} ${name}: ${target} detected in ${pct(r.rate)} < ${pct(tolerance)} (${r.hits} of ${r.repetitions})`]
      : [];
  });
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
