/**
 * The collector's lifecycle: banner, HTTP endpoints, Sensor connection, kernel driver (core_bpf),
 * startup diagnostics, then collection until the abort signal. Returns the process exit code.
 */
import fs from 'node:fs';
import type { CollectorConfig } from './config.js';
import { BoundedQueue } from './event-queue.js';
import type { CollectorEvent } from './events.js';
import { startHttpEndpoints, type CollectorState } from './http-endpoints.js';
import type { Logger } from './log.js';
import { CollectorMetrics } from './metrics.js';
import { EventPipeline } from './pipeline.js';
import { ProcfsCollector, type RunningMethod } from './procfs/procfs-collector.js';
import { printBanner, printDiagnostics, type StartupDiagnostics } from './startup/diagnostics.js';
import { connectToSensor, type SensorLink } from './startup/sensor-link.js';
import { obtainDriver } from './startup/driver-fetch.js';
import { loadBpftraceDriver } from './bpf/bpftrace-driver.js';

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export async function runCollector(cfg: CollectorConfig, log: Logger, signal: AbortSignal): Promise<number> {
  const metrics = new CollectorMetrics();
  const state: CollectorState = { ready: false, metrics, pipeline: null };
  printBanner(cfg, log);

  let http;
  try {
    http = await startHttpEndpoints(state, { readyPort: cfg.readyPort, metricsPort: cfg.metricsPort, bind: cfg.bind });
  } catch (e) {
    log.fatal(
      `Unable to start HTTP endpoints on ${cfg.bind}:${cfg.readyPort}/${cfg.metricsPort}: ${(e as Error).message}`,
    );
    return 1;
  }
  log.info(`Ready endpoint listening on ${cfg.bind}:${http.readyPort}`);
  log.info(`Prometheus metrics listening on ${cfg.bind}:${http.metricsPort}`);

  const diag: StartupDiagnostics = {
    method: cfg.collectionMethod,
    connectedToSensor: false,
    driverAvailable: false,
    driverLoaded: false,
  };
  let sensor: SensorLink | null = null;
  let method: RunningMethod | null = null;
  let driverTempDir: string | null = null;
  const shutdown = async (code: number): Promise<number> => {
    state.ready = false;
    await method?.stop().catch(() => undefined);
    if (driverTempDir) fs.rmSync(driverTempDir, { recursive: true, force: true });
    await sensor?.close().catch(() => undefined);
    await http.close();
    return code;
  };
  const fatal = async (message: string): Promise<number> => {
    printDiagnostics(cfg, log, diag);
    log.fatal(message);
    return shutdown(1);
  };

  // 1. Sensor.
  if (cfg.grpcServer) {
    log.info(`Sensor configured at address: ${cfg.grpcServer}`);
    log.info('Attempting to connect to Sensor');
    sensor = await connectToSensor(cfg, log, metrics, signal);
    if (signal.aborted) return shutdown(0);
    if (!sensor) return fatal('Unable to connect to Sensor.');
    diag.connectedToSensor = true;
    log.info('Successfully connected to Sensor.');
  } else {
    log.info('Sensor connection disabled (REF_COLLECTOR_SENSOR=off); events are counted but not sent');
  }

  const queue = sensor ? new BoundedQueue<CollectorEvent>(cfg.queueSize) : null;
  const pipeline = new EventPipeline(metrics, cfg, queue);
  state.pipeline = pipeline;

  // 2. Kernel driver (core_bpf) or none (procfs).
  if (cfg.collectionMethod === 'core_bpf') {
    const driver = await obtainDriver(cfg, log, signal);
    if (signal.aborted) return shutdown(0);
    if (!driver) {
      log.error(`Error getting kernel object: collector-${cfg.kernelVersion}.bt`);
      return fatal(`No suitable kernel object downloaded for kernel ${cfg.kernelVersion}`);
    }
    diag.driverAvailable = true;
    driverTempDir = driver.tempDir;
    log.info(`Loading driver ${driver.path} with ${cfg.bpftracePath}`);
    const loaded = await loadBpftraceDriver(cfg, driver.path, metrics, pipeline, log, signal);
    if (signal.aborted) {
      if (loaded.method) method = loaded.method;
      return shutdown(0);
    }
    if (!loaded.method) {
      for (const line of loaded.errors) log.error(line);
      log.error('Failed to setup core_bpf driver');
      return fatal('Failed to initialize collector kernel components.');
    }
    method = loaded.method;
    diag.driverLoaded = true;
  } else {
    diag.driverAvailable = true;
    diag.driverLoaded = true;
    method = new ProcfsCollector(cfg, metrics, pipeline, log).start();
    await Promise.race([method.ready, aborted(signal)]);
    if (signal.aborted) return shutdown(0);
  }

  printDiagnostics(cfg, log, diag);
  sensor?.startStreaming(queue!);
  state.ready = true;
  log.info('Collector is ready: collecting events');

  const reason = await Promise.race([aborted(signal).then(() => null), method.exited]);
  if (reason !== null) {
    log.error(`Collection stopped unexpectedly: ${reason}`);
    return shutdown(1);
  }
  log.info(
    `Shutting down: ${metrics.events.kernel} kernel events, ${metrics.events.drops} drops, ${metrics.events.processSent} process signals sent`,
  );
  return shutdown(0);
}
