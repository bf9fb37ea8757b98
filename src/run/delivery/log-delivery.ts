/**
 * Delivery shown in the agent's own output (collector.delivery `{ via: log, regex }`), for agents
 * that print what they see (execsnoop, Falco's stdout, Tetragon's export log):
 *  - after ready, a canary is exec'd; its latency is the time to the first line matching the regex
 *    with `{canary}` standing for the canary's unique name (config/delivery-regex.ts);
 *  - during the load window, lines matching the regex with `{stub}` standing for the workload
 *    stub's unique path are counted against the processes the workloads spawned (the loss);
 *  - after the window a closing canary must show too: an agent that stopped printing mid-run makes
 *    the run invalid rather than cheap;
 *  - every line the agent printed from the window's start until it drained counts as a delivered
 *    event (its CPU per event, run/drain.ts);
 *  - the run records how the lines arrived (output-buffering.ts): a block-buffered agent's
 *    canary latency is its stdio buffer's, and the report says so.
 */
import { fillDeliveryRegex } from '../../config/delivery-regex.js';
import type { Run } from '../../contracts/result.js';
import { runCanary, type CanaryOutcome } from './canary.js';
import type { DeliveryKind } from './delivery-kind.js';
import { LogWatch } from './log-watch.js';
import { lossFrom, processesSpawned } from './loss.js';
import { stubWorkloadSpec } from './workload-stub.js';

export const logDelivery: DeliveryKind<'log'> = ({ regex }, { stub, canaryTimeoutMs }) => {
  const stubRe = stub && regex.includes('{stub}') ? fillDeliveryRegex(regex, { canary: null, stub: stub.path }) : null;
  let watch: LogWatch | null = null;
  let linesAtLoad = 0;
  const canary = (w: LogWatch): Promise<CanaryOutcome> =>
    runCanary((marker, timeoutMs) => w.waitFor(fillDeliveryRegex(regex, { canary: marker, stub: null }), timeoutMs), {
      missing: "did not show in the agent's log",
      timeoutMs: canaryTimeoutMs,
    });
  return {
    workloadSpec: stubWorkloadSpec(stub),
    afterReady: async (collector) => {
      watch = new LogWatch(collector);
      const c = await canary(watch);
      return { canaryLatencyMs: c.latencyMs, invalidReason: c.error ?? undefined };
    },
    beforeLoad: () => {
      if (!watch) return;
      watch.counted = 0;
      watch.counting = stubRe;
      linesAtLoad = watch.lines;
    },
    deliveredEvents: async () =>
      watch
        ? { events: watch.lines - linesAtLoad, basis: 'agent log lines' }
        : { events: null, reason: "the agent's log was not watched (it never became ready)" },
    afterLoad: async (achieved) => {
      const w = watch;
      watch = null;
      if (!w) return {};
      // The agent prints in about exec order: once the closing canary shows, it has caught up with the workload.
      const closing = await canary(w);
      w.counting = null;
      const spawned = processesSpawned(achieved);
      const processLoss: Run['processLoss'] = spawned !== null && stubRe ? lossFrom(spawned, w.counted) : null;
      return {
        processLoss,
        outputBuffering: w.arrivals.result(),
        invalidReason: closing.error
          ? `the agent stopped delivering events during the run: ${closing.error}`
          : undefined,
      };
    },
  };
};
