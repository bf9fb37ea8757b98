/**
 * The runtime abstraction: something that starts the collector and the workloads and lets us
 * watch, sample and stop them. Two kinds: Docker containers, and plain local processes for
 * machines with no container engine.
 */
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
}

export interface ExitInfo {
  exitCode: number | null;
  signal?: string | null;
  oomKilled?: boolean;
  error?: string | null;
}

export interface StateInfo extends ExitInfo {
  running: boolean;
  restartCount: number;
  startedAt: string | null;
  finishedAt: string | null;
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
  /** SIGTERM, then SIGKILL after `graceSeconds`. Idempotent. */
  stop(graceSeconds?: number): Promise<ExitInfo>;
  /** Stops if needed and removes every trace (container, process group). Idempotent. */
  remove(): Promise<void>;
}

export interface Runtime {
  kind: 'docker' | 'process';
  version(): Promise<string>;
  start(spec: StartSpec, log?: (msg: string) => void): Promise<Started>;
  /** Removes what an earlier, dead harness left behind; returns how many it removed. */
  sweep(): Promise<number>;
  /** Everything this runtime started and has not yet removed. */
  active(): Started[];
}

/** Splits a byte stream into lines for onLine subscribers while keeping the whole log. */
export class LineBuffer {
  private text = '';
  private partial = '';
  private readonly listeners: ((line: string) => void)[] = [];
  private static readonly MAX = 8 * 1024 * 1024; // keep logs bounded for a chatty collector

  push(chunk: Buffer | string): void {
    const s = chunk.toString();
    this.text += s;
    if (this.text.length > LineBuffer.MAX) this.text = this.text.slice(-LineBuffer.MAX);
    const parts = (this.partial + s).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) for (const fn of this.listeners) fn(line);
  }

  flush(): void {
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
