/**
 * The collector's side of the Sensor gRPC contract: connect with a deadline, then stream process
 * signals on sensor.SignalService/PushSignals and network deltas on
 * sensor.NetworkConnectionInfoService/PushNetworkConnectionInfo, each stream starting with a
 * CollectorRegisterRequest. Events come from the bounded queue; a broken stream is reopened after
 * a pause, and events taken from the queue while it is down count as send failures.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { CollectorConfig } from '../config.js';
import type { BoundedQueue } from '../event-queue.js';
import type { CollectorEvent, NetworkEvent, ProcessEvent } from '../events.js';
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics.js';
import { loadSensorClients, type SensorClients } from './sensor-proto.js';

const REOPEN_DELAY_MS = 1000;
const NETWORK_FLUSH_MS = 1000;
const STREAM_WARN_THROTTLE_S = 10;

export interface SensorLink {
  startStreaming(queue: BoundedQueue<CollectorEvent>): void;
  close(): Promise<void>;
}

function timestamp(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: Math.round((ms % 1000) * 1e6) };
}

/** "127.0.0.1:80" / "[::1]:80" -> raw address bytes + port. */
export function addressBytes(endpoint: string): { family: 4 | 6; addressData: Buffer; port: number } {
  const i = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(endpoint.slice(i + 1));
  if (!host.includes(':')) return { family: 4, addressData: Buffer.from(host.split('.').map(Number)), port };
  const [head, tail = ''] = host.split('::');
  const h = head ? head.split(':') : [];
  const t = host.includes('::') && tail ? tail.split(':') : [];
  const groups = host.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const buf = Buffer.alloc(16);
  groups.forEach((g, k) => buf.writeUInt16BE(parseInt(g || '0', 16), k * 2));
  return { family: 6, addressData: buf, port };
}

export function processSignalMessage(e: ProcessEvent): object {
  return {
    signal: {
      processSignal: {
        id: randomUUID(),
        containerId: '',
        time: timestamp(e.timeMs),
        name: e.comm,
        args: e.args,
        execFilePath: e.exePath,
        pid: e.pid,
        uid: 0,
        gid: 0,
        scraped: false,
        lineageInfo: [],
      },
    },
  };
}

export function networkInfoMessage(events: NetworkEvent[], now = Date.now()): object {
  const updatedConnections: object[] = [];
  const updatedEndpoints: object[] = [];
  for (const e of events) {
    const local = addressBytes(e.local);
    const family = local.family === 4 ? 'SOCKET_FAMILY_IPV4' : 'SOCKET_FAMILY_IPV6';
    const closeTimestamp = e.change === 'close' ? timestamp(e.timeMs) : null;
    if (e.role === 'endpoint') {
      updatedEndpoints.push({
        socketFamily: family,
        protocol: 'L4_PROTOCOL_TCP',
        listenAddress: { addressData: local.addressData, port: local.port },
        containerId: '',
        closeTimestamp,
      });
    } else {
      const remote = addressBytes(e.remote);
      updatedConnections.push({
        socketFamily: family,
        localAddress: { addressData: local.addressData, port: local.port },
        remoteAddress: { addressData: remote.addressData, port: remote.port },
        protocol: 'L4_PROTOCOL_TCP',
        role: 'ROLE_UNKNOWN',
        containerId: '',
        closeTimestamp,
      });
    }
  }
  return { info: { updatedConnections, updatedEndpoints, time: timestamp(now) } };
}

function waitForReady(client: grpc.Client, deadline: Date, signal: AbortSignal): Promise<Error | null> {
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    client.waitForReady(deadline, (err) => {
      signal.removeEventListener('abort', onAbort);
      resolve(err ?? null);
    });
  });
}

/** Connects within REF_COLLECTOR_CONNECT_TIMEOUT_S; null (after logging why) when the Sensor cannot be reached. */
export async function connectToSensor(
  cfg: Pick<CollectorConfig, 'grpcServer' | 'connectTimeoutS' | 'hostname'>,
  log: Logger,
  metrics: CollectorMetrics,
  signal: AbortSignal,
): Promise<SensorLink | null> {
  const clients: SensorClients = loadSensorClients();
  const target = cfg.grpcServer!;
  const creds = grpc.credentials.createInsecure();
  const signals = new clients.SignalService(target, creds);
  const network = new clients.NetworkConnectionInfoService(target, creds);
  const err = await waitForReady(signals, new Date(Date.now() + cfg.connectTimeoutS * 1000), signal);
  if (err) {
    if (!signal.aborted)
      log.error(`Failed to connect to Sensor at ${target} within ${cfg.connectTimeoutS} s: ${err.message}`);
    signals.close();
    network.close();
    return null;
  }
  return new GrpcSensorLink(signals, network, cfg.hostname, log, metrics);
}

type Duplex = grpc.ClientDuplexStream<object, object>;

class GrpcSensorLink implements SensorLink {
  private readonly instanceId = randomUUID();
  private signalStream: Duplex | null = null;
  private networkStream: Duplex | null = null;
  private closed = false;
  private queue: BoundedQueue<CollectorEvent> | null = null;
  private pendingNetwork: NetworkEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly signals: grpc.Client,
    private readonly network: grpc.Client,
    private readonly hostname: string,
    private readonly log: Logger,
    private readonly metrics: CollectorMetrics,
  ) {}

  private open(client: grpc.Client, method: string, register: object, which: 'signal' | 'network'): Duplex {
    const call = (client as unknown as Record<string, (...a: unknown[]) => Duplex>)[method].call(client);
    call.on('data', () => undefined);
    call.on('error', (e: grpc.ServiceError) => {
      if (this.closed) return;
      this.log.throttledWarn(
        `sensor-${which}`,
        STREAM_WARN_THROTTLE_S,
        `Sensor ${which} stream failed: ${e.details || e.message}; reopening`,
      );
      if (which === 'signal') this.signalStream = null;
      else this.networkStream = null;
      setTimeout(() => this.reopen(which), REOPEN_DELAY_MS).unref();
    });
    call.on('end', () => undefined);
    call.write(register);
    return call;
  }

  private reopen(which: 'signal' | 'network'): void {
    if (this.closed) return;
    const reg = { hostname: this.hostname, instanceId: this.instanceId };
    if (which === 'signal' && !this.signalStream)
      this.signalStream = this.open(this.signals, 'PushSignals', { collectorRegisterRequest: reg }, 'signal');
    if (which === 'network' && !this.networkStream)
      this.networkStream = this.open(this.network, 'PushNetworkConnectionInfo', { register: reg }, 'network');
  }

  startStreaming(queue: BoundedQueue<CollectorEvent>): void {
    this.queue = queue;
    this.reopen('signal');
    this.reopen('network');
    this.flushTimer = setInterval(() => this.flushNetwork(), NETWORK_FLUSH_MS);
    this.loopDone = this.drain(queue);
  }

  private flushNetwork(): void {
    if (this.pendingNetwork.length === 0) return;
    const batch = this.pendingNetwork;
    this.pendingNetwork = [];
    if (!this.networkStream) return; // dropped while the stream is down: the next scrape state supersedes it
    this.networkStream.write(networkInfoMessage(batch));
    for (const e of batch) {
      if (e.role === 'endpoint') this.metrics.counters.net_cep_deltas += 1;
      else this.metrics.counters.net_conn_deltas += 1;
    }
  }

  private async drain(queue: BoundedQueue<CollectorEvent>): Promise<void> {
    while (!this.closed) {
      await queue.whenNotEmpty();
      let e: CollectorEvent | undefined;
      while (!this.closed && (e = queue.shift()) !== undefined) {
        this.metrics.queueDepth = queue.length;
        if (e.kind === 'network') {
          this.pendingNetwork.push(e);
          if (this.pendingNetwork.length >= 1000) this.flushNetwork();
          continue;
        }
        const stream = this.signalStream;
        if (!stream) {
          this.metrics.events.processSendFailures += 1;
          continue;
        }
        const more = stream.write(processSignalMessage(e));
        this.metrics.events.processSent += 1;
        // Respect HTTP/2 flow control: a slow Sensor backs the queue up, and the queue drops.
        if (!more)
          await new Promise<void>((r) => {
            const done = (): void => {
              stream.off('drain', done);
              stream.off('error', done);
              r();
            };
            stream.once('drain', done);
            stream.once('error', done);
          });
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flushNetwork();
    this.closed = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.queue?.wake();
    for (const s of [this.signalStream, this.networkStream]) {
      if (!s) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        s.once('status', () => {
          clearTimeout(t);
          resolve();
        });
        s.end();
      });
    }
    await this.loopDone.catch(() => undefined);
    this.signals.close();
    this.network.close();
  }
}
