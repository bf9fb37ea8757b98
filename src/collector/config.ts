/**
 * Environment configuration of the reference collector. Every knob is an env variable so the same
 * bundle runs as a local process or in a container without flags; src/collector/README.md holds the
 * table of variables with their defaults and meaning.
 */
import os from 'node:os';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { MiB } from '../units.js';

export const COLLECTION_METHODS = ['procfs', 'core_bpf'] as const;
export type CollectionMethod = (typeof COLLECTION_METHODS)[number];

export interface CollectorConfig {
  collectionMethod: CollectionMethod;
  readyPort: number;
  metricsPort: number;
  bind: string;
  pollMs: number;
  /** procfs only: false skips /proc/net/tcp{,6} (process events only). */
  scrapeNetwork: boolean;
  procRoot: string;
  /** Sensor gRPC address host:port, or null when the sensor connection is switched off. */
  grpcServer: string | null;
  connectTimeoutS: number;
  sensorHttp: string;
  downloadRetries: number;
  downloadIntervalMs: number;
  downloadTimeoutS: number;
  throttleS: number;
  localDriversDir: string;
  moduleDir: string | null;
  moduleVersion: string;
  collectorVersion: string;
  kernelVersion: string;
  hostname: string;
  diagnosticsFormat: 'new' | 'old';
  bpftracePath: string;
  driverLoadTimeoutS: number;
  queueSize: number;
  /** How many recent process events /state/processes keeps. */
  recentProcesses: number;
  workFactor: number;
  retainBytesPerEvent: number;
  retainMaxBytes: number;
}

const SOURCE = 'environment';

function intVar(env: NodeJS.ProcessEnv, key: string, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!parsed.success) throw new InvalidInputError(SOURCE, key, raw, `an integer from ${min} to ${max}`);
  return parsed.data;
}

function numVar(env: NodeJS.ProcessEnv, key: string, dflt: number, min: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  const parsed = z.coerce.number().finite().min(min).safeParse(raw.trim());
  if (!parsed.success) throw new InvalidInputError(SOURCE, key, raw, `a number >= ${min}`);
  return parsed.data;
}

function enumVar<T extends string>(env: NodeJS.ProcessEnv, key: string, allowed: readonly T[], dflt: T): T {
  const raw = env[key];
  if (raw === undefined || raw === '') return dflt;
  const v = raw.trim() as T;
  if (!allowed.includes(v)) throw new InvalidInputError(SOURCE, key, raw, allowed.join(' | '));
  return v;
}

function strVar(env: NodeJS.ProcessEnv, key: string, dflt: string): string {
  const raw = env[key];
  return raw === undefined || raw.trim() === '' ? dflt : raw.trim();
}

const HOST_PORT = /^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

function hostPortVar(env: NodeJS.ProcessEnv, key: string, dflt: string): string {
  const v = strVar(env, key, dflt);
  if (!HOST_PORT.test(v)) throw new InvalidInputError(SOURCE, key, v, 'host:port (e.g. 127.0.0.1:9999)');
  return v;
}

/** Reads and validates the whole configuration; throws InvalidInputError naming the variable. */
export function loadCollectorConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const sensorMode = enumVar(env, 'REF_COLLECTOR_SENSOR', ['required', 'off'] as const, 'required');
  return {
    collectionMethod: enumVar(env, 'COLLECTION_METHOD', COLLECTION_METHODS, 'procfs'),
    readyPort: intVar(env, 'REF_COLLECTOR_READY_PORT', 8080, 0, 65535),
    metricsPort: intVar(env, 'REF_COLLECTOR_METRICS_PORT', 9090, 0, 65535),
    bind: strVar(env, 'REF_COLLECTOR_BIND', '127.0.0.1'),
    pollMs: intVar(env, 'REF_COLLECTOR_POLL_MS', 200, 10, 60_000),
    scrapeNetwork: enumVar(env, 'REF_COLLECTOR_SCRAPE_NETWORK', ['true', 'false'] as const, 'true') === 'true',
    procRoot: strVar(env, 'PROC_ROOT', '/proc').replace(/\/+$/, '') || '/',
    grpcServer: sensorMode === 'off' ? null : hostPortVar(env, 'GRPC_SERVER', '127.0.0.1:9999'),
    connectTimeoutS: numVar(env, 'REF_COLLECTOR_CONNECT_TIMEOUT_S', 30, 0.1),
    sensorHttp: hostPortVar(env, 'REF_COLLECTOR_SENSOR_HTTP', '127.0.0.1:9998'),
    downloadRetries: intVar(env, 'REF_COLLECTOR_DOWNLOAD_RETRIES', 30, 1, 100_000),
    downloadIntervalMs: intVar(env, 'REF_COLLECTOR_DOWNLOAD_INTERVAL_MS', 1000, 0, 3_600_000),
    downloadTimeoutS: numVar(env, 'REF_COLLECTOR_DOWNLOAD_TIMEOUT_S', 180, 0.1),
    throttleS: numVar(env, 'REF_COLLECTOR_LOG_THROTTLE_S', 10, 0),
    localDriversDir: strVar(env, 'REF_COLLECTOR_LOCAL_DRIVERS_DIR', '/kernel-modules'),
    moduleDir: env.REF_COLLECTOR_MODULE_DIR?.trim() ? env.REF_COLLECTOR_MODULE_DIR.trim() : null,
    moduleVersion: strVar(env, 'REF_COLLECTOR_MODULE_VERSION', '1.0.0'),
    collectorVersion: strVar(env, 'REF_COLLECTOR_VERSION', '0.1.0-ref'),
    kernelVersion: strVar(env, 'REF_COLLECTOR_KERNEL_VERSION', os.release()),
    hostname: strVar(env, 'NODE_HOSTNAME', os.hostname()),
    diagnosticsFormat: enumVar(env, 'REF_COLLECTOR_DIAGNOSTICS_FORMAT', ['new', 'old'] as const, 'new'),
    bpftracePath: strVar(env, 'REF_COLLECTOR_BPFTRACE', 'bpftrace'),
    driverLoadTimeoutS: numVar(env, 'REF_COLLECTOR_DRIVER_LOAD_TIMEOUT_S', 60, 0.1),
    queueSize: intVar(env, 'REF_COLLECTOR_QUEUE_SIZE', 4096, 1, 10_000_000),
    recentProcesses: intVar(env, 'REF_COLLECTOR_RECENT_PROCESSES', 4096, 1, 1_000_000),
    workFactor: intVar(env, 'REF_COLLECTOR_WORK_FACTOR', 0, 0, 10_000_000),
    retainBytesPerEvent: intVar(env, 'REF_COLLECTOR_RETAIN_BYTES_PER_EVENT', 0, 0, 1 << 30),
    retainMaxBytes: intVar(env, 'REF_COLLECTOR_RETAIN_MAX_BYTES', 512 * MiB, 0),
  };
}
