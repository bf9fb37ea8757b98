/** The two kinds of event every collection method produces. */
export interface ProcessEvent {
  kind: 'process';
  pid: number;
  /** Short task name (at most 15 characters on Linux). */
  comm: string;
  /** Executable path (procfs: readlink of exe; core_bpf: the exec'd filename). Empty when unknown. */
  exePath: string;
  /** Arguments joined by spaces; empty when unknown (core_bpf does not read them). */
  args: string;
  /** Milliseconds since the epoch when the collector saw it. */
  timeMs: number;
}

export interface NetworkEvent {
  kind: 'network';
  /** 'endpoint' = a listening socket; 'connection' = any other TCP state. */
  role: 'endpoint' | 'connection';
  /** 'open' = a new (local, remote, state) tuple was seen; 'close' = it disappeared. */
  change: 'open' | 'close';
  local: string;
  remote: string;
  /** Kernel TCP state name (ESTABLISHED, LISTEN, ...). */
  state: string;
  pid: number;
  timeMs: number;
}

export type CollectorEvent = ProcessEvent | NetworkEvent;

/** Kernel TCP state numbers (include/net/tcp_states.h). */
export const TCP_STATES: Record<number, string> = {
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW_SYN_RECV',
};

export function tcpStateName(n: number): string {
  return TCP_STATES[n] ?? `UNKNOWN_${n}`;
}
