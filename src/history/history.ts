/**
 * The history of a benchmark on main: every stored result from main (live and archived), one
 * session each, oldest first, per environment key and metric, with its change points. The store is
 * read through src/baseline/; the statistics are src/stats/change-points.ts.
 */
import { openStore, type BaselineStore, type StoredRef } from '../baseline/store.js';
import {
  HISTORY_SCHEMA,
  type HistoryChangePoint,
  type HistoryMetric,
  type HistoryReport,
  type HistorySegment,
  type HistorySeries,
  type HistorySession,
  type HistoryStatus,
} from '../contracts/history.js';
import { countedRuns, type ResultFile } from '../contracts/result.js';
import { StoreError } from '../errors.js';
import {
  DEFAULT_CHANGE_POINT_OPTIONS,
  detectChangePoints,
  sessionsShort,
  type ChangePointOptions,
  type SegmentSummary,
} from '../stats/change-points.js';
import { mean, standardDeviation } from '../stats/descriptive.js';
import { meanWithInterval } from '../stats/mean-interval.js';
import { epochEnvironment, epochLabels } from './epoch.js';

export const HISTORY_METRICS: readonly HistoryMetric[] = ['cpuPercent', 'memoryBytes'];

/** A stored result from main with where it is stored. */
export interface StoredSession {
  ref: Pick<StoredRef, 'key'>;
  result: ResultFile;
}

export interface HistoryOptions extends Partial<ChangePointOptions> {
  /** Only this environment key (default: every key of the benchmark). */
  envKey?: string;
}

/** Main's results of one group, live and archived (prune moves old ones away; history needs them all), oldest first. */
export async function loadSessions(store: BaselineStore, benchmark: string, envKey: string): Promise<StoredSession[]> {
  const refs = [
    ...(await store.list(benchmark, envKey, { include: 'main' })),
    ...(await store.list(benchmark, envKey, { include: 'main', archived: true })),
  ];
  const sessions = await Promise.all(refs.map(async (ref) => ({ ref, result: await store.get(ref) })));
  return sessions.sort(
    (a, b) =>
      Date.parse(a.result.createdAt) - Date.parse(b.result.createdAt) ||
      (a.ref.key < b.ref.key ? -1 : a.ref.key > b.ref.key ? 1 : 0),
  );
}

function sessionValue(result: ResultFile, metric: HistoryMetric): { value: number; runs: number } | null {
  const values = countedRuns(result)
    .map((r) => r.summary![metric].windowMean)
    .filter(Number.isFinite);
  return values.length === 0 ? null : { value: mean(values), runs: values.length };
}

function summaryOf(values: readonly number[], from: number, to: number): SegmentSummary {
  const v = values.slice(from, to);
  return { from, to, n: v.length, mean: mean(v), sd: standardDeviation(v) };
}

function segmentOf(s: SegmentSummary, values: readonly number[], level: number): HistorySegment {
  const interval = meanWithInterval(values.slice(s.from, s.to), level)?.ci95 ?? null;
  return { from: s.from, to: s.to, n: s.n, mean: s.mean, sd: Number.isFinite(s.sd) ? s.sd : null, interval };
}

/** One series: sessions with a value for `metric`, their epochs, segments and change points. */
export function analyzeSeries(
  envKey: string,
  metric: HistoryMetric,
  stored: readonly StoredSession[],
  options: Partial<ChangePointOptions> = {},
): HistorySeries {
  const o = { ...DEFAULT_CHANGE_POINT_OPTIONS, ...options };
  const kept = stored.flatMap((s) => {
    const v = sessionValue(s.result, metric);
    return v ? [{ s, ...v }] : [];
  });
  const labels = epochLabels(kept.map((k) => k.s.result.environment));
  const sessions: HistorySession[] = kept.map((k, i) => ({
    sha: k.s.result.git.sha,
    createdAt: k.s.result.createdAt,
    key: k.s.ref.key,
    value: k.value,
    runs: k.runs,
    epoch: labels[i],
  }));
  const values = sessions.map((s) => s.value);
  const analysis = detectChangePoints(values, labels, o);
  const epochs = analysis.epochs.map((e) => ({
    ...e,
    environment: epochEnvironment(kept[e.from].s.result.environment),
  }));
  const commit = (i: number) => ({ sha: sessions[i].sha, createdAt: sessions[i].createdAt });
  const changePoints: HistoryChangePoint[] = analysis.changePoints.map((cp) => ({
    index: cp.index,
    epoch: cp.epoch,
    lastBefore: commit(cp.index - 1),
    firstAfter: commit(cp.index),
    before: segmentOf(cp.before, values, o.level),
    after: segmentOf(cp.after, values, o.level),
    q: cp.q,
    pValue: cp.pValue,
    change: {
      absolute: cp.absolute,
      relative: Number.isFinite(cp.relative) ? cp.relative : null,
      method: 'welch-t',
      level: o.level,
      absoluteInterval: cp.absoluteInterval,
      relativeInterval: cp.relativeInterval && cp.relativeInterval.every(Number.isFinite) ? cp.relativeInterval : null,
    },
  }));
  // Segments: each epoch cut at its change points.
  const segments: HistorySegment[] = analysis.epochs.flatMap((e) => {
    const cuts = [e.from, ...changePoints.filter((c) => c.epoch === e.epoch).map((c) => c.index), e.to];
    return cuts.slice(1).map((to, i) => segmentOf(summaryOf(values, cuts[i], to), values, o.level));
  });
  const last = analysis.epochs[analysis.epochs.length - 1];
  const short = sessionsShort(last ? last.to - last.from : 0, o.minSegment);
  const status: HistoryStatus = short > 0 ? 'insufficient' : changePoints.length > 0 ? 'changes' : 'steady';
  return {
    envKey,
    metric,
    unit: metric === 'cpuPercent' ? 'percent' : 'bytes',
    status,
    sessionsShort: short,
    reason: reasonOf(status, short, sessions.length, last ? last.to - last.from : 0, changePoints.length, o),
    sessions,
    epochs,
    segments,
    changePoints,
  };
}

function reasonOf(
  status: HistoryStatus,
  short: number,
  total: number,
  lastEpoch: number,
  found: number,
  o: ChangePointOptions,
): string {
  if (status === 'insufficient') {
    const where =
      total === lastEpoch
        ? `${total} session(s) from main`
        : `${lastEpoch} session(s) since the last environment change (${total} in all)`;
    return `too little history: ${where}; ${short} more would do (a step needs ${o.minSegment} sessions on each side)`;
  }
  if (status === 'changes') return `${found} change point(s) in ${total} sessions`;
  return `no change point of at least ${(o.minMagnitude * 100).toFixed(0)}% at p < ${o.alpha} in ${total} sessions`;
}

/** insufficient beats changes beats steady: the report is never greener than its weakest series. */
export function overallStatus(series: readonly Pick<HistorySeries, 'status'>[]): HistoryStatus {
  if (series.length === 0 || series.some((s) => s.status === 'insufficient')) return 'insufficient';
  return series.some((s) => s.status === 'changes') ? 'changes' : 'steady';
}

/** The history of `benchmark` in `store`: every environment key (or `options.envKey`), both metrics. */
export async function buildHistory(
  store: BaselineStore,
  benchmark: string,
  options: HistoryOptions = {},
): Promise<HistoryReport> {
  const { envKey, ...cpOptions } = options;
  const o = { ...DEFAULT_CHANGE_POINT_OPTIONS, ...cpOptions };
  const keys = envKey ? [envKey] : await store.envKeys(benchmark);
  if (keys.length === 0) {
    throw new StoreError('STORE_NOT_FOUND', `baseline store ${store.location}: no results of "${benchmark}" stored`, {
      benchmark,
    });
  }
  const series: HistorySeries[] = [];
  for (const key of keys) {
    const stored = await loadSessions(store, benchmark, key);
    for (const metric of HISTORY_METRICS) series.push(analyzeSeries(key, metric, stored, o));
  }
  return {
    schema: HISTORY_SCHEMA,
    benchmark,
    store: store.location,
    options: o,
    status: overallStatus(series),
    series,
  };
}

/** `collector-bench history`: opens the store a spec names and builds the history. */
export async function historyOfStore(
  spec: string,
  benchmark: string,
  options: HistoryOptions = {},
): Promise<HistoryReport> {
  return buildHistory(await openStore(spec, { source: 'flag --baseline' }), benchmark, options);
}
