/**
 * The `core_bpf` collection method: "loading the driver" is running `bpftrace -f json <file>`.
 * The driver counts as loaded only when it prints DRIVER_READY_MARKER from its `BEGIN` probe:
 * bpftrace 0.17 reports `attached_probes` before it creates its maps, so a bpftrace that is about
 * to fail ("failed to create map: Operation not permitted" without capabilities) has already said
 * `attached_probes`; BEGIN runs only once every probe is attached and every map exists.
 * If bpftrace exits (or the load deadline passes) first, its own stderr text is returned so it
 * can be logged as ERROR lines. bpftrace's `lost_events` records are counted as drops.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import type { CollectorConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics.js';
import type { EventPipeline } from '../pipeline.js';
import type { RunningMethod } from '../procfs/procfs-collector.js';
import fs from 'node:fs';
import { DRIVER_READY_MARKER, DriverLineParser } from './driver-events.js';

export interface DriverLoadResult {
  method: RunningMethod | null;
  /** Human-readable failure lines (bpftrace's stderr first), empty on success. */
  errors: string[];
}

/** bpftrace prints this when it cannot raise RLIMIT_MEMLOCK even though the program loads fine. */
const BENIGN_STDERR = /RLIMIT_MEMLOCK/;
const STOP_GRACE_MS = 5000;

/**
 * A driver without the marker (an older or third-party one served by a Sensor) is refused before
 * bpftrace starts, with an ERROR naming the marker. Deliberately no fallback to `attached_probes`
 * plus a grace period: how long bpftrace takes from `attached_probes` to having its maps depends
 * on the machine's load, so any grace period would bring back the very race this marker removes
 * (ready, then exit 1 a moment later). Adding the marker is one line of BEGIN in the driver.
 */
export function missingMarkerError(driverPath: string, source: string): string | null {
  if (source.includes(DRIVER_READY_MARKER)) return null;
  return (
    `Driver ${driverPath} does not print the ready marker "${DRIVER_READY_MARKER}": ` +
    `add BEGIN { printf("${DRIVER_READY_MARKER}\\n"); } to it (the collector counts a driver as loaded only on that line)`
  );
}

export function loadBpftraceDriver(
  cfg: Pick<CollectorConfig, 'bpftracePath' | 'driverLoadTimeoutS'>,
  driverPath: string,
  metrics: CollectorMetrics,
  pipeline: EventPipeline,
  log: Logger,
  signal: AbortSignal,
): Promise<DriverLoadResult> {
  let source: string;
  try {
    source = fs.readFileSync(driverPath, 'utf8');
  } catch (e) {
    return Promise.resolve({ method: null, errors: [`Unable to read driver ${driverPath}: ${(e as Error).message}`] });
  }
  const noMarker = missingMarkerError(driverPath, source);
  if (noMarker) return Promise.resolve({ method: null, errors: [noMarker] });

  return new Promise((resolve) => {
    const stderrLines: string[] = [];
    /** True once the driver printed its ready marker (then bpftrace's exit is a runtime failure). */
    let attached = false;
    /** Probe count from `attached_probes`, null until bpftrace reports it. */
    let attachedProbes: number | null = null;
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
    const deadline = setTimeout(
      () =>
        fail(
          attachedProbes === null
            ? `bpftrace did not attach its probes within ${cfg.driverLoadTimeoutS} s`
            : `bpftrace attached ${attachedProbes} probe(s) but the driver did not print its ready marker "${DRIVER_READY_MARKER}" within ${cfg.driverLoadTimeoutS} s`,
        ),
      cfg.driverLoadTimeoutS * 1000,
    );

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
          // Not yet loaded: bpftrace 0.17 creates its maps only after this line (see top of file).
          attachedProbes = parsed.probes;
          log.debug(`bpftrace reports ${parsed.probes} attached probe(s); waiting for the driver's ready marker`);
          break;
        case 'ready':
          if (settled) break;
          attached = true;
          settled = true;
          clearTimeout(deadline);
          signal.removeEventListener('abort', onAbort);
          log.info(`bpftrace attached ${attachedProbes ?? '?'} probe(s) from ${driverPath}; driver ready`);
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
