/**
 * The `procfs` collection method: polls the procfs root every `pollMs` for new pids and for TCP
 * sockets (listening endpoints and connections). Needs no privileges and no kernel driver, and
 * misses processes that live shorter than one poll, which is the price of being driverless.
 */
import fs from 'node:fs';
import type { CollectorConfig } from '../config.js';
import { tcpStateName } from '../events.js';
import type { Logger } from '../log.js';
import type { CollectorMetrics } from '../metrics.js';
import type { EventPipeline } from '../pipeline.js';
import { EXEC_IN_PROGRESS, PidScanner, readProcessInfo } from './pid-scanner.js';

/** Polls a pid caught mid-exec is looked at again before it is counted as unresolvable. */
const MAX_EXEC_RETRIES = 3;
import { diffTcpSnapshots, parseTcpTable, splitPair, type TcpFamily, type TcpSnapshot } from './tcp-table.js';

const LISTEN_HEX = '0A';

export interface RunningMethod {
  /** Resolves once the first poll (or the driver attach) completed: the collector is collecting. */
  ready: Promise<void>;
  /** Resolves when the method stops by itself (e.g. bpftrace died), with a reason. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export class ProcfsCollector {
  private readonly pids: PidScanner;
  private readonly tcp: Record<TcpFamily, TcpSnapshot | null> = { 4: null, 6: null };
  /** Pids caught mid-exec and how many polls have looked at them. */
  private readonly execRetries = new Map<number, number>();

  constructor(
    private readonly cfg: Pick<CollectorConfig, 'procRoot' | 'pollMs' | 'scrapeNetwork'>,
    private readonly metrics: CollectorMetrics,
    private readonly pipeline: EventPipeline,
    private readonly log: Logger,
  ) {
    this.pids = new PidScanner(cfg.procRoot);
  }

  /** One poll: new processes, then (unless switched off) both TCP tables. */
  pollOnce(): void {
    const now = Date.now();
    const t0 = process.hrtime.bigint();
    let fresh: number[] = [];
    try {
      fresh = this.pids.scan();
    } catch {
      this.metrics.events.procfs_could_not_open_proc_dir += 1;
    }
    for (const pid of fresh) {
      const ev = readProcessInfo(this.cfg.procRoot, pid, this.metrics, now);
      if (ev === EXEC_IN_PROGRESS) {
        // Look again next poll, a bounded number of times, rather than report it without arguments.
        const tries = (this.execRetries.get(pid) ?? 0) + 1;
        this.execRetries.set(pid, tries);
        if (tries <= MAX_EXEC_RETRIES) {
          this.pids.forget(pid);
          continue;
        }
      }
      this.execRetries.delete(pid);
      if (ev && ev !== EXEC_IN_PROGRESS) this.pipeline.onProcess(ev);
      else this.metrics.events.processResolutionFailuresByEvt += 1;
    }
    this.metrics.time('process_scrape_read', t0);
    if (this.cfg.scrapeNetwork) this.scrapeNetwork(now);
  }

  private scrapeNetwork(now: number): void {
    let t0 = process.hrtime.bigint();
    const tables: Array<[TcpFamily, TcpSnapshot | null]> = [
      [4, this.readTable('tcp', 4)],
      [6, this.readTable('tcp6', 6)],
    ];
    this.metrics.time('net_scrape_read', t0);

    t0 = process.hrtime.bigint();
    for (const [family, cur] of tables) {
      if (!cur) continue;
      const prev = this.tcp[family] ?? new Map<string, string>();
      // The first scrape reports what is already open, as the real collector's first scrape does.
      for (const ch of diffTcpSnapshots(prev, cur)) {
        const { local, remote } = splitPair(ch.pair, family);
        // A state change of a known pair is an 'open' of its new state; a vanished pair is a 'close'.
        const stateHex = ch.state ?? ch.previousState ?? '00';
        this.pipeline.onNetwork({
          kind: 'network',
          role: stateHex === LISTEN_HEX ? 'endpoint' : 'connection',
          change: ch.state === null ? 'close' : 'open',
          local,
          remote,
          state: tcpStateName(parseInt(stateHex, 16)),
          pid: 0,
          timeMs: now,
        });
      }
      this.tcp[family] = cur;
    }
    this.metrics.time('net_scrape_update', t0);
  }

  private readTable(name: string, family: TcpFamily): TcpSnapshot | null {
    try {
      return parseTcpTable(fs.readFileSync(`${this.cfg.procRoot}/net/${name}`, 'latin1'), family);
    } catch {
      // tcp6 is absent on kernels without IPv6; count once per poll rather than failing.
      this.metrics.counters.net_scrape_errors += 1;
      return null;
    }
  }

  start(): RunningMethod {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let resolveReady!: () => void;
    let resolveExited!: (r: string) => void;
    const ready = new Promise<void>((r) => (resolveReady = r));
    const exited = new Promise<string>((r) => (resolveExited = r));
    const tick = () => {
      if (stopped) return;
      const started = Date.now();
      try {
        this.pollOnce();
      } catch (e) {
        this.log.error(`procfs poll failed: ${(e as Error).message}`);
      }
      resolveReady();
      // Fixed-rate schedule without overlap: a slow poll shortens the next wait instead of stacking.
      timer = setTimeout(tick, Math.max(0, this.cfg.pollMs - (Date.now() - started)));
    };
    this.log.info(`Collecting with procfs from ${this.cfg.procRoot} every ${this.cfg.pollMs} ms`);
    tick();
    return {
      ready,
      exited,
      stop: async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        resolveExited('stopped');
      },
    };
  }
}
