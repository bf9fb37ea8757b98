/**
 * CPU percentages from cumulative counters. Everything here is pure: callers pass readings taken
 * with their own clocks. Units: percent of ONE core (200 = two cores fully busy), matching
 * `Sample.cpuPercent` in the results contract.
 */

export interface CumulativeCpu {
  /** Cumulative CPU time consumed, nanoseconds. */
  cpuNs: number;
  /** Monotonic wall clock when it was read, milliseconds (fractions allowed). */
  wallMs: number;
}

/**
 * CPU used between two readings as a percent of one core. Returns null when no wall time passed.
 * A counter that went backwards (the cgroup was recreated) yields null instead of a negative value.
 */
export function cpuPercentBetween(prev: CumulativeCpu, cur: CumulativeCpu): number | null {
  const wallNs = (cur.wallMs - prev.wallMs) * 1e6;
  const cpuNs = cur.cpuNs - prev.cpuNs;
  if (!(wallNs > 0) || cpuNs < 0) return null;
  return (cpuNs / wallNs) * 100;
}

/** Clock ticks (USER_HZ, as in /proc/<pid>/stat) to nanoseconds. */
export function ticksToNs(ticks: number, clockTicksPerSecond: number): number {
  return (ticks * 1e9) / clockTicksPerSecond;
}

/** The aggregate "cpu" line of /proc/stat, in clock ticks. */
export interface HostCpuTimes {
  busy: number;
  total: number;
  /** Number of per-CPU lines ("cpu0", "cpu1", ...). */
  cpus: number;
}

/**
 * Parses /proc/stat. Busy = user + nice + system + irq + softirq + steal; idle = idle + iowait.
 * guest and guest_nice are already included in user and nice, so they are not added again.
 */
export function parseProcStat(text: string): HostCpuTimes {
  let busy = NaN;
  let total = NaN;
  let cpus = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) {
      const f = line.trim().split(/\s+/).slice(1).map(Number);
      const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
      busy = user + nice + system + irq + softirq + steal;
      total = busy + idle + iowait;
    } else if (/^cpu\d+ /.test(line)) {
      cpus++;
    }
  }
  if (!Number.isFinite(busy)) throw new Error('/proc/stat: no aggregate "cpu " line');
  return { busy, total, cpus };
}

/**
 * Host CPU use between two /proc/stat readings, as a percent of one core (so up to 100 x cpus).
 * Uses the tick totals rather than wall time, so it needs no clock and sums exactly to the host.
 */
export function hostCpuPercentBetween(prev: HostCpuTimes, cur: HostCpuTimes): number | null {
  const total = cur.total - prev.total;
  const busy = cur.busy - prev.busy;
  if (!(total > 0) || busy < 0) return null;
  return (busy / total) * 100 * Math.max(1, cur.cpus);
}
