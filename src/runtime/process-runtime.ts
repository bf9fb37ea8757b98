/**
 * Local processes, for machines with no container engine. Each one runs in its own process group
 * so stopping it also stops what it spawned; a pid file per process lets the next start clean up
 * after a harness that was killed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { RuntimeError } from '../errors.js';
import { ownerAlive, ownerId, processStartTime } from './ownership.js';
import { LineBuffer, type ExitInfo, type Runtime, type Started, type StartSpec, type StateInfo } from './types.js';

const PID_DIR = join(tmpdir(), 'collector-bench-pids');

interface PidFile {
  pid: number;
  start: string | null;
  owner: string;
  name: string;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export class ProcessRuntime implements Runtime {
  readonly kind = 'process' as const;
  private readonly started = new Set<Started>();
  private readonly owner = ownerId();

  async version(): Promise<string> {
    return `process (node ${process.version})`;
  }

  active(): Started[] {
    return [...this.started];
  }

  async sweep(): Promise<number> {
    let removed = 0;
    let files: string[] = [];
    try {
      files = readdirSync(PID_DIR);
    } catch {
      return 0;
    }
    for (const f of files) {
      const path = join(PID_DIR, f);
      let rec: PidFile;
      try {
        rec = JSON.parse(readFileSync(path, 'utf8')) as PidFile;
      } catch {
        rmSync(path, { force: true });
        continue;
      }
      if (ownerAlive(rec.owner)) continue;
      if (rec.start && processStartTime(rec.pid) === rec.start) {
        killGroup(rec.pid, 'SIGKILL');
        removed++;
      }
      rmSync(path, { force: true });
    }
    return removed;
  }

  async start(spec: StartSpec, log: (msg: string) => void = () => {}): Promise<Started> {
    const argv = spec.argv;
    if (!argv?.length)
      throw new RuntimeError(`${spec.name}: no command (argv) given for the process runtime`, { spec: spec.name });
    if (spec.privileged || spec.capabilities?.length) {
      if (process.getuid?.() !== 0)
        log(`warning: ${spec.name} asks for privileges; the process runtime runs it as uid ${process.getuid?.()}`);
    }
    const child = spawn(argv[0], argv.slice(1), {
      cwd: spec.cwd,
      env: { ...process.env, ...(spec.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: stop() reaches its children too
    });
    const spawnError = await new Promise<Error | null>((res) => {
      child.once('spawn', () => res(null));
      child.once('error', (e) => res(e));
    });
    if (spawnError || !child.pid)
      throw new RuntimeError(
        `could not start ${spec.name} (${argv[0]}): ${spawnError?.message}`,
        { argv },
        { cause: spawnError },
      );
    const pid = child.pid;
    const startedAt = new Date().toISOString();
    mkdirSync(PID_DIR, { recursive: true });
    const pidFile = join(PID_DIR, `${pid}.json`);
    writeFileSync(
      pidFile,
      JSON.stringify({ pid, start: processStartTime(pid), owner: this.owner, name: spec.name } satisfies PidFile),
    );

    const buffer = new LineBuffer();
    child.stdout!.on('data', (c: Buffer) => buffer.push(c));
    child.stderr!.on('data', (c: Buffer) => buffer.push(c));
    let finishedAt: string | null = null;
    let exitInfo: ExitInfo | null = null;
    const exited = new Promise<ExitInfo>((res) => {
      child.once('close', (code, signal) => {
        buffer.flush();
        finishedAt = new Date().toISOString();
        exitInfo = { exitCode: code, signal, oomKilled: false, error: null };
        rmSync(pidFile, { force: true });
        res(exitInfo);
      });
    });

    let removed = false;
    const stop = async (graceSeconds = 5): Promise<ExitInfo> => {
      if (exitInfo) return exitInfo;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceSeconds * 1000);
      const info = await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL'); // stragglers in the group
      return info;
    };
    const self: Started = {
      id: `pid-${pid}`,
      name: spec.name,
      pid,
      logs: () => buffer.all(),
      onLine: (fn) => buffer.onLine(fn),
      exited,
      state: async (): Promise<StateInfo> => ({
        running: exitInfo === null,
        exitCode: exitInfo?.exitCode ?? null,
        signal: exitInfo?.signal ?? null,
        oomKilled: false,
        error: null,
        restartCount: 0,
        startedAt,
        finishedAt,
      }),
      stop,
      remove: async () => {
        if (removed) return;
        removed = true;
        await stop(2);
        this.started.delete(self);
      },
    };
    this.started.add(self);
    return self;
  }
}
