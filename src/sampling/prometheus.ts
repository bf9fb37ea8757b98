/**
 * Scrapes a Prometheus text-format endpoint (the collector's /metrics, port 9090) and computes
 * counter deltas between two scrapes, e.g. events and drops over a load window from
 * `rox_collector_events{type="kernel"}` and `rox_collector_events{type="drops"}`.
 */
import { RuntimeError } from '../errors.js';

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseValue(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/**
 * Parses the label set starting just after '{'; returns the labels and the index after '}'.
 * Label values escape backslash, double quote and newline as \\, \" and \n.
 */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new Error('label without "="');
    const key = line.slice(i, eq).trim();
    i = eq + 1;
    while (line[i] === ' ') i++;
    if (line[i] !== '"') throw new Error(`label ${key} value is not quoted`);
    i++;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new Error(`unterminated value of label ${key}`);
      if (c === '\\') {
        const n = line[i + 1];
        value += n === 'n' ? '\n' : n === '"' ? '"' : n === '\\' ? '\\' : '\\' + (n ?? '');
        i += 2;
        continue;
      }
      if (c === '"') {
        i++;
        break;
      }
      value += c;
      i++;
    }
    labels[key] = value;
  }
}

export interface ParseResult {
  samples: MetricSample[];
  /** 1-based line numbers that could not be parsed (kept, not thrown: one bad line should not lose a run's metrics). */
  badLines: number[];
}

/** Parses the Prometheus text exposition format (version 0.0.4). Comments (# HELP, # TYPE) are skipped. */
export function parsePrometheusText(text: string): ParseResult {
  const samples: MetricSample[] = [];
  const badLines: number[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line || line.startsWith('#')) continue;
    try {
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
      if (!m) throw new Error('no metric name');
      const name = m[0];
      let i = name.length;
      let labels: Record<string, string> = {};
      while (line[i] === ' ') i++;
      if (line[i] === '{') ({ labels, end: i } = parseLabels(line, i + 1));
      const rest = line.slice(i).trim().split(/\s+/); // value [timestamp]
      if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new Error('no value');
      const value = parseValue(rest[0]);
      if (Number.isNaN(value) && rest[0] !== 'NaN') throw new Error(`bad value ${rest[0]}`);
      samples.push({ name, labels, value });
    } catch {
      badLines.push(n + 1);
    }
  }
  return { samples, badLines };
}

/** Fetches and parses `url`; RuntimeError (naming the URL) on timeout, HTTP error or refused connection. */
export async function scrapePrometheus(url: string, timeoutMs = 2000): Promise<MetricSample[]> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new RuntimeError(
      `metrics scrape of ${url} failed within ${timeoutMs} ms: ${(e as Error).message}`,
      { url, timeoutMs },
      { cause: e },
    );
  }
  if (!res.ok)
    throw new RuntimeError(`metrics scrape of ${url} returned HTTP ${res.status}`, { url, status: res.status });
  return parsePrometheusText(await res.text()).samples;
}

/** Which series a named figure comes from; every label given must match, others are free. Matching series are summed. */
export interface CounterSelector {
  name: string;
  labels?: Record<string, string>;
}

/** The collector's counters that a run reports. */
export const DEFAULT_COLLECTOR_COUNTERS: Record<string, CounterSelector> = {
  events: { name: 'rox_collector_events', labels: { type: 'kernel' } },
  drops: { name: 'rox_collector_events', labels: { type: 'drops' } },
  ringbufferDrops: { name: 'rox_collector_events', labels: { type: 'ringbufferDrops' } },
  threadCacheDrops: { name: 'rox_collector_events', labels: { type: 'threadCacheDrops' } },
  processSent: { name: 'rox_collector_events', labels: { type: 'processSent' } },
};

function matches(s: MetricSample, sel: CounterSelector): boolean {
  if (s.name !== sel.name) return false;
  for (const [k, v] of Object.entries(sel.labels ?? {})) if (s.labels[k] !== v) return false;
  return true;
}

/** Sum of the series a selector picks, or null when none is present. */
export function selectValue(samples: MetricSample[], sel: CounterSelector): number | null {
  let found = false;
  let sum = 0;
  for (const s of samples) {
    if (matches(s, sel)) {
      found = true;
      sum += s.value;
    }
  }
  return found ? sum : null;
}

/**
 * Deltas of counters between two scrapes. A counter that decreased was reset (the collector
 * restarted), so its delta is the later value (what it counted since the reset). Figures missing
 * from either scrape are left out rather than reported as 0.
 */
export function counterDeltas(
  before: MetricSample[],
  after: MetricSample[],
  selectors: Record<string, CounterSelector> = DEFAULT_COLLECTOR_COUNTERS,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, sel] of Object.entries(selectors)) {
    const a = selectValue(before, sel);
    const b = selectValue(after, sel);
    if (a === null || b === null) continue;
    out[key] = b >= a ? b - a : b;
  }
  return out;
}
