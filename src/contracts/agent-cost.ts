/**
 * Parts of a run's record that price the agent beyond its own cgroup (issue 11): kernel-side BPF
 * time, working-set growth, and the overhead measured against a neighbouring run with no agent.
 * All optional in result@1: older files lack them and still parse.
 */
import { z } from 'zod';
import { quantity } from './quantity.js';

/** One BPF program the collector's processes held, with its counters' deltas over the load window. */
export const BpfProgramSchema = z.object({
  id: quantity().int(),
  type: z.string(), // e.g. tracepoint, kprobe (the kernel's prog_type)
  name: z.string().nullable(), // from bpftool when installed; fdinfo carries no name
  tag: z.string().nullable(),
  runCount: quantity(),
  runTimeNs: quantity(),
  nsPerRun: quantity().nullable(),
});
export type BpfProgram = z.infer<typeof BpfProgramSchema>;

export const BpfCostSchema = z.object({
  /** False when the kernel or permissions did not allow reading BPF run time; `reason` says why. */
  available: z.boolean(),
  reason: z.string().nullable(),
  programs: z.array(BpfProgramSchema),
  runCount: quantity(),
  runTimeNs: quantity(),
  /** Summed run time over the load window, as a percent of one core (comparable with cpuPercent). */
  cpuPercent: quantity().nullable(),
  /** Run time per collector event (the events counter) or, without it, per program run. */
  nsPerEvent: quantity().nullable(),
  nsPerEventBasis: z.enum(['collector events', 'program runs']).nullable(),
});
export type BpfCost = z.infer<typeof BpfCostSchema>;

/** Least-squares slope of the working set over the load window. */
export const MemoryGrowthSchema = z.object({
  mibPerMinute: quantity(),
  ci95: z.tuple([quantity(), quantity()]),
  pValue: quantity(),
  n: quantity().int(),
  /** The fitted line, so a chart can draw it: working set at t = 0 of the load window. */
  interceptBytes: quantity(),
});
export type MemoryGrowth = z.infer<typeof MemoryGrowthSchema>;

const WithWithout = z.object({
  with: quantity().nullable(),
  without: quantity().nullable(),
  delta: quantity().nullable(),
});

/** A measured run against its no-agent neighbour (`--overhead`). */
export const OverheadSchema = z.object({
  neighbourIndex: quantity().int(),
  /** Host CPU (percent of one core, all CPUs): includes in-kernel probe time charged to the traced processes. */
  hostCpuPercent: WithWithout,
  /** The harness's own CPU (mock sensor receiving the agent's events, samplers): part of the host figure. */
  harnessCpuPercent: WithWithout.optional(),
  /**
   * CPU of the benchmark's own cgroups (collector + workloads; probe time is inside the workloads'),
   * per 1,000 execs of the processes workload, in ms. Unlike host CPU it still shows the agent's
   * cost when other tenants keep the host busy, and per exec it does not depend on the rate reached.
   */
  cpuMsPer1000Execs: WithWithout.optional(),
  workloads: z.array(
    z.object({
      name: z.string(),
      cpuPercent: WithWithout,
      rate: WithWithout,
      execLatencyP50Ms: WithWithout.optional(),
      execLatencyP99Ms: WithWithout.optional(),
    }),
  ),
});
export type Overhead = z.infer<typeof OverheadSchema>;

/**
 * The agent's CPU per event it delivered (issue 18): its CPU from the load window's start until it
 * was idle again after it (its queue drained), per 1,000 events the delivery check counted over
 * the same span. Unlike CPU % of a core it does not fall when the machine is too busy to let the
 * agent keep up, nor rise because more events got through. Optional in result@2: older files lack it.
 */
export const EventCostSchema = z.object({
  /** CPU ms per 1,000 delivered events; null when nothing counted the events (`reason` says why). */
  cpuMsPer1000Events: quantity().nullable(),
  /** What counted the events: the mock sensor's process signals, the agent's log lines, or its metrics counter. */
  basis: z.enum(['sensor process signals', 'agent log lines', 'metrics counter']).nullable(),
  /** Why there is no per-event figure, when there is none. */
  reason: z.string().nullable(),
  /** The collector's CPU from the load window's start to drained, ms. */
  cpuMs: quantity(),
  /** Wall time from the load window's start to drained, ms. */
  spanMs: quantity(),
  /** The span on the samples' clock (their `t`, as the run summary's window): a reader can redo the sum. */
  window: z.object({ fromMs: quantity(), toMs: quantity() }),
  /** Events delivered over that span (null when not counted). */
  events: quantity().nullable(),
  /** How long after the load window's end the collector went idle, ms. */
  drainMs: quantity(),
  /** False when it was still busy at the cap: the CPU is counted to the cap and the figure is a lower bound. */
  drained: z.boolean(),
});
export type EventCost = z.infer<typeof EventCostSchema>;

/** The agent-cost metrics a comparison tests, each on its run-level value. */
export const AgentCostMetricSchema = z.enum([
  'bpfCpuPercent',
  'bpfNsPerEvent',
  'memoryGrowthMiBPerMinute',
  'hostCpuOverheadPercent',
]);
export type AgentCostMetric = z.infer<typeof AgentCostMetricSchema>;
