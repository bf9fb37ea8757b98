/**
 * Entry point of the reference collector: `npx tsx src/collector/main.ts`, or the esbuild bundle
 * of this file in a container. Everything is configured through the environment (see
 * src/collector/README.md for the full table):
 *
 *   COLLECTION_METHOD                 procfs | core_bpf (default procfs)
 *   REF_COLLECTOR_READY_PORT          /ready + /state/* port (default 8080; 0 = any free port)
 *   REF_COLLECTOR_METRICS_PORT        /metrics port (default 9090; 0 = any free port)
 *   REF_COLLECTOR_BIND                listen address (default 127.0.0.1)
 *   REF_COLLECTOR_POLL_MS             procfs poll period (default 200)
 *   REF_COLLECTOR_SCRAPE_NETWORK      procfs: also diff /proc/net/tcp{,6} (default true)
 *   PROC_ROOT                         procfs root (default /proc; /host/proc in a container)
 *   REF_COLLECTOR_SENSOR              required | off (default required)
 *   GRPC_SERVER                       Sensor gRPC host:port (default 127.0.0.1:9999)
 *   REF_COLLECTOR_CONNECT_TIMEOUT_S   Sensor connect deadline (default 30)
 *   REF_COLLECTOR_SENSOR_HTTP         kernel-object HTTP host:port (default 127.0.0.1:9998)
 *   REF_COLLECTOR_DOWNLOAD_RETRIES    download attempts (default 30)
 *   REF_COLLECTOR_DOWNLOAD_INTERVAL_MS  pause between attempts (default 1000)
 *   REF_COLLECTOR_DOWNLOAD_TIMEOUT_S  total download deadline (default 180)
 *   REF_COLLECTOR_LOG_THROTTLE_S      interval of [Throttled] warnings (default 10)
 *   REF_COLLECTOR_LOCAL_DRIVERS_DIR   local driver storage (default /kernel-modules)
 *   REF_COLLECTOR_MODULE_DIR          where a downloaded driver is written (default a temp dir)
 *   REF_COLLECTOR_MODULE_VERSION      driver version in download URLs (default 1.0.0)
 *   REF_COLLECTOR_VERSION             printed collector version (default 0.1.0-ref)
 *   REF_COLLECTOR_KERNEL_VERSION      kernel name used for the driver (default uname -r)
 *   NODE_HOSTNAME                     printed hostname (default os.hostname())
 *   REF_COLLECTOR_DIAGNOSTICS_FORMAT  new | old startup diagnostics block (default new)
 *   REF_COLLECTOR_BPFTRACE            bpftrace executable (default bpftrace on PATH)
 *   REF_COLLECTOR_DRIVER_LOAD_TIMEOUT_S  deadline for bpftrace to attach (default 60)
 *   REF_COLLECTOR_QUEUE_SIZE          bounded event queue to Sensor (default 4096)
 *   REF_COLLECTOR_RECENT_PROCESSES    process events kept for /state/processes (default 4096)
 *   REF_COLLECTOR_WORK_FACTOR         units of extra CPU work per event, a few us each (default 0)
 *   REF_COLLECTOR_RETAIN_BYTES_PER_EVENT  bytes kept per event (default 0)
 *   REF_COLLECTOR_RETAIN_MAX_BYTES    ceiling of retained bytes (default 512 MiB)
 *
 * Exit codes: 0 after SIGTERM/SIGINT, 1 on any FATAL startup failure.
 */
import { loadCollectorConfig } from './config.js';
import { runCollector } from './collector.js';
import { createLogger } from './log.js';
import { isBenchError } from '../errors.js';

const log = createLogger();
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<number> {
  let cfg;
  try {
    cfg = loadCollectorConfig(process.env);
  } catch (e) {
    log.fatal(isBenchError(e) ? e.message : String(e));
    return 1;
  }
  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      if (stop.signal.aborted) {
        log.warn(`Received ${sig} again, exiting now`);
        process.exit(0);
      }
      log.info(`Received ${sig}, shutting down`);
      stop.abort();
      // A stuck stream or child must not turn a stop request into a hang (and a SIGKILL).
      setTimeout(() => {
        log.warn(`Shutdown took longer than ${SHUTDOWN_GRACE_MS} ms, exiting now`);
        process.exit(0);
      }, SHUTDOWN_GRACE_MS).unref();
    });
  }
  return runCollector(cfg, log, stop.signal);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log.fatal(`Unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
