/**
 * The canary for deliveries other than the sensor: exec the canary command (the same command line
 * the sensor check uses, see canaryCommand) on this host and time how long until the agent shows
 * it, by whatever `arrival` watches (a log line, a counter). A canary that never shows makes the
 * run invalid: an agent that collects nothing would otherwise look cheap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { canaryCommand, CANARY_TIMEOUT_MS } from '../sensor-hooks.js';

export interface CanaryOutcome {
  marker: string;
  /** From the first exec to the arrival; null when it never arrived. */
  latencyMs: number | null;
  error: string | null;
}

export interface CanaryOptions {
  /** How many canary processes to exec at once (a counter must grow by at least this many). */
  execs?: number;
  timeoutMs?: number;
  /** Awaited before the exec, e.g. to read a counter's value before the canary. */
  prepare?: () => Promise<void>;
}

/**
 * @param arrival resolves with the epoch ms at which the agent showed the canary (it is called
 *   before the exec, so nothing the agent prints in between is missed); rejects on timeout
 */
export async function runDeliveryCanary(
  arrival: (marker: string, timeoutMs: number) => Promise<number>,
  where: string,
  { execs = 1, timeoutMs = CANARY_TIMEOUT_MS, prepare }: CanaryOptions = {},
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
      error: `canary ${marker} did not show in ${where} within ${timeoutMs / 1000} s (${(e as Error).message})`,
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
