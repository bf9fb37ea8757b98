/**
 * The runtime abstraction: something that starts the collector and the workloads and lets us
 * watch, sample and stop them. Two kinds: Docker containers, and plain local processes for
 * machines with no container engine.
 */
import type { ExitInfo } from '../contracts/exit.js';
import { MiB } from '../units.js';

export interface MountSpec {
  source: string;
  target: string;
  readOnly?: boolean;
}

export interface StartSpec {
  /** Human name, also used in the container name: `cb-<name>-<suffix>`. */
  name: string;
  role: 'collector' | 'workload' | 'canary' | 'test';
  /** Docker: the image, run with its entrypoint and `args`. */
  image?: string;
  args?: string[];
  /** Process runtime: the full argv. */
  argv?: string[];
  env?: Record<string, string>;
  privileged?: boolean;
  capabilities?: string[];
  mounts?: MountSpec[];
  hostPid?: boolean;
  network?: 'host' | 'none';
  labels?: Record<string, string>;
  /** Process runtime: working directory. */
  cwd?: string;
  /** Give it a terminal for stdin/stdout/stderr (Docker `Tty`; a pty for a local process), so libc line-buffers its output. */
  tty?: boolean;
  /** The CPUs it may run on, a cpuset list such as `1` or `0-1` (run.pin; runtime/cpu-pinning.ts). Unset: any. */
  cpus?: string;
}

/** Defined with its wording in contracts/exit.ts, which the reports read too. */
export type { ExitInfo };

export interface StateInfo extends ExitInfo {
  running: boolean;
  restartCount: number;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What a stage needs to sample a started program's CPU and memory; sampling/ picks the source. */
export interface Measurable {
  /** `cgroup`: the pid heads a cgroup of its own (a container); `process-tree`: sum the pid and its descendants. */
  scope: 'cgroup' | 'process-tree';
  /** The host pid of the main process now; null when it is not running. */
  hostPid(): Promise<number | null>;
  /** The engine's own stats stream (Docker: newline-delimited JSON frames), when there is an engine. */
  engineStats?(): Promise<NodeJS.ReadableStream>;
}

/** A program that has ended and been stopped: what is left to read is its exit and its output. */
export interface Stopped {
  id: string;
  name: string;
  exit: ExitInfo;
  /** Everything it printed (stdout and stderr interleaved). */
  logs(): string;
  /** Removes every trace (container, process group). Idempotent. */
  remove(): Promise<void>;
}

export interface Started {
  id: string;
  name: string;
  /** Host pid of the main process, when known. */
  pid: number | null;
  /** Everything printed so far (stdout and stderr interleaved). */
  logs(): string;
  /** Calls `fn` for each complete output line from now on. */
  onLine(fn: (line: string) => void): void;
  /** Resolves when the process or container exits, on its own or because we stopped it. */
  readonly exited: Promise<ExitInfo>;
  state(): Promise<StateInfo>;
  /** Sends `signal` to the program (a local process: to its whole group, as a container's would be). */
  kill(signal: NodeJS.Signals): Promise<void>;
  readonly measure: Measurable;
  /** SIGTERM, then SIGKILL after `graceSeconds`. Idempotent. */
  stop(graceSeconds?: number): Promise<Stopped>;
  /** Stops if needed and removes every trace (container, process group). Idempotent. */
  remove(): Promise<void>;
}

/** A program made ready to start under a runtime: an image it built, or a bundle it wrote. */
export interface Program {
  /** The image (containers), or null for a local process. */
  image: string | null;
  imageId: string | null;
  /** Start-spec fields that run it with `args`; `inputs` are host files among the args it must be able to read. */
  launch(args: string[], inputs?: string[]): Pick<StartSpec, 'image' | 'args' | 'argv' | 'mounts'>;
  /** Environment it needs under this runtime (defaults; the user's env wins). */
  env: Record<string, string>;
}

export interface Runtime {
  kind: 'docker' | 'process';
  /** What a user's collector must be given: an image (containers) or a command line (local processes). */
  readonly runs: 'images' | 'commands';
  version(): Promise<string>;
  start(spec: StartSpec, log?: (msg: string) => void): Promise<Started>;
  /** Removes what an earlier, dead harness left behind; returns how many it removed. */
  sweep(): Promise<number>;
  /** Everything this runtime started and has not yet removed. */
  active(): Started[];
  /** The reference collector, ready to start here (its image built, or its bundle written). */
  referenceCollector(log?: (msg: string) => void): Promise<Program>;
  /** The workload generator, ready to start here. */
  workloadGenerator(log?: (msg: string) => void): Promise<Program>;
  /** The id of a locally present image, or null when absent (never pulled); null for runtimes without images. */
  imageId(ref: string): Promise<string | null>;
  /**
   * The id of a third-party agent's image that the harness packs itself (agent-images.ts, e.g.
   * `collector-bench/execsnoop:local`), built on first use; null for any other ref or runtime.
   */
  agentImage(ref: string, log?: (msg: string) => void): Promise<string | null>;

  /** The labels of a locally present image ({} when absent or for runtimes without images). */
  imageLabels(ref: string): Promise<Record<string, string>>;
}

/**
 * Splits a byte stream into lines for onLine subscribers while keeping the whole log. A terminal's
 * output (`terminal`) ends its lines with CR LF; they are kept and handed out with LF only, so a
 * regex's `$` and the log files read the same with and without a tty.
 */
export class LineBuffer {
  private text = '';
  private partial = '';
  /** A CR that ended the last chunk: it may be the first half of a CR LF split across chunks. */
  private heldCr = false;
  private readonly listeners: ((line: string) => void)[] = [];
  private static readonly MAX = 8 * MiB; // keep logs bounded for a chatty collector

  constructor(private readonly opts: { terminal?: boolean } = {}) {}

  push(chunk: Buffer | string): void {
    let s = chunk.toString();
    if (this.opts.terminal) {
      s = (this.heldCr ? '\r' : '') + s;
      this.heldCr = s.endsWith('\r');
      s = (this.heldCr ? s.slice(0, -1) : s).replaceAll('\r\n', '\n');
    }
    this.text += s;
    if (this.text.length > LineBuffer.MAX) this.text = this.text.slice(-LineBuffer.MAX);
    const parts = (this.partial + s).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) for (const fn of this.listeners) fn(line);
  }

  flush(): void {
    if (this.heldCr) {
      this.heldCr = false;
      this.partial += '\r';
      this.text += '\r';
    }
    if (this.partial) {
      for (const fn of this.listeners) fn(this.partial);
      this.partial = '';
    }
  }

  all(): string {
    return this.text;
  }

  onLine(fn: (line: string) => void): void {
    this.listeners.push(fn);
  }
}
