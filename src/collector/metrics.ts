/**
 * The collector's counters, named after the real collector's Prometheus families
 * (`rox_collector_events{type=...}`, `rox_collector_counters{type=...}`), rendered in the
 * Prometheus text exposition format. Plain integer fields keep the hot path to one increment.
 */
export const EVENT_TYPES = [
  'kernel',
  'drops',
  'threadCacheDrops',
  'ringbufferDrops',
  'processSent',
  'processSendFailures',
  'processResolutionFailuresByEvt',
  'processResolutionFailuresByTinfo',
  'processRateLimitCount',
  'procfs_could_not_open_proc_dir',
  'procfs_could_not_open_pid_dir',
  'procfs_could_not_read_cmdline',
  'procfs_could_not_read_exe',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const COUNTER_TYPES = [
  'net_conn_updates',
  'net_conn_deltas',
  'net_conn_inactive',
  'net_cep_updates',
  'net_cep_deltas',
  'net_cep_inactive',
  'net_scrape_errors',
  'process_events_seen',
  'process_events_queued',
  'network_events_seen',
  'retained_bytes',
] as const;
export type CounterType = (typeof COUNTER_TYPES)[number];

export const TIMER_TYPES = ['net_scrape_read', 'net_scrape_update', 'process_scrape_read'] as const;
export type TimerType = (typeof TIMER_TYPES)[number];

export class CollectorMetrics {
  readonly events: Record<EventType, number>;
  readonly counters: Record<CounterType, number>;
  readonly timers: Record<TimerType, { events: number; usTotal: number }>;
  /** Gauges that describe the current state rather than accumulate. */
  queueDepth = 0;
  knownConnections = 0;
  knownEndpoints = 0;

  constructor() {
    this.events = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
    this.counters = Object.fromEntries(COUNTER_TYPES.map((t) => [t, 0])) as Record<CounterType, number>;
    this.timers = Object.fromEntries(TIMER_TYPES.map((t) => [t, { events: 0, usTotal: 0 }])) as Record<
      TimerType,
      { events: number; usTotal: number }
    >;
  }

  /** Adds one timed section, measured by the caller with process.hrtime.bigint(). */
  time(timer: TimerType, startNs: bigint): void {
    const t = this.timers[timer];
    t.events += 1;
    t.usTotal += Number((process.hrtime.bigint() - startNs) / 1000n);
  }
}

function family(
  lines: string[],
  name: string,
  help: string,
  type: 'counter' | 'gauge',
  samples: Array<[string, number]>,
): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  for (const [labels, v] of samples) lines.push(`${name}${labels} ${Number.isFinite(v) ? v : 0}`);
}

/** Prometheus text format 0.0.4; label values here are fixed identifiers, so no escaping is needed. */
export function renderPrometheus(m: CollectorMetrics): string {
  const lines: string[] = [];
  family(
    lines,
    'rox_collector_events',
    'Collector events',
    'counter',
    EVENT_TYPES.map((t) => [`{type="${t}"}`, m.events[t]]),
  );
  family(
    lines,
    'rox_collector_counters',
    'Collector counters',
    'counter',
    COUNTER_TYPES.map((t) => [`{type="${t}"}`, m.counters[t]]),
  );
  const timerSamples: Array<[string, number]> = [];
  for (const t of TIMER_TYPES) {
    const { events, usTotal } = m.timers[t];
    timerSamples.push(
      [`{type="${t}_events"}`, events],
      [`{type="${t}_us_total"}`, usTotal],
      [`{type="${t}_us_avg"}`, events ? Math.round(usTotal / events) : 0],
    );
  }
  family(lines, 'rox_collector_timers', 'Collector timers (microseconds)', 'gauge', timerSamples);
  family(lines, 'rox_collector_queue_depth', 'Events waiting to be sent to Sensor', 'gauge', [['', m.queueDepth]]);
  family(lines, 'rox_connections_known', 'Connections and endpoints currently known', 'gauge', [
    ['{kind="connection"}', m.knownConnections],
    ['{kind="endpoint"}', m.knownEndpoints],
  ]);
  return `${lines.join('\n')}\n`;
}
