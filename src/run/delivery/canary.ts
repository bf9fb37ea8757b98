/**
 * The canary every delivery check but `none` uses: exec one short-lived process (or a burst of them)
 * on this host and time how long until the agent shows it, by whatever `arrival` watches (a signal
 * at the mock sensor, a log line, a counter). A canary that never shows makes the run invalid: an
 * agent that collects nothing would otherwise look cheap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostBusybox } from '../../runtime/images.js';

export const CANARY_PREFIX = 'collector-bench-canary-';
export const CANARY_TIMEOUT_MS = 30_000;

/**
 * The canary's command line. It must be visible to both collection methods of the reference
 * collector, which see different things:
 *  - procfs reads /proc/<pid>/{comm,cmdline,exe} of pids it finds on a 200 ms poll: comm is cut to
 *    15 characters ("collector-bench" would lose the nonce), exe is the resolved binary (a symlink's
 *    name is lost), so the nonce must be in the arguments and the process must live long enough
 *    to be polled;
 *  - core_bpf reports the execve filename and only argv[1..3].
 * So: `busybox sh -c 'sleep 1; true # collector-bench-canary-<nonce>'`. The `; true` keeps the
 * shell alive for the second (a lone command would be exec'd in place, replacing the cmdline),
 * and the nonce sits in argv[3], which both methods report.
 */
export function canaryCommand(
  nonce: string,
  busybox: string | null = hostBusybox(),
): { file: string; args: string[]; marker: string } {
  const marker = `${CANARY_PREFIX}${nonce}`;
  const script = `sleep 1; true # ${marker}`;
  return busybox
    ? { file: busybox, args: ['sh', '-c', script], marker }
    : { file: '/bin/sh', args: ['-c', script], marker };
}

export interface CanaryOutcome {
  marker: string;
  /** From the first exec to the arrival; null when it never arrived. */
  latencyMs: number | null;
  error: string | null;
}

export interface CanaryOptions {
  /** What the error says when it never arrived, e.g. "did not reach the sensor". */
  missing: string;
  /** How many canary processes to exec at once (a counter must grow by at least this many). */
  execs?: number;
  timeoutMs?: number;
  /** Awaited before the exec, e.g. to read a counter's value before the canary. */
  prepare?: () => Promise<void>;
}

/**
 * @param arrival resolves with the epoch ms at which the agent showed the canary (it is called
 *   before the exec, so nothing the agent shows in between is missed); rejects on timeout
 */
export async function runCanary(
  arrival: (marker: string, timeoutMs: number) => Promise<number>,
  { missing, execs = 1, timeoutMs = CANARY_TIMEOUT_MS, prepare }: CanaryOptions,
): Promise<CanaryOutcome> {
  const { file, args, marker } = canaryCommand(randomBytes(6).toString('hex'));
  await prepare?.();
  const arrived = arrival(marker, timeoutMs);
  const children: ChildProcess[] = [];
  const t0 = Date.now();
  for (let i = 0; i < execs; i++) {
    const child = spawn(file, args, { stdio: 'ignore' });
    child.on('error', () => undefined); // reported through the missing arrival
    children.push(child);
  }
  try {
    return { marker, latencyMs: Math.max(0, (await arrived) - t0), error: null };
  } catch (e) {
    return {
      marker,
      latencyMs: null,
      error: `canary ${marker} ${missing} within ${timeoutMs / 1000} s (${(e as Error).message})`,
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
