/**
 * Plain shapes of what the sensor receives, converted from the objects proto-loader decodes
 * (see SENSOR_PROTO_LOADER_OPTIONS), so callers never depend on loader quirks such as `null` for
 * unset messages.
 */

export interface LineageInfoRecord {
  parentUid: number;
  parentExecFilePath: string;
}

/** storage.ProcessSignal as received. `timeMs` is the process creation time, epoch milliseconds. */
export interface ProcessSignalRecord {
  id: string;
  containerId: string;
  timeMs: number | null;
  name: string;
  args: string;
  execFilePath: string;
  pid: number;
  uid: number;
  gid: number;
  lineageInfo: LineageInfoRecord[];
  scraped: boolean;
}

/** A process signal plus when the sensor got it (epoch ms, sub-millisecond resolution). */
export interface ReceivedProcessSignal {
  receivedAtMs: number;
  /** Which stream carried it: 1 for the first PushSignals stream opened since start/reset, ... */
  stream: number;
  signal: ProcessSignalRecord;
}

interface DecodedTimestamp {
  seconds?: number | string | null;
  nanos?: number | null;
}

export function timestampToMs(ts: DecodedTimestamp | null | undefined): number | null {
  if (ts === null || ts === undefined) return null;
  const seconds = Number(ts.seconds ?? 0);
  const nanos = Number(ts.nanos ?? 0);
  return seconds * 1000 + nanos / 1e6;
}

type Loose = Record<string, unknown> | null | undefined;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0) || 0;
}

export function toProcessSignalRecord(decoded: Loose): ProcessSignalRecord {
  const d = decoded ?? {};
  const lineage = Array.isArray(d['lineageInfo']) ? (d['lineageInfo'] as Loose[]) : [];
  return {
    id: str(d['id']),
    containerId: str(d['containerId']),
    timeMs: timestampToMs(d['time'] as DecodedTimestamp | null | undefined),
    name: str(d['name']),
    args: str(d['args']),
    execFilePath: str(d['execFilePath']),
    pid: num(d['pid']),
    uid: num(d['uid']),
    gid: num(d['gid']),
    lineageInfo: lineage.map((l) => ({
      parentUid: num(l?.['parentUid']),
      parentExecFilePath: str(l?.['parentExecFilePath']),
    })),
    scraped: d['scraped'] === true,
  };
}

/**
 * What one SignalStreamMessage carried: a registration, a process signal, or something this
 * mock does not know (an empty oneof or a v1.Signal variant added upstream later).
 */
export type SignalStreamContent =
  | { kind: 'register'; hostname: string; instanceId: string }
  | { kind: 'processSignal'; signal: ProcessSignalRecord }
  | { kind: 'other' };

export function classifySignalStreamMessage(decoded: Loose): SignalStreamContent {
  const d = decoded ?? {};
  if (d['msg'] === 'collectorRegisterRequest') {
    const r = (d['collectorRegisterRequest'] ?? {}) as Record<string, unknown>;
    return { kind: 'register', hostname: str(r['hostname']), instanceId: str(r['instanceId']) };
  }
  if (d['msg'] === 'signal') {
    const s = (d['signal'] ?? {}) as Record<string, unknown>;
    if (s['signal'] === 'processSignal')
      return { kind: 'processSignal', signal: toProcessSignalRecord(s['processSignal'] as Loose) };
  }
  return { kind: 'other' };
}

export type NetworkInfoContent =
  | { kind: 'register'; hostname: string; instanceId: string }
  | { kind: 'info'; connections: number; endpoints: number; timeMs: number | null }
  | { kind: 'other' };

export function classifyNetworkInfoMessage(decoded: Loose): NetworkInfoContent {
  const d = decoded ?? {};
  if (d['msg'] === 'register') {
    const r = (d['register'] ?? {}) as Record<string, unknown>;
    return { kind: 'register', hostname: str(r['hostname']), instanceId: str(r['instanceId']) };
  }
  if (d['msg'] === 'info') {
    const i = (d['info'] ?? {}) as Record<string, unknown>;
    const conns = Array.isArray(i['updatedConnections']) ? i['updatedConnections'].length : 0;
    const eps = Array.isArray(i['updatedEndpoints']) ? i['updatedEndpoints'].length : 0;
    return {
      kind: 'info',
      connections: conns,
      endpoints: eps,
      timeMs: timestampToMs(i['time'] as DecodedTimestamp | null),
    };
  }
  return { kind: 'other' };
}
