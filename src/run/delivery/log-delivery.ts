/**
 * Delivery shown in the agent's own output (collector.delivery `{ via: log, regex }`), for agents
 * that print what they see (execsnoop, Falco's stdout, Tetragon's export log):
 *  - after ready, a canary is exec'd; its latency is the time to the first line matching the regex
 *    with `{canary}` standing for the canary's unique name;
 *  - during the load window, lines matching the regex with `{stub}` standing for the workload
 *    stub's unique path are counted against the processes the workloads spawned (the loss);
 *  - after the window a closing canary must show too: an agent that stopped printing mid-run makes
 *    the run invalid rather than cheap.
 * The placeholder not being looked for stands for a pattern that matches nothing, so one regex
 * (e.g. `...({canary}|{stub})`) serves both.
 */
import type { Run } from '../../contracts/result.js';
import type { Started } from '../../runtime/types.js';
import type { RunHooks } from '../run-once.js';
import { withWorkloadStub, type WorkloadStub } from '../sensor-hooks.js';
import { runDeliveryCanary, type CanaryOutcome } from './canary.js';
import { lossFrom, processesSpawned } from './workload-spawned.js';

const NOTHING = '(?!)';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The delivery regex with its placeholders filled: `canary`/`stub` as literals, or matching nothing when null. */
export function fillDeliveryRegex(regex: string, values: { canary: string | null; stub: string | null }): RegExp {
  const canary = values.canary === null ? NOTHING : escapeRe(values.canary);
  const stub = values.stub === null ? NOTHING : escapeRe(values.stub);
  return new RegExp(regex.replaceAll('{canary}', canary).replaceAll('{stub}', stub));
}

/** One subscription to a collector's output that waiters and a counter share (onLine has no unsubscribe). */
class LogWatch {
  private readonly waiters = new Set<{ re: RegExp; resolve: (atMs: number) => void }>();
  counted = 0;
  counting: RegExp | null = null;

  constructor(collector: Started) {
    collector.onLine((line) => {
      const at = Date.now();
      if (this.counting?.test(line)) this.counted++;
      for (const w of this.waiters)
        if (w.re.test(line)) {
          this.waiters.delete(w);
          w.resolve(at);
        }
    });
  }

  waitFor(re: RegExp, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const waiter = {
        re,
        resolve: (at: number) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no line matched ${re.source}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

export interface LogDeliveryOptions {
  regex: string;
  stub: WorkloadStub | null;
  canaryTimeoutMs?: number;
}

export function logDeliveryHooks(opts: LogDeliveryOptions): RunHooks {
  const stubRe =
    opts.stub && opts.regex.includes('{stub}')
      ? fillDeliveryRegex(opts.regex, { canary: null, stub: opts.stub.path })
      : null;
  let watch: LogWatch | null = null;
  const canary = (w: LogWatch): Promise<CanaryOutcome> =>
    runDeliveryCanary(
      (marker, timeoutMs) => w.waitFor(fillDeliveryRegex(opts.regex, { canary: marker, stub: null }), timeoutMs),
      "the agent's log",
      { timeoutMs: opts.canaryTimeoutMs },
    );
  return {
    workloadSpec: (spec, workload) =>
      opts.stub && workload.type === 'processes' ? withWorkloadStub(spec, opts.stub) : spec,
    afterReady: async (collector) => {
      watch = new LogWatch(collector);
      const c = await canary(watch);
      return { canaryLatencyMs: c.latencyMs, invalidReason: c.error ?? undefined };
    },
    beforeLoad: () => {
      if (!watch) return;
      watch.counted = 0;
      watch.counting = stubRe;
    },
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
        invalidReason: closing.error
          ? `the agent stopped delivering events during the run: ${closing.error}`
          : undefined,
      };
    },
  };
}
