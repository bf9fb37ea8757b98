/**
 * `processes`: Poisson arrivals of new processes, as berserker does.
 *
 * random_process = true (the benchmark's setting): each arrival execs the stub with a fresh random
 * 7-character argument, and the stub exits at once, so a collector sees one exec (and one exit)
 * per arrival at the arrival rate. berserker draws a lifetime here too but never uses it: its stub
 * exits immediately, and so does ours.
 * random_process = false: berserker forks a copy of itself that sleeps for its Exp(departure_rate)
 * lifetime, with no exec. Node cannot fork without exec, so each arrival execs busybox `sleep
 * <lifetime>`: the child lives for its lifetime and exits by itself (no kill timer to keep).
 *
 * Workers are async loops in this one process rather than a process each: a Node process costs
 * ~40 MB and its own startup, while spawn() is synchronous and cheap (~0.7 ms of CPU here), so one
 * event loop carries several hundred execs per second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { ProcessesWorkload } from './config.js';
import { randomAlphanumeric, sampleExponential, seededRng } from './distributions.js';
import { round3, type ProcessesReport, type RunnerContext } from './report.js';
import { LatencyReservoir } from './latency.js';
import { runPoisson, sleep } from './schedule.js';
import { findBusybox, resolveExecStub } from './stub.js';

export async function runProcesses(w: ProcessesWorkload, ctx: RunnerContext): Promise<ProcessesReport> {
  const stub = w.random_process
    ? resolveExecStub(ctx.env)
    : { path: findBusybox(ctx.env), prefix: ['sleep'], source: 'busybox' as const };
  const live = new Set<ChildProcess>();
  let spawned = 0;
  let failed = 0;
  let lastError = '';
  // Spawn-to-exit of every child: what the traced workload pays per exec, with or without an agent.
  const latencies = new LatencyReservoir();

  const launch = (args: string[]) => {
    let child: ChildProcess;
    try {
      child = spawn(stub.path, args, { stdio: 'ignore' });
    } catch (e) {
      failed++;
      lastError = (e as Error).message;
      return;
    }
    // An exec that fails asynchronously (ENOENT, EAGAIN) has no pid and emits 'error'.
    child.on('error', (e) => {
      lastError = e.message;
    });
    if (child.pid === undefined) {
      failed++;
      return;
    }
    spawned++;
    live.add(child);
    const at = performance.now();
    child.once('exit', () => {
      live.delete(child);
      latencies.add(performance.now() - at);
    });
  };

  const t0 = performance.now();
  ctx.log(
    `processes: ${ctx.workers} worker(s) x ${w.arrival_rate}/s, stub ${stub.path} ${stub.prefix.join(' ')} (${stub.source})`,
  );
  const workerStats = await Promise.all(
    Array.from({ length: ctx.workers }, (_, i) => {
      const rng = seededRng(ctx.seed + i * 7919);
      return runPoisson(w.arrival_rate, rng, ctx.signal, () => {
        if (w.random_process) launch([...stub.prefix, randomAlphanumeric(rng)]);
        else launch([...stub.prefix, sampleExponential(rng, w.departure_rate).toFixed(3)]);
      });
    }),
  );
  const durationS = (performance.now() - t0) / 1000;

  // Let the last children finish on their own, then make sure none is left behind.
  const deadline = performance.now() + 2000;
  while (live.size > 0 && performance.now() < deadline) await sleep(20);
  for (const child of live) child.kill('SIGKILL');
  if (failed > 0) ctx.log(`processes: ${failed} spawn failure(s), last: ${lastError}`);

  return {
    type: 'processes',
    durationS: round3(durationS),
    workers: ctx.workers,
    spawned,
    rate: round3(spawned / durationS),
    targetRate: w.arrival_rate * ctx.workers,
    failed,
    dropped: workerStats.reduce((a, s) => a + s.dropped, 0),
    randomProcess: w.random_process,
    stub: `${stub.path}${stub.prefix.length ? ' ' + stub.prefix.join(' ') : ''}`,
    ...latencies.percentilesMs(),
  };
}
