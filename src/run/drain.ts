/**
 * The agent's CPU per delivered event (issue 18, part 2): its CPU from the load window's start until
 * it is idle again after the window (its queue drained), per 1,000 events the delivery check counted
 * over the same span. CPU % of a core depends on how much CPU was free (a starved agent falls
 * behind and looks cheaper; one that keeps up looks dearer); the CPU an event costs does not, as
 * long as the work the load left queued is counted too, which is why the span runs to drained.
 *
 * Idle: the collector's CPU back at its level at rest for `idleSeconds` in a row. Its rest level is
 * the lowest CPU seen outside the load (the warm-up's samples, and those after the window so far):
 * an agent that polls keeps some CPU at rest, and a short warm-up may still hold its start-up work
 * (seen here: 15-22% in a 2 s warm-up, against 0.1-0.5% at rest), so neither the warm-up's mean
 * nor a fixed level would do. A sample is idle within `idleAbovePercent` points of that level, and
 * below halfway from it to the load's own level, so an agent working its queue off at a steady
 * rate is never taken for one at rest. The drained instant is where the idle stretch begins. An
 * agent still busy `capSeconds` after the window is counted to the cap, and the record says so.
 */
import type { EventCost } from '../contracts/agent-cost.js';
import type { Sample } from '../contracts/result.js';

export interface DrainSettings {
  /** Points of one core above the level at rest that still count as idle. */
  idleAbovePercent: number;
  /** How long the CPU must stay idle for the queue to count as drained. */
  idleSeconds: number;
  /** How long after the window to wait at most. */
  capSeconds: number;
}

export const DRAIN: DrainSettings = { idleAbovePercent: 2, idleSeconds: 1.5, capSeconds: 10 };

/** What the delivery check counted since the load window opened, or why it counted nothing. */
export type DeliveredCount =
  { events: number; basis: NonNullable<EventCost['basis']> } | { events: null; reason: string };

/** The sampler's window onto its samples: `t` is ms since the sampler's t0. */
export interface DrainInput {
  samples: readonly Sample[];
  /** The load window's start and end on the samples' clock (ms since their t0). */
  startT: number;
  endT: number;
}

export interface DrainPoint {
  /** The drained instant on the samples' clock, or the last sample's time when it never drained. */
  t: number;
  drained: boolean;
}

/**
 * Where the collector went idle after the window: the start of the first stretch of samples after
 * `endT` all idle (see above) and spanning `idleSeconds`. Null while it has not (yet).
 */
export function drainedAt(input: DrainInput, settings: DrainSettings = DRAIN): DrainPoint | null {
  const { samples, startT, endT } = input;
  // The sampler starts after ready: every warm-up sample is the agent outside the load.
  const outside = samples.filter((s) => s.t <= startT || s.t > endT);
  if (outside.length === 0) return null;
  const rest = Math.min(...outside.map((s) => s.cpuPercent));
  const loadLevel = (cpuMsBetween(samples, startT, endT) / Math.max(1, endT - startT)) * 100;
  const threshold = Math.min(rest + settings.idleAbovePercent, (rest + loadLevel) / 2);
  let stretchStart: number | null = null;
  for (let i = 1; i < samples.length; i++) {
    const s = samples[i];
    if (s.t <= endT) continue;
    if (s.cpuPercent > threshold) {
      stretchStart = null;
      continue;
    }
    // Each sample's CPU covers the interval since the reading before it.
    stretchStart ??= samples[i - 1].t;
    if (s.t - stretchStart >= settings.idleSeconds * 1000) return { t: stretchStart, drained: true };
  }
  return null;
}

/** CPU ms over [fromT, toT] from the samples' per-interval CPU, prorating the intervals cut by either end. */
export function cpuMsBetween(samples: readonly Sample[], fromT: number, toT: number): number {
  let ms = 0;
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1].t, samples[i].t];
    const overlap = Math.min(b, toT) - Math.max(a, fromT);
    if (overlap > 0 && Number.isFinite(samples[i].cpuPercent)) ms += (samples[i].cpuPercent / 100) * overlap;
  }
  return ms;
}

/** The run's record from its samples, the drained point and what the delivery check counted. */
export function eventCostFrom(input: DrainInput, point: DrainPoint, delivered: DeliveredCount): EventCost {
  const cpuMs = cpuMsBetween(input.samples, input.startT, point.t);
  const sampled = input.samples.some((s) => s.t > input.startT);
  const counted = sampled && delivered.events !== null && delivered.events > 0;
  const reason = !sampled
    ? "no sample of the collector's CPU after the load window opened"
    : delivered.events === null
      ? delivered.reason
      : counted
        ? null
        : 'the delivery check counted no events';
  return {
    cpuMsPer1000Events: counted ? (cpuMs / delivered.events!) * 1000 : null,
    basis: delivered.events === null ? null : delivered.basis,
    reason,
    cpuMs,
    spanMs: point.t - input.startT,
    window: { fromMs: input.startT, toMs: point.t },
    events: delivered.events,
    drainMs: Math.max(0, point.t - input.endT),
    drained: point.drained,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Keeps reading the (still running) sampler after the window until the collector is idle or the
 * cap passes, then asks the delivery check what it counted. `tick` gets the seconds left to the cap.
 */
export async function measureDrain(opts: {
  samples: () => Sample[];
  startT: number;
  endT: number;
  delivered: (() => Promise<DeliveredCount>) | undefined;
  tick?: (secondsLeft: number) => void;
  settings?: DrainSettings;
}): Promise<EventCost> {
  const settings = opts.settings ?? DRAIN;
  const deadline = Date.now() + settings.capSeconds * 1000;
  const input = () => ({ samples: opts.samples(), startT: opts.startT, endT: opts.endT });
  let point = drainedAt(input(), settings);
  while (!point && Date.now() < deadline) {
    opts.tick?.((deadline - Date.now()) / 1000);
    await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
    point = drainedAt(input(), settings);
  }
  const last = input();
  const end = point ?? { t: last.samples.at(-1)?.t ?? opts.endT, drained: false };
  // A count that fails costs the run its per-event figure, never the run.
  const delivered: DeliveredCount = opts.delivered
    ? await opts.delivered().catch((e: Error) => ({ events: null, reason: `counting the events failed: ${e.message}` }))
    : { events: null, reason: 'no delivery check counts the events this agent delivers' };
  return eventCostFrom(last, end, delivered);
}
