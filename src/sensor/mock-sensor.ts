/**
 * The mock StackRox Sensor used by benchmarks and startup scenarios: a gRPC endpoint a collector
 * streams process signals and network info to (counted and timestamped), plus an HTTP endpoint
 * serving kernel objects with scripted failures. Both listen on loopback only.
 */
import { RuntimeError } from '../errors.js';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server.js';
import {
  KernelObjectServer,
  parseDriverBehaviour,
  type DriverBehaviour,
  type DriverBehaviourInput,
  type KernelObjectRequestCounts,
} from './kernel-object-server.js';
import { assertLoopbackListen } from './loopback.js';
import type { ReceivedProcessSignal } from './messages.js';
import { SignalRecorder, type SensorGrpcCounts, type SensorIntake, type SignalPredicate } from './signal-recorder.js';

export const DEFAULT_GRPC_PORT = 9999;
export const DEFAULT_HTTP_PORT = 9998;
export const DEFAULT_HOST = '127.0.0.1';

export interface MockSensorOptions {
  /** gRPC listen host (loopback only); default 127.0.0.1. */
  grpcHost?: string;
  /** gRPC port; default 9999; 0 picks a free port (see `addresses`). */
  grpcPort?: number;
  /** HTTP (kernel objects) listen host (loopback only); default 127.0.0.1. */
  httpHost?: string;
  /** HTTP port; default 9998; 0 picks a free port. */
  httpPort?: number;
  /** false: run the gRPC side only. Default true. */
  http?: boolean;
  /** Folder of kernel objects; without it every object is a 404. */
  objectsDir?: string;
  /** Initial kernel-object behaviour; default `{ mode: 'serve' }`. */
  driverBehaviour?: DriverBehaviourInput;
  /** How many received process signals are kept for `signals()`; default 200000 (oldest dropped). */
  maxKeptSignals?: number;
}

export interface SensorAddresses {
  /** host:port for the collector's GRPC_SERVER setting. */
  grpc: string;
  /** host:port of the kernel-object server, or null when `http: false`. */
  http: string | null;
}

export interface SensorCounts extends SensorGrpcCounts {
  kernelObjectRequests: KernelObjectRequestCounts;
}

const SOURCE = 'MockSensor options';

export class MockSensor {
  private readonly options: MockSensorOptions;
  private readonly recorder: SignalRecorder;
  private grpcServer: RunningGrpcServer | undefined;
  private httpServer: KernelObjectServer | undefined;
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';

  constructor(options: MockSensorOptions = {}) {
    this.options = options;
    assertLoopbackListen(SOURCE, 'grpcHost/grpcPort', {
      host: options.grpcHost ?? DEFAULT_HOST,
      port: options.grpcPort ?? DEFAULT_GRPC_PORT,
    });
    assertLoopbackListen(SOURCE, 'httpHost/httpPort', {
      host: options.httpHost ?? DEFAULT_HOST,
      port: options.httpPort ?? DEFAULT_HTTP_PORT,
    });
    if (options.driverBehaviour !== undefined) parseDriverBehaviour(SOURCE, options.driverBehaviour);
    this.recorder = new SignalRecorder(options.maxKeptSignals);
  }

  /** Binds both listeners; resolves with their addresses. A sensor starts once. */
  async start(): Promise<SensorAddresses> {
    if (this.state !== 'new') throw new RuntimeError(`mock sensor: start() called on a sensor that is ${this.state}`);
    this.state = 'starting';
    const o = this.options;
    try {
      this.grpcServer = await startGrpcServer(
        { host: o.grpcHost ?? DEFAULT_HOST, port: o.grpcPort ?? DEFAULT_GRPC_PORT },
        this.recorder,
      );
      if (o.http !== false) {
        this.httpServer = new KernelObjectServer({
          listen: { host: o.httpHost ?? DEFAULT_HOST, port: o.httpPort ?? DEFAULT_HTTP_PORT },
          objectsDir: o.objectsDir,
          behaviour: o.driverBehaviour,
        });
        await this.httpServer.start();
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.state = 'running';
    return this.addresses;
  }

  /** Closes both listeners (the ports are free when this resolves) and fails pending waits. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.recorder.rejectWaiters('the sensor stopped');
    await Promise.all([this.grpcServer?.stop(), this.httpServer?.stop()]);
  }

  get addresses(): SensorAddresses {
    if (!this.grpcServer) throw new RuntimeError('mock sensor: addresses are known only after start()');
    return { grpc: this.grpcServer.address, http: this.httpServer ? this.httpServer.address : null };
  }

  counts(): SensorCounts {
    return { ...this.recorder.counts(), kernelObjectRequests: this.httpServer?.requests() ?? {} };
  }

  /** Process signals received since start or the last reset, oldest first, with receive times. */
  signals(): ReceivedProcessSignal[] {
    return this.recorder.signals();
  }

  /**
   * The first process signal (already received, or arriving within `timeoutMs`) matching
   * `predicate`; rejects with a RuntimeError on timeout or when the sensor stops.
   */
  waitForSignal(predicate: SignalPredicate, timeoutMs: number): Promise<ReceivedProcessSignal> {
    return this.recorder.waitForSignal(predicate, timeoutMs);
  }

  /**
   * How messages are taken in from now on (signal-recorder.ts): decoded (the default: `signals()`
   * and `waitForSignal()` need it), only counted, or searched for a unique string. A search's
   * match count (`counts().matchedMessages`) starts at zero.
   */
  setIntake(intake: SensorIntake): void {
    this.recorder.setIntake(intake);
  }

  get intake(): SensorIntake {
    return this.recorder.intake;
  }

  /** Zeroes all counts (gRPC and HTTP) and forgets kept signals. Open streams stay open. */
  reset(): void {
    this.recorder.reset();
    this.httpServer?.resetRequests();
  }

  /** Changes how kernel-object requests are answered; `refused` closes the HTTP listener until the next change. */
  async setDriverBehaviour(behaviour: DriverBehaviourInput): Promise<void> {
    if (!this.httpServer)
      throw new RuntimeError('mock sensor: no kernel-object server (started with http: false or not started)');
    await this.httpServer.setBehaviour(behaviour);
  }

  get driverBehaviour(): DriverBehaviour | null {
    return this.httpServer?.currentBehaviour ?? null;
  }
}

/** Matches a signal whose process name, exec path or args contain `marker` (e.g. a canary nonce). */
export function signalMentions(marker: string): SignalPredicate {
  return ({ signal }) =>
    signal.name.includes(marker) || signal.execFilePath.includes(marker) || signal.args.includes(marker);
}
