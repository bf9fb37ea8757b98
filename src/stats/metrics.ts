/**
 * Every compared metric, with its run-level value, unit and floor. One list, so a metric added
 * later (a line here) goes through the same analysis, Holm family and verdict rule as the rest.
 * The run stays the unit of replication: one value per counted run (the collector's window means,
 * its CPU per 1,000 delivered events, a run's BPF kernel CPU and BPF time per event, its working-set
 * slope, its host-CPU overhead over its no-agent neighbour).
 *
 * Two CPU costs come as a rate and per event (issue 18): CPU % of a core falls when the machine is
 * too busy for the agent to keep up and rises when more events get through; per delivered event it
 * does neither. Both are compared; `compare.deciding` says which of each pair enters the overall
 * verdict (stats/deciding.ts).
 */
import type { AgentCostMetric } from '../contracts/agent-cost.js';
import type { MetricComparison } from '../contracts/comparison.js';
import type { FigureUnit } from '../contracts/figures.js';
import { countedRuns, type ResultFile, type Run } from '../contracts/result.js';
import { mean } from './descriptive.js';
import type { Floor, Floors } from './floors.js';

export type ComparedMetric = MetricComparison['metric'] | AgentCostMetric;

export interface MetricSpec {
  metric: ComparedMetric;
  /** `resource`: the collector's own CPU and memory (the contract's `metrics`); `agentCost`: its `agentCost`. */
  family: 'resource' | 'agentCost';
  unit: FigureUnit;
  /** The run's value, null when the run does not carry the metric (older files, BPF not readable). */
  value: (run: Run) => number | null;
  floor: (floors: Floors) => Floor;
  /** False where a ratio to the baseline level means nothing (a slope near zero): figures stay absolute. */
  relative: boolean;
  /**
   * Compared even when no run carries it (then inconclusive, saying so): the collector's own CPU %
   * and memory. Every other metric is compared only where both sides carry it (older files lack them).
   */
  alwaysCompared: boolean;
  /** The run-level statistic reports print beside the name; default RUN_LEVEL_STATISTIC. */
  statistic?: string;
  /** A per-event metric: the rate metric it is the alternative to (which of the two decides: deciding.ts). */
  perEventOf?: ComparedMetric;
}

// Short because reports print it beside the metric: each counted run's window mean.
export const RUN_LEVEL_STATISTIC = 'run window means';

export const METRICS: readonly MetricSpec[] = [
  {
    metric: 'cpuPercent',
    family: 'resource',
    unit: 'percent',
    value: (run) => run.summary?.cpuPercent.windowMean ?? null,
    floor: (f) => f.cpu,
    relative: true,
    alwaysCompared: true,
  },
  {
    metric: 'cpuMsPer1000Events',
    family: 'resource',
    unit: 'ms/1000 events',
    value: (run) => run.eventCost?.cpuMsPer1000Events ?? null,
    floor: (f) => f.cpuPer1000Events,
    statistic: 'each run, load start to drained',
    relative: true,
    alwaysCompared: false,
    perEventOf: 'cpuPercent',
  },
  {
    metric: 'memoryBytes',
    family: 'resource',
    unit: 'bytes',
    value: (run) => run.summary?.memoryBytes.windowMean ?? null,
    floor: (f) => ({ absolute: f.memory.absoluteBytes, relative: f.memory.relative }),
    relative: true,
    alwaysCompared: true,
  },
  {
    metric: 'bpfCpuPercent',
    family: 'agentCost',
    unit: 'percent',
    value: (run) => (run.bpf?.available ? (run.bpf.cpuPercent ?? null) : null),
    floor: (f) => f.bpfCpu,
    relative: true,
    alwaysCompared: false,
  },
  {
    metric: 'bpfNsPerEvent',
    family: 'agentCost',
    unit: 'ns/event',
    // Per collector event only: per program run is another unit (a program added or split changes it).
    value: (run) =>
      run.bpf?.available && run.bpf.nsPerEventBasis === 'collector events' ? (run.bpf.nsPerEvent ?? null) : null,
    floor: (f) => f.bpfNsPerEvent,
    relative: true,
    alwaysCompared: false,
    perEventOf: 'bpfCpuPercent',
  },
  {
    metric: 'memoryGrowthMiBPerMinute',
    family: 'agentCost',
    unit: 'MiB/min',
    value: (run) => run.memoryGrowth?.mibPerMinute ?? null,
    floor: (f) => ({ absolute: f.memoryGrowth.absoluteMiBPerMinute, relative: 0 }),
    relative: false,
    alwaysCompared: false,
  },
  {
    metric: 'hostCpuOverheadPercent',
    family: 'agentCost',
    unit: 'percent',
    value: (run) => run.overhead?.hostCpuPercent.delta ?? null,
    floor: (f) => f.hostCpuOverhead,
    relative: true,
    alwaysCompared: false,
  },
];

/** The metric's value of every counted run that carries it, in run order. */
export function runLevelValues(results: readonly ResultFile[], spec: MetricSpec): number[] {
  return results.flatMap((r) =>
    countedRuns(r).flatMap((run) => {
      const v = spec.value(run);
      return v === null ? [] : [v];
    }),
  );
}

/** One session's value: the mean of its counted runs' values; null when none carries the metric. */
export function sessionValue(result: ResultFile, spec: MetricSpec): number | null {
  const values = runLevelValues([result], spec);
  return values.length > 0 ? mean(values) : null;
}
