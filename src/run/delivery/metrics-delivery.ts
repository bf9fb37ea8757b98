/**
 * Delivery shown by a Prometheus counter (collector.delivery `{ via: metrics, counter }`), for
 * agents that count what they see (Falco's `falcosecurity_falco_events_total`, the reference
 * collector's `rox_collector_events`):
 *  - after ready, a burst of canary execs; the counter at collector.metricsUrl must grow by at least
 *    that many within the canary timeout, and the canary latency is the time until it has;
 *  - the loss compares the counter's growth over the load window with the processes the workloads
 *    spawned (received = growth; other activity on the host can only add to it, so the loss is a
 *    lower bound and may be negative);
 *  - after the window, a closing burst must show as well, or the run is invalid;
 *  - the counter's growth from the window's start until the agent drained is the events it
 *    delivered (its CPU per event, run/drain.ts).
 */
import { scrapePrometheus, selectValue, parsePrometheusText, type CounterSelector } from '../../sampling/prometheus.js';
import { runCanary, type CanaryOutcome } from './canary.js';
import type { DeliveryKind } from './delivery-kind.js';
import { lossFrom, processesSpawned } from './loss.js';
import { stubWorkloadSpec } from './workload-stub.js';

/** Canary execs per check: enough that a counter's growth is the canary's, not one stray exec. */
export const METRICS_CANARY_EXECS = 20;
const POLL_MS = 100;

/** `name` or `name{label="value",...}` (the config schema checked the form) as a selector. */
export function counterSelector(series: string): CounterSelector {
  const [sample] = parsePrometheusText(`${series} 0`).samples;
  return { name: sample.name, labels: sample.labels };
}

async function counterValue(url: string, sel: CounterSelector): Promise<number | null> {
  try {
    return selectValue(await scrapePrometheus(url, 2000), sel);
  } catch {
    return null;
  }
}

export const metricsDelivery: DeliveryKind<'metrics'> = ({ counter }, { config, stub, canaryTimeoutMs }) => {
  // The config refuses via metrics without a metricsUrl.
  const metricsUrl = config.collector.metricsUrl!;
  const sel = counterSelector(counter);
  let before: Promise<number | null> = Promise.resolve(null);

  let start: number | null = null;
  /** Resolves when the counter has grown by METRICS_CANARY_EXECS over its value before the burst. */
  const grown = async (timeoutMs: number): Promise<number> => {
    const from = start;
    if (from === null) throw new Error(`the counter is not in the scrape`);
    const deadline = Date.now() + timeoutMs;
    let last = from;
    while (Date.now() < deadline) {
      const v = await counterValue(metricsUrl, sel);
      if (v !== null) last = v;
      if (v !== null && v - from >= METRICS_CANARY_EXECS) return Date.now();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new Error(`it grew by ${last - from}, not ${METRICS_CANARY_EXECS}`);
  };
  const canary = (): Promise<CanaryOutcome> =>
    runCanary((_marker, timeoutMs) => grown(timeoutMs), {
      missing: `did not show in ${counter} at ${metricsUrl}`,
      execs: METRICS_CANARY_EXECS,
      timeoutMs: canaryTimeoutMs,
      prepare: async () => {
        start = await counterValue(metricsUrl, sel);
      },
    });

  return {
    workloadSpec: stubWorkloadSpec(stub),
    afterReady: async () => {
      const c = await canary();
      return { canaryLatencyMs: c.latencyMs, invalidReason: c.error ?? undefined };
    },
    beforeLoad: () => {
      // Not awaited: the workloads start next, and take longer to start than one loopback scrape.
      before = counterValue(metricsUrl, sel);
    },
    deliveredEvents: async () => {
      const [first, now] = [await before, await counterValue(metricsUrl, sel)];
      return first !== null && now !== null
        ? { events: now - first, basis: 'metrics counter' }
        : { events: null, reason: `${counter} was not in the scrape of ${metricsUrl}` };
    },
    afterLoad: async (achieved) => {
      const [first, last] = [await before, await counterValue(metricsUrl, sel)];
      const closing = await canary();
      const spawned = processesSpawned(achieved);
      return {
        processLoss: spawned !== null && first !== null && last !== null ? lossFrom(spawned, last - first) : null,
        invalidReason: closing.error
          ? `the agent stopped delivering events during the run: ${closing.error}`
          : undefined,
      };
    },
  };
};
