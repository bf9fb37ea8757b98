/**
 * The practical-significance floors: THE one definition (the config's `compare.floors` is this
 * schema). A change is of interest only beyond its metric's effective floor, the larger of the
 * absolute floor and the relative floor x |baseline level|; `unchanged` needs the interval of the
 * change and the MDE inside it. Every compared metric has one:
 * - CPU: 1 percentage point of one core and 5%;
 * - memory: 10 MiB and 5%;
 * - BPF kernel CPU: the CPU floor's defaults (1 pp, 5%): it is the same unit, CPU time of one core,
 *   spent for the agent in the kernel, so a change that would count for the collector's CPU counts here;
 * - host-CPU overhead (agent minus no-agent neighbour, percent of one core over all CPUs): the same
 *   defaults, for the same reason;
 * - memory growth: 1 MiB/min and no relative floor (a baseline slope near zero makes any ratio huge);
 * - CPU per 1,000 delivered events: 1 ms and 5% (the reference collector spends some 500 ms per
 *   1,000 events here, so the relative floor decides; the absolute one only keeps a near-free agent
 *   from calling noise a change);
 * - BPF time per event: 10 ns and 5% (a few thousand ns per event here: the relative floor decides).
 */
import { z } from 'zod';
import { MiB } from '../units.js';

const RelativeFloor = z.number().min(0).max(10); // fraction of |baseline level|
const Absolute = z.number().min(0);

const cpuLike = () =>
  z
    .object({ absolute: Absolute.default(1), relative: RelativeFloor.default(0.05) })
    .strict()
    .default({});

export const FloorsSchema = z
  .object({
    /** Collector CPU: percentage points of one core, and a fraction of the baseline level. */
    cpu: cpuLike(),
    memory: z
      .object({ absoluteBytes: Absolute.default(10 * MiB), relative: RelativeFloor.default(0.05) })
      .strict()
      .default({}),
    /** Kernel time of the agent's BPF programs, percent of one core. */
    bpfCpu: cpuLike(),
    /** Host CPU with the agent minus without it (`--overhead`), percent of one core. */
    hostCpuOverhead: cpuLike(),
    /** Collector CPU per 1,000 delivered events, ms (load start to drained). */
    cpuPer1000Events: z
      .object({ absolute: Absolute.default(1), relative: RelativeFloor.default(0.05) })
      .strict()
      .default({}),
    /** Kernel time of the agent's BPF programs per collector event, ns. */
    bpfNsPerEvent: z
      .object({ absolute: Absolute.default(10), relative: RelativeFloor.default(0.05) })
      .strict()
      .default({}),
    /** Working-set growth, MiB per minute; no relative floor. */
    memoryGrowth: z
      .object({ absoluteMiBPerMinute: Absolute.default(1) })
      .strict()
      .default({}),
  })
  .strict();

export type Floors = z.infer<typeof FloorsSchema>;

/** One metric's floor in its own unit; `relative` 0 means none. */
export interface Floor {
  absolute: number;
  relative: number;
}

/** The larger of the absolute floor and the relative floor x |level|; null without a level. */
export function effectiveFloor(floor: Floor, level: number | null): number | null {
  return level === null ? null : Math.max(floor.absolute, floor.relative * level);
}
