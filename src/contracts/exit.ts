/**
 * How a program ended, in words a reader can act on. A local process killed by a signal has no exit
 * code (Node reports `code null, signal SIGKILL`); a container's main process killed by a signal
 * exits with 128 + the signal's number (Docker's convention), so both name the signal.
 */
import { constants } from 'node:os';
/** How a process or container ended, as the runtime reports it and the results record it. */
export interface ExitInfo {
  exitCode: number | null;
  signal?: string | null;
  oomKilled?: boolean;
  error?: string | null;
}

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** The signal that ended the program, from the runtime's report or from a 128+n exit code; null when none did. */
export function exitSignal(exit: Pick<ExitInfo, 'exitCode' | 'signal'>): string | null {
  if (exit.signal) return exit.signal;
  if (exit.exitCode !== null && exit.exitCode > 128) return SIGNAL_NAMES.get(exit.exitCode - 128) ?? null;
  return null;
}

/** What follows "exited": `with code 1`, `with code 137 (SIGKILL)`, `on signal SIGSEGV`, `... (OOM killed)`. */
export function exitDetail(exit: ExitInfo): string {
  const signal = exitSignal(exit);
  const notes = [exit.exitCode !== null && signal ? signal : null, exit.oomKilled ? 'OOM killed' : null].filter(
    Boolean,
  );
  const how =
    exit.exitCode !== null
      ? `with code ${exit.exitCode}`
      : signal
        ? `on signal ${signal}`
        : `with no exit code${exit.error ? ` (${exit.error})` : ''}`;
  return notes.length ? `${how} (${notes.join(', ')})` : how;
}
