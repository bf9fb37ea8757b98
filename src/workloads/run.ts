/**
 * Runs one validated workload config until its duration ends or the caller's signal aborts, and
 * resolves to what it achieved. Workers are async loops in this process (see processes.ts why).
 */
import os from 'node:os';
import type { WorkloadConfig } from './config.js';
import { randomSeed } from './distributions.js';
import { FIRST_PORT, runEndpoints } from './endpoints.js';
import { runNetwork } from './network.js';
import { runProcesses } from './processes.js';
import type { AchievedReport, RunnerContext } from './report.js';
import { runSyscalls } from './syscalls.js';

export interface RunWorkloadOptions {
  /** Stops the run early (the report still comes back). */
  signal?: AbortSignal;
  /** Seconds; overrides config.duration. 0 or undefined with config.duration 0 = until `signal`. */
  durationS?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Where BERSERKER_STUB / BERSERKER_BUSYBOX are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** PRNG seed, for reproducible draws (default: from the clock). */
  seed?: number;
  /** CPU count used when per_core (default os.availableParallelism()). */
  cpus?: number;
  /** endpoints: where worker 0's port range starts (default 1024, as berserker), to move the
   * ranges away from ports something else on the host uses. */
  firstPort?: number;
}

/** berserker's worker count: `workers` per core when per_core, else `workers` in total. */
export function workerCount(config: WorkloadConfig, cpus = os.availableParallelism()): number {
  return config.per_core ? config.workers * cpus : config.workers;
}

export async function runWorkload(config: WorkloadConfig, opts: RunWorkloadOptions = {}): Promise<AchievedReport> {
  const durationS = opts.durationS ?? config.duration;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (opts.signal?.aborted) stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = durationS > 0 ? setTimeout(() => stop.abort(), durationS * 1000) : undefined;
  const ctx: RunnerContext = {
    workers: workerCount(config, opts.cpus),
    restartIntervalS: config.restart_interval,
    signal: stop.signal,
    seed: opts.seed ?? randomSeed(),
    log: opts.log ?? (() => undefined),
    env: opts.env ?? process.env,
    firstPort: opts.firstPort ?? FIRST_PORT,
  };
  try {
    const w = config.workload;
    switch (w.type) {
      case 'processes':
        return await runProcesses(w, ctx);
      case 'endpoints':
        return await runEndpoints(w, ctx);
      case 'syscalls':
        return await runSyscalls(w, ctx);
      case 'network':
        return await runNetwork(w, ctx);
      default:
        throw new Error(`unknown workload type ${(w as { type: string }).type}`);
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}
