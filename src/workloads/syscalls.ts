/**
 * `syscalls`: one named syscall, made at a Poisson arrival_rate per worker or in a tight loop.
 * The syscall is made through the Node call listed in `syscall-table.ts`.
 *
 * arrival_rate is calls per second here. (berserker's syscalls worker sleeps the drawn gap in
 * milliseconds, so its effective rate is arrival_rate per millisecond; we keep one unit, per
 * second, across every workload type.)
 * A tight loop runs synchronous batches of ~10 ms and yields to the event loop between them, so
 * the stop signal and the other workers still get their turn.
 */
import { performance } from 'node:perf_hooks';
import type { SyscallsWorkload } from './config.js';
import { seededRng } from './distributions.js';
import { round3, type RunnerContext, type SyscallsReport } from './report.js';
import { runPoisson } from './schedule.js';
import { findSyscall, supportedSyscalls } from './syscall-table.js';
import { InvalidInputError } from '../errors.js';

const BATCH_MS = 10;

export async function runSyscalls(w: SyscallsWorkload, ctx: RunnerContext): Promise<SyscallsReport> {
  const entry = findSyscall(w.syscall_nr);
  if (!entry) throw new InvalidInputError('workload', 'workload.syscall_nr', w.syscall_nr, supportedSyscalls());
  const { call, close } = entry.prepare();
  let calls = 0;
  let errors = 0;
  const once = () => {
    calls++;
    try {
      call();
    } catch {
      // The syscall was made and failed (e.g. EPERM); that still is the event we generate.
      errors++;
    }
  };

  const tight = async () => {
    while (!ctx.signal.aborted) {
      const until = performance.now() + BATCH_MS;
      do {
        for (let i = 0; i < 64; i++) once();
      } while (performance.now() < until);
      await new Promise((r) => setImmediate(r));
    }
  };

  const t0 = performance.now();
  ctx.log(
    `syscalls: ${ctx.workers} worker(s), ${entry.name} (${entry.nr}) via ${entry.via}${w.tight_loop ? ', tight loop' : `, ${w.arrival_rate}/s each`}`,
  );
  let durationS = 0;
  ctx.signal.addEventListener('abort', () => (durationS = (performance.now() - t0) / 1000), { once: true });
  try {
    await Promise.all(
      Array.from({ length: ctx.workers }, (_, i) =>
        w.tight_loop ? tight() : runPoisson(w.arrival_rate, seededRng(ctx.seed + i * 7919), ctx.signal, once),
      ),
    );
  } finally {
    close();
  }
  if (durationS === 0) durationS = (performance.now() - t0) / 1000;

  return {
    type: 'syscalls',
    durationS: round3(durationS),
    workers: ctx.workers,
    syscall: entry.name,
    syscallNr: entry.nr,
    calls,
    errors,
    rate: round3(calls / durationS),
    targetRate: w.tight_loop ? null : w.arrival_rate * ctx.workers,
    tightLoop: w.tight_loop,
  };
}
