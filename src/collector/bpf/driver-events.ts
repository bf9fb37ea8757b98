/**
 * Turning bpftrace's JSON output lines (`bpftrace -f json`) into collector events. The driver
 * program's printf format is documented in src/collector/driver/collector.bt.
 */
import type { NetworkEvent, ProcessEvent } from '../events.js';
import { tcpStateName } from '../events.js';

const LISTEN = 10;
const CLOSE = 7;

export type DriverLine =
  | { type: 'attached'; probes: number }
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
  const base = { kind: 'network' as const, pid: Number(f[1]), timeMs: now, local: endpoint(f[2], f[5], f[6]), remote: endpoint(f[2], f[7], f[8]) };
  if (newState === LISTEN) return { ...base, role: 'endpoint', change: 'open', state: 'LISTEN' };
  if (oldState === LISTEN && newState === CLOSE) return { ...base, role: 'endpoint', change: 'close', state: 'LISTEN' };
  if (newState === CLOSE) return { ...base, role: 'connection', change: 'close', state: tcpStateName(oldState) };
  return { ...base, role: 'connection', change: 'open', state: tcpStateName(newState) };
}

export function parseDriverLine(line: string, now = Date.now()): DriverLine | null {
  if (line.length === 0) return null;
  let msg: { type?: string; data?: unknown };
  try {
    msg = JSON.parse(line) as { type?: string; data?: unknown };
  } catch {
    return { type: 'other', raw: line };
  }
  if (msg.type === 'printf' && typeof msg.data === 'string') {
    const text = msg.data.endsWith('\n') ? msg.data.slice(0, -1) : msg.data;
    if (text.startsWith('E\t')) {
      const a = text.indexOf('\t', 2);
      const b = a === -1 ? -1 : text.indexOf('\t', a + 1);
      if (b === -1) return { type: 'other', raw: line };
      return {
        type: 'process',
        event: { kind: 'process', pid: Number(text.slice(2, a)), comm: text.slice(a + 1, b), exePath: text.slice(b + 1), args: '', timeMs: now },
      };
    }
    if (text.startsWith('S\t')) {
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
