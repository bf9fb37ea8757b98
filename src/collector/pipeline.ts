/**
 * Where every collection method hands its events: counts them, applies the load knobs, keeps the
 * small introspection state (recent processes, open connections/endpoints) and enqueues them for
 * the Sensor stream. Overflow of the bounded queue is a drop.
 */
import type { CollectorConfig } from './config.js';
import { type BoundedQueue } from './event-queue.js';
import type { CollectorEvent, NetworkEvent, ProcessEvent } from './events.js';
import { doEventWork, RetainedMemory } from './knobs.js';
import type { CollectorMetrics } from './metrics.js';

export class EventPipeline {
  readonly recentProcesses: ProcessEvent[] = [];
  private recentNext = 0;
  private readonly recentCapacity: number;
  /** Open connections and endpoints keyed by "local remote". */
  readonly network = new Map<string, NetworkEvent>();
  private readonly retained: RetainedMemory;
  private seq = 0;
  /** Sink for the side effect of the work knob, so it is never dead code to the JIT. */
  workSink = 0;

  constructor(
    private readonly metrics: CollectorMetrics,
    private readonly cfg: Pick<CollectorConfig, 'workFactor' | 'retainBytesPerEvent' | 'retainMaxBytes'> & {
      recentProcesses?: number;
    },
    /** Null when no Sensor is connected: events are then counted but not queued. */
    readonly queue: BoundedQueue<CollectorEvent> | null,
  ) {
    this.retained = new RetainedMemory(cfg.retainBytesPerEvent, cfg.retainMaxBytes);
    this.recentCapacity = cfg.recentProcesses ?? 4096;
  }

  private common(key: string): void {
    this.seq += 1;
    this.metrics.events.kernel += 1;
    if (this.cfg.workFactor > 0) this.workSink ^= doEventWork(this.cfg.workFactor, key);
    if (this.cfg.retainBytesPerEvent > 0) {
      this.retained.onEvent(this.seq);
      this.metrics.counters.retained_bytes = this.retained.bytes;
    }
  }

  private enqueue(e: CollectorEvent): void {
    if (!this.queue) return;
    if (this.queue.push(e)) {
      this.metrics.counters.process_events_queued += e.kind === 'process' ? 1 : 0;
    } else {
      this.metrics.events.drops += 1;
      this.metrics.events.ringbufferDrops += 1;
    }
    this.metrics.queueDepth = this.queue.length;
  }

  onProcess(e: ProcessEvent): void {
    this.common(`${e.pid} ${e.exePath}`);
    this.metrics.counters.process_events_seen += 1;
    if (this.recentProcesses.length < this.recentCapacity) this.recentProcesses.push(e);
    else this.recentProcesses[this.recentNext] = e;
    this.recentNext = (this.recentNext + 1) % this.recentCapacity;
    this.enqueue(e);
  }

  onNetwork(e: NetworkEvent): void {
    this.common(`${e.local} ${e.remote} ${e.state}`);
    const c = this.metrics.counters;
    c.network_events_seen += 1;
    const key = `${e.local} ${e.remote}`;
    if (e.change === 'open') {
      this.network.set(key, e);
      if (e.role === 'endpoint') c.net_cep_updates += 1;
      else c.net_conn_updates += 1;
    } else {
      this.network.delete(key);
      if (e.role === 'endpoint') c.net_cep_inactive += 1;
      else c.net_conn_inactive += 1;
    }
    this.enqueue(e);
  }

  /** Newest first. */
  recentProcessList(): ProcessEvent[] {
    const n = this.recentProcesses.length;
    const out: ProcessEvent[] = [];
    for (let i = 1; i <= n; i++) out.push(this.recentProcesses[(this.recentNext - i + n * 2) % n]);
    return out;
  }

  refreshGauges(): void {
    let endpoints = 0;
    for (const e of this.network.values()) if (e.role === 'endpoint') endpoints += 1;
    this.metrics.knownEndpoints = endpoints;
    this.metrics.knownConnections = this.network.size - endpoints;
    if (this.queue) this.metrics.queueDepth = this.queue.length;
  }
}
