/**
 * Local processes, for machines with no container engine. Each one runs in its own process group
 * so stopping it also stops what it spawned; a pid file per process lets the next start clean up
 * after a harness that was killed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { RuntimeError } from '../errors.js';
import { pinnedArgv } from './cpu-pinning.js';
import { hostBpftrace, prepareCollectorBundle, prepareWorkloadBundle } from './images.js';
import { ownerAlive, ownerId, processStartTime } from './ownership.js';
import {
  LineBuffer,
  type ExitInfo,
  type Program,
  type Runtime,
  type Started,
  type StartSpec,
  type StateInfo,
  type Stopped,
} from './types.js';

const PID_DIR = join(tmpdir(), 'collector-bench-pids');

/** util-linux `script`: runs a command on a new pty (Debian: bsdutils, essential; RHEL/Alpine: util-linux). */
const SCRIPT = '/usr/bin/script';

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * The argv that runs `argv` with a terminal for stdin, stdout and stderr (collector.tty), so libc
 * line-buffers its output. `script -q -e -c` (quiet; exit with the child's status, 128+n for a
 * signal) runs it through `sh -c 'exec ...'`, so the program replaces the shell and is script's
 * only child; the typescript goes to /dev/null. `script` over a native pty module: it is on every
 * Linux host, and an npm pty package needs a native build (node-gyp and node's headers).
 */
export function ptyArgv(argv: string[]): string[] {
  if (!existsSync(SCRIPT))
    throw new RuntimeError(
      `collector.tty needs ${SCRIPT} (util-linux; Debian: apt-get install bsdutils) to give a local process a terminal`,
      { argv },
    );
  return [SCRIPT, '-q', '-e', '-c', `exec ${argv.map(shellQuote).join(' ')}`, '/dev/null'];
}

/** The children of `pid` (a pty's program runs in its own session: a signal to script's group misses it). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

interface PidFile {
  pid: number;
  start: string | null;
  owner: string;
  name: string;
}

/** A bundled node script run by this node, reading its inputs where they are. */
function nodeProgram(script: string, env: Record<string, string> = {}): Program {
  return { image: null, imageId: null, env, launch: (args) => ({ argv: [process.execPath, script, ...args] }) };
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
  readonly runs = 'commands' as const;
  private readonly started = new Set<Started>();
  private readonly owner = ownerId();

  async version(): Promise<string> {
    return `process (node ${process.version})`;
  }

  active(): Started[] {
    return [...this.started];
  }

  async referenceCollector(): Promise<Program> {
    const dir = await prepareCollectorBundle();
    const bpftrace = hostBpftrace();
    return nodeProgram(join(dir, 'collector.mjs'), {
      REF_COLLECTOR_PROTO_DIR: join(dir, 'proto'),
      REF_COLLECTOR_DRIVER_DIR: join(dir, 'driver'),
      ...(bpftrace ? { REF_COLLECTOR_BPFTRACE: bpftrace } : {}),
    });
  }

  async workloadGenerator(): Promise<Program> {
    return nodeProgram(await prepareWorkloadBundle());
  }

  async imageId(): Promise<string | null> {
    return null;
  }

  async agentImage(): Promise<string | null> {
    return null;
  }

  async imageLabels(): Promise<Record<string, string>> {
    return {};
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
    const tty = spec.tty ?? false;
    const command = pinnedArgv(tty ? ptyArgv(argv) : argv, spec.cpus);
    const child = spawn(command[0], command.slice(1), {
      cwd: spec.cwd,
      // SHELL: script runs the command with $SHELL -c; sh reads no rc files.
      env: { ...process.env, ...(spec.env ?? {}), ...(tty ? { SHELL: '/bin/sh' } : {}) },
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

    const buffer = new LineBuffer({ terminal: tty });
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
    const id = `pid-${pid}`;
    const stopped = (exit: ExitInfo): Stopped => ({ id, name: spec.name, exit, logs: () => buffer.all(), remove });
    // On a pty the program leads a session of its own (script's child): it is signalled too, as a container's main process would be.
    // script then ends with it (status 128+n, as a container's); a signal to script too would make it linger.
    const signalAll = (signal: NodeJS.Signals) => {
      const program = tty ? childPids(pid) : [];
      for (const c of program) killGroup(c, signal);
      if (program.length === 0 || signal === 'SIGKILL') killGroup(pid, signal);
    };
    const stop = async (graceSeconds = 5): Promise<Stopped> => {
      if (exitInfo) return stopped(exitInfo);
      signalAll('SIGTERM');
      const timer = setTimeout(() => signalAll('SIGKILL'), graceSeconds * 1000);
      const info = await exited;
      clearTimeout(timer);
      killGroup(pid, 'SIGKILL'); // stragglers in the group
      return stopped(info);
    };
    const remove = async () => {
      if (removed) return;
      removed = true;
      await stop(2);
      this.started.delete(self);
    };
    const self: Started = {
      id,
      name: spec.name,
      pid,
      logs: () => buffer.all(),
      onLine: (fn) => buffer.onLine(fn),
      exited,
      kill: async (signal) => {
        if (exitInfo === null) signalAll(signal); // the group: bpftrace dies with it, as in a container
      },
      measure: { scope: 'process-tree', hostPid: async () => (exitInfo === null ? pid : null) },
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
      remove,
    };
    this.started.add(self);
    return self;
  }
}
