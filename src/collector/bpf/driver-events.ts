/**
 * Turning bpftrace's JSON output lines (`bpftrace -f json`) into collector events. The driver
 * program's printf format is documented in src/collector/driver/collector.bt.
 */
import type { NetworkEvent, ProcessEvent } from '../events.js';
import { tcpStateName } from '../events.js';

/**
 * What the driver prints from its `BEGIN` probe (see driver/collector.bt). bpftrace runs BEGIN only
 * after every probe is attached and every map exists, whereas `attached_probes` comes earlier
 * (bpftrace 0.17 prints it before creating its maps), so this line, not `attached_probes`, is
 * what "the driver is loaded" means.
 */
export const DRIVER_READY_MARKER = 'collector-bench-driver-ready';

const LISTEN = 10;
const CLOSE = 7;

export type DriverLine =
  | { type: 'attached'; probes: number }
  | { type: 'ready' }
  | { type: 'process'; event: ProcessEvent }
  | { type: 'network'; event: NetworkEvent }
  | { type: 'lost'; count: number }
  | { type: 'other'; raw: string };

function endpoint(family: string, addr: string, port: string): string {
  return family === '6' ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** Maps one inet_sock_set_state transition onto the endpoint/connection model of the procfs method. */
export function networkEventFromTransition(f: string[], now: number): NetworkEvent | null {
  // f = [S, pid, family, oldstate, newstate, saddr, sport, daddr, dport]
  if (f.length < 9) return null;
  const oldState = Number(f[3]);
  const newState = Number(f[4]);
  const base = {
    kind: 'network' as const,
    pid: Number(f[1]),
    timeMs: now,
    local: endpoint(f[2], f[5], f[6]),
    remote: endpoint(f[2], f[7], f[8]),
  };
  if (newState === LISTEN) return { ...base, role: 'endpoint', change: 'open', state: 'LISTEN' };
  if (oldState === LISTEN && newState === CLOSE) return { ...base, role: 'endpoint', change: 'close', state: 'LISTEN' };
  if (newState === CLOSE) return { ...base, role: 'connection', change: 'close', state: tcpStateName(oldState) };
  return { ...base, role: 'connection', change: 'open', state: tcpStateName(newState) };
}

/** Pending execve arguments by calling tid; bounded so failed execs cannot grow it for ever. */
const MAX_PENDING_ARGS = 4096;

/**
 * Stateful parser of the driver's output: `A` lines (execve arguments) are held by tid until the
 * matching `E` line (sched_process_exec, whose old_pid is that tid) arrives.
 */
export class DriverLineParser {
  private readonly pendingArgs = new Map<number, string>();

  parse(line: string, now = Date.now()): DriverLine | null {
    if (line.length === 0) return null;
    let msg: { type?: string; data?: unknown };
    try {
      msg = JSON.parse(line) as { type?: string; data?: unknown };
    } catch {
      return { type: 'other', raw: line };
    }
    if (msg.type === 'printf' && typeof msg.data === 'string') {
      const text = msg.data.endsWith('\n') ? msg.data.slice(0, -1) : msg.data;
      if (text === DRIVER_READY_MARKER) return { type: 'ready' };
      const kind = text.charCodeAt(0);
      if (kind === 65 /* A */ && text.charCodeAt(1) === 9) {
        const f = text.split('\t');
        if (this.pendingArgs.size >= MAX_PENDING_ARGS) this.pendingArgs.clear();
        this.pendingArgs.set(
          Number(f[1]),
          f
            .slice(2)
            .filter((a) => a !== '')
            .join(' '),
        );
        return null;
      }
      if (kind === 69 /* E */ && text.charCodeAt(1) === 9) {
        // E pid old_pid comm filename; the filename is last so it may contain tabs.
        const a = text.indexOf('\t', 2);
        const b = a === -1 ? -1 : text.indexOf('\t', a + 1);
        const c = b === -1 ? -1 : text.indexOf('\t', b + 1);
        if (c === -1) return { type: 'other', raw: line };
        const oldPid = Number(text.slice(a + 1, b));
        const args = this.pendingArgs.get(oldPid) ?? '';
        this.pendingArgs.delete(oldPid);
        return {
          type: 'process',
          event: {
            kind: 'process',
            pid: Number(text.slice(2, a)),
            comm: text.slice(b + 1, c),
            exePath: text.slice(c + 1),
            args,
            timeMs: now,
          },
        };
      }
      if (kind === 83 /* S */ && text.charCodeAt(1) === 9) {
        const ev = networkEventFromTransition(text.split('\t'), now);
        return ev ? { type: 'network', event: ev } : { type: 'other', raw: line };
      }
      return { type: 'other', raw: line };
    }
    if (msg.type === 'attached_probes') {
      const probes = (msg.data as { probes?: number } | undefined)?.probes ?? 0;
      return { type: 'attached', probes };
    }
    if (msg.type === 'lost_events') {
      const count = (msg.data as { events?: number } | undefined)?.events ?? 0;
      return { type: 'lost', count };
    }
    return { type: 'other', raw: line };
  }
}
