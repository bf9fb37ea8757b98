/**
 * The `core_bpf` collection method: "loading the driver" is running `bpftrace -f json <file>`.
 * The driver counts as loaded when bpftrace reports `attached_probes`; if bpftrace exits (or the
 * load deadline passes) first, its own stderr text is returned so it can be logged as ERROR lines.
 * bpftrace's `lost_events` records are counted as drops.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import type { CollectorConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics.js';
import type { EventPipeline } from '../pipeline.js';
import type { RunningMethod } from '../procfs/procfs-collector.js';
import { DriverLineParser } from './driver-events.js';

export interface DriverLoadResult {
  method: RunningMethod | null;
  /** Human-readable failure lines (bpftrace's stderr first), empty on success. */
  errors: string[];
}

/** bpftrace prints this when it cannot raise RLIMIT_MEMLOCK even though the program loads fine. */
const BENIGN_STDERR = /RLIMIT_MEMLOCK/;
const STOP_GRACE_MS = 5000;

export function loadBpftraceDriver(
  cfg: Pick<CollectorConfig, 'bpftracePath' | 'driverLoadTimeoutS'>,
  driverPath: string,
  metrics: CollectorMetrics,
  pipeline: EventPipeline,
  log: Logger,
  signal: AbortSignal,
): Promise<DriverLoadResult> {
  return new Promise((resolve) => {
    const stderrLines: string[] = [];
    let attached = false;
    let settled = false;
    let exitReason: string | null = null;
    let resolveExited!: (r: string) => void;
    const exited = new Promise<string>((r) => (resolveExited = r));

    const child = spawn(cfg.bpftracePath, ['-f', 'json', driverPath], { stdio: ['ignore', 'pipe', 'pipe'] });

    const stop = async (): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT lets bpftrace detach its probes and print its final maps.
      child.kill('SIGINT');
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await done;
      clearTimeout(timer);
    };

    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      signal.removeEventListener('abort', onAbort);
      const errors = stderrLines.filter((l) => l.trim() !== '' && !BENIGN_STDERR.test(l));
      errors.push(reason);
      void stop().then(() => resolve({ method: null, errors }));
    };

    const onAbort = (): void => fail('aborted before the driver attached');
    signal.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => fail(`bpftrace did not attach its probes within ${cfg.driverLoadTimeoutS} s`), cfg.driverLoadTimeoutS * 1000);

    child.on('error', (e: NodeJS.ErrnoException) => {
      exitReason = `Unable to start ${cfg.bpftracePath}: ${e.message}`;
      if (!attached) fail(exitReason);
      else resolveExited(exitReason);
    });
    child.on('exit', (code, sig) => {
      exitReason ??= `bpftrace exited with ${sig ? `signal ${sig}` : `code ${code}`}`;
      if (!attached) {
        // Let stderr drain before reporting, so bpftrace's own error text comes first.
        setTimeout(() => fail(exitReason!), 50);
      } else resolveExited(exitReason);
    });

    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      if (stderrLines.length < 200) stderrLines.push(line);
      if (attached && line.trim() !== '' && !BENIGN_STDERR.test(line)) log.warn(`bpftrace: ${line}`);
    });

    const parser = new DriverLineParser();
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = parser.parse(line);
      if (!parsed) return;
      switch (parsed.type) {
        case 'process':
          pipeline.onProcess(parsed.event);
          break;
        case 'network':
          pipeline.onNetwork(parsed.event);
          break;
        case 'lost':
          metrics.events.drops += parsed.count;
          metrics.events.ringbufferDrops += parsed.count;
          break;
        case 'attached':
          if (settled) break;
          attached = true;
          settled = true;
          clearTimeout(deadline);
          signal.removeEventListener('abort', onAbort);
          log.info(`bpftrace attached ${parsed.probes} probe(s) from ${driverPath}`);
          resolve({
            method: { ready: Promise.resolve(), exited, stop },
            errors: [],
          });
          break;
        default:
          break;
      }
    });
  });
}
