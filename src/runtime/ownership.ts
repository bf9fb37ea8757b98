/**
 * Who owns a container or process: the harness process that started it. A leftover is anything
 * labelled by us whose owner is no longer alive: that is what the next start sweeps away, so two
 * harnesses running at once never remove each other's containers.
 */
import { readFileSync } from 'node:fs';

export const LABEL = 'collector-bench';
export const OWNER_LABEL = 'collector-bench.owner';

/** `<boot id>/<pid>/<process start time>`: unique across pid reuse and reboots. */
export function ownerId(pid = process.pid): string {
  return `${bootId()}/${pid}/${processStartTime(pid) ?? 0}`;
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().slice(0, 8);
  } catch {
    return 'noboot';
  }
}

export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22, starttime
  } catch {
    return null;
  }
}

/** True when the owner recorded in a label is still the same live process. */
export function ownerAlive(owner: string | undefined): boolean {
  if (!owner) return false;
  const [boot, pidText, start] = owner.split('/');
  if (boot !== bootId()) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return processStartTime(pid) === start;
}
