/**
 * Counts and keeps what the gRPC side receives, and lets callers wait for a given process signal
 * (the readiness canary). Independent of gRPC so it can be tested and reused on its own.
 */
import { performance } from 'node:perf_hooks';
import { RuntimeError } from '../errors.js';
import type {
  NetworkInfoContent,
  ProcessSignalRecord,
  ReceivedProcessSignal,
  SignalStreamContent,
} from './messages.js';

export interface SensorGrpcCounts {
  /** storage.ProcessSignal messages received on PushSignals. */
  processSignals: number;
  /** NetworkConnection entries summed over all updated_connections lists. */
  networkConnections: number;
  /** NetworkEndpoint entries summed over all updated_endpoints lists. */
  networkEndpoints: number;
  /** NetworkConnectionInfo messages (each may carry many connections/endpoints). */
  networkInfos: number;
  /** CollectorRegisterRequest messages on either service. */
  registrations: number;
  /** Stream messages with no oneof member this mock knows. */
  unknownMessages: number;
  /** Streams opened on both services together. */
  streamsOpened: number;
  signalStreamsOpened: number;
  networkStreamsOpened: number;
  /** Streams currently open. */
  streamsActive: number;
  /** Messages and their bytes on PushSignals, counted on receipt whatever the intake (no decoding needed). */
  signalMessages: number;
  signalBytes: number;
  /** Messages and their bytes on PushNetworkConnectionInfo, likewise. */
  networkMessages: number;
  networkBytes: number;
  /** Search intake: PushSignals messages whose raw bytes held the needle since the intake was set. */
  matchedMessages: number;
}

/**
 * How the sensor takes in what arrives on its streams. Decoding builds and keeps an object per
 * message (proto-loader, with defaults and oneofs): CPU and garbage of the harness, on the cores
 * the agent is measured on, for every event the agent sends. So it decodes only where a check
 * needs the payload:
 * - `decode`: every message decoded and recorded (`signals()`, `waitForSignal()`, the per-kind counts);
 * - `count`: messages and bytes counted, nothing decoded (no check reads the payload);
 * - `search`: counted, and the signal messages whose raw bytes contain `needle` counted as matches,
 *   nothing decoded. A protobuf string field is its UTF-8 bytes on the wire, so a process signal
 *   whose exec path is a unique path (the per-benchmark stub's) holds it verbatim.
 */
export type SensorIntake = { kind: 'decode' } | { kind: 'count' } | { kind: 'search'; needle: string };

export type SignalPredicate = (received: ReceivedProcessSignal) => boolean;

interface Waiter {
  predicate: SignalPredicate;
  resolve: (s: ReceivedProcessSignal) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

function zeroCounts(): SensorGrpcCounts {
  return {
    processSignals: 0,
    networkConnections: 0,
    networkEndpoints: 0,
    networkInfos: 0,
    registrations: 0,
    unknownMessages: 0,
    streamsOpened: 0,
    signalStreamsOpened: 0,
    networkStreamsOpened: 0,
    streamsActive: 0,
    signalMessages: 0,
    signalBytes: 0,
    networkMessages: 0,
    networkBytes: 0,
    matchedMessages: 0,
  };
}

/** Epoch milliseconds with sub-millisecond resolution (Date.now() is whole ms only). */
export function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

export class SignalRecorder {
  private c: SensorGrpcCounts = zeroCounts();
  private kept: ReceivedProcessSignal[] = [];
  private waiters = new Set<Waiter>();
  private readonly maxKept: number;
  private intakeMode: SensorIntake = { kind: 'decode' };
  private needle: Buffer | null = null;

  /** @param maxKeptSignals oldest signals are dropped past this many (counts still count them). */
  constructor(maxKeptSignals = 200_000) {
    this.maxKept = maxKeptSignals;
  }

  streamOpened(service: 'signal' | 'network'): number {
    this.c.streamsOpened += 1;
    this.c.streamsActive += 1;
    if (service === 'signal') this.c.signalStreamsOpened += 1;
    else this.c.networkStreamsOpened += 1;
    return service === 'signal' ? this.c.signalStreamsOpened : this.c.networkStreamsOpened;
  }

  streamClosed(): void {
    // After reset() a stream opened before it may close; never go negative.
    this.c.streamsActive = Math.max(0, this.c.streamsActive - 1);
  }

  /** How messages are taken in from now on; a search starts its match count at zero. */
  setIntake(intake: SensorIntake): void {
    if (intake.kind === 'search' && intake.needle.length === 0)
      throw new RuntimeError(
        'mock sensor: a search intake needs a non-empty needle (an empty one matches every message)',
      );
    this.intakeMode = intake;
    this.needle = intake.kind === 'search' ? Buffer.from(intake.needle, 'utf8') : null;
    this.c.matchedMessages = 0;
  }

  get intake(): SensorIntake {
    return this.intakeMode;
  }

  /**
   * One message as received on a stream, not decoded: counted (and searched, with a search
   * intake). True when the intake decodes, so the caller decodes it and hands it on.
   */
  take(service: 'signal' | 'network', raw: Uint8Array): boolean {
    if (service === 'signal') {
      this.c.signalMessages += 1;
      this.c.signalBytes += raw.length;
      if (this.needle && Buffer.from(raw.buffer, raw.byteOffset, raw.length).includes(this.needle))
        this.c.matchedMessages += 1;
    } else {
      this.c.networkMessages += 1;
      this.c.networkBytes += raw.length;
    }
    return this.intakeMode.kind === 'decode';
  }

  onSignalMessage(content: SignalStreamContent, stream: number, receivedAtMs = nowEpochMs()): void {
    if (content.kind === 'register') this.c.registrations += 1;
    else if (content.kind === 'other') this.c.unknownMessages += 1;
    else this.recordProcessSignal(content.signal, stream, receivedAtMs);
  }

  onNetworkMessage(content: NetworkInfoContent): void {
    if (content.kind === 'register') this.c.registrations += 1;
    else if (content.kind === 'other') this.c.unknownMessages += 1;
    else {
      this.c.networkInfos += 1;
      this.c.networkConnections += content.connections;
      this.c.networkEndpoints += content.endpoints;
    }
  }

  private recordProcessSignal(signal: ProcessSignalRecord, stream: number, receivedAtMs: number): void {
    this.c.processSignals += 1;
    const received: ReceivedProcessSignal = { receivedAtMs, stream, signal };
    this.kept.push(received);
    // Trim in batches: shifting one element per push would make each push O(n).
    if (this.kept.length > this.maxKept * 1.5) this.kept.splice(0, this.kept.length - this.maxKept);
    for (const w of this.waiters) {
      if (safeMatch(w.predicate, received)) {
        this.settle(w);
        w.resolve(received);
      }
    }
  }

  counts(): SensorGrpcCounts {
    return { ...this.c };
  }

  signals(): ReceivedProcessSignal[] {
    const start = Math.max(0, this.kept.length - this.maxKept);
    return this.kept.slice(start);
  }

  /**
   * Resolves with the first signal (already received since the last reset, or arriving later)
   * that satisfies `predicate`; rejects with a RuntimeError after `timeoutMs`.
   */
  waitForSignal(predicate: SignalPredicate, timeoutMs: number): Promise<ReceivedProcessSignal> {
    const seen = this.signals().find((s) => safeMatch(predicate, s));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(waiter);
        reject(
          new RuntimeError(
            `mock sensor: no matching process signal within ${timeoutMs} ms (received ${this.c.processSignals} process signals on ${this.c.signalStreamsOpened} streams)`,
            { timeoutMs, processSignals: this.c.processSignals, signalStreamsOpened: this.c.signalStreamsOpened },
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = { predicate, resolve, reject, timer };
      this.waiters.add(waiter);
    });
  }

  /** Zeroes counts and forgets kept signals; pending waiters keep waiting. */
  reset(): void {
    const active = this.c.streamsActive;
    this.c = zeroCounts();
    this.c.streamsActive = active;
    this.kept = [];
  }

  /** Rejects every pending waiter (used when the sensor stops). */
  rejectWaiters(reason: string): void {
    for (const w of [...this.waiters]) {
      this.settle(w);
      w.reject(new RuntimeError(`mock sensor: ${reason} while waiting for a process signal`));
    }
  }

  private settle(w: Waiter): void {
    clearTimeout(w.timer);
    this.waiters.delete(w);
  }
}

// A predicate that throws must not break the gRPC handler that feeds the recorder.
function safeMatch(predicate: SignalPredicate, s: ReceivedProcessSignal): boolean {
  try {
    return predicate(s) === true;
  } catch {
    return false;
  }
}
