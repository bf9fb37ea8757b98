/**
 * What a workload run achieved: the one JSON line `main.ts` prints last on stdout, and the value
 * `runWorkload` resolves to. The harness stores these as a run's achieved workload rates, so the
 * shape is a zod schema it can parse.
 */
import { z } from 'zod';

const common = {
  /** Seconds from the first worker start to the stop. */
  durationS: z.number(),
  /** Worker loops that ran (workers x cores when per_core). */
  workers: z.number().int(),
};

export const processesReportSchema = z.object({
  type: z.literal('processes'),
  ...common,
  /** Successful execs. */
  spawned: z.number().int(),
  /** Achieved execs per second. */
  rate: z.number(),
  /** arrival_rate x workers. */
  targetRate: z.number(),
  /** spawn() calls that failed (e.g. EAGAIN, ENOENT). */
  failed: z.number().int(),
  /** Arrivals skipped because the generator fell more than 1 s behind. */
  dropped: z.number().int(),
  randomProcess: z.boolean(),
  stub: z.string(),
  /** Spawn to exit of the children, measured by the generator (older reports lack them). */
  execLatencyP50Ms: z.number().nullable().optional(),
  execLatencyP99Ms: z.number().nullable().optional(),
});

export const endpointsReportSchema = z.object({
  type: z.literal('endpoints'),
  ...common,
  /** Successful listen() calls over the run. */
  portsBound: z.number().int(),
  /** Ports of a drawn range that could not be bound (in use, out of fds). */
  bindFailures: z.number().int(),
  /** Why they failed: error code -> count (EADDRINUSE, EMFILE, PORT_OUT_OF_RANGE). */
  bindFailureCodes: z.record(z.number().int()),
  /** Ranges drawn, the first one of each worker included. */
  draws: z.number().int(),
  /** Ranges drawn after each worker's first (one per restart_interval). */
  redraws: z.number().int(),
  /** Most ports listening at once. */
  maxListening: z.number().int(),
  /** Mean size of the drawn ranges. */
  meanRangeSize: z.number(),
  /** Ports bound per second. */
  rate: z.number(),
});

export const networkReportSchema = z.object({
  type: z.literal('network'),
  ...common,
  mode: z.enum(['server', 'client', 'both']),
  /** Client connections established (static + dynamic). */
  connectionsOpened: z.number().int(),
  /** Client connections closed by lifetime, preemption or the stop. */
  connectionsClosed: z.number().int(),
  connectFailures: z.number().int(),
  /** Connections closed before they connected (a lifetime shorter than the handshake, or the stop). */
  abandoned: z.number().int(),
  /** Dynamic connections started. */
  dynamicOpened: z.number().int(),
  /** Dynamic arrivals skipped at connections_dyn_max (preempt = false). */
  dynamicSkipped: z.number().int(),
  /** Connections the server accepted. */
  accepted: z.number().int(),
  bytesSent: z.number().int(),
  bytesReceived: z.number().int(),
  /** Dynamic connections started per second. */
  rate: z.number(),
  /** arrival_rate x workers (0 in server mode). */
  targetRate: z.number(),
});

export const syscallsReportSchema = z.object({
  type: z.literal('syscalls'),
  ...common,
  syscall: z.string(),
  syscallNr: z.number().int(),
  calls: z.number().int(),
  /** Calls that returned an error (the call was still made). */
  errors: z.number().int(),
  rate: z.number(),
  /** arrival_rate x workers, or null for tight_loop. */
  targetRate: z.number().nullable(),
  tightLoop: z.boolean(),
});

export const achievedReportSchema = z.discriminatedUnion('type', [
  processesReportSchema,
  endpointsReportSchema,
  networkReportSchema,
  syscallsReportSchema,
]);

export type AchievedReport = z.infer<typeof achievedReportSchema>;
export type ProcessesReport = z.infer<typeof processesReportSchema>;
export type EndpointsReport = z.infer<typeof endpointsReportSchema>;
export type NetworkReport = z.infer<typeof networkReportSchema>;
export type SyscallsReport = z.infer<typeof syscallsReportSchema>;

/** Everything a runner needs besides its workload section. */
export interface RunnerContext {
  workers: number;
  restartIntervalS: number;
  signal: AbortSignal;
  seed: number;
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** endpoints: first port of worker 0's range (berserker: 1024). */
  firstPort: number;
}

/** Rounds a rate for the report (3 decimals is plenty and keeps the JSON line short). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
