/**
 * Containers through dockerode. Host or no networking only (these machines have no bridge, and we
 * never want a collector under test talking past loopback).
 */
import Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { basename } from 'node:path';
import { RuntimeError } from '../errors.js';
import { ensureAgentImage } from './agent-images.js';
import { ensureCollectorImage, ensureNodeBaseImage, ensureWorkloadImage } from './images.js';
import { LABEL, OWNER_LABEL, ownerAlive, ownerId } from './ownership.js';
import type { BuiltImage } from './rootfs-image.js';
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

/** Where a container sees a host input file (mounted read-only): `/bench/<name>`. */
const INPUT_DIR = '/bench';

function imageProgram(image: BuiltImage): Program {
  return {
    image: image.localRef,
    imageId: image.id,
    env: {},
    launch: (args, inputs = []) => {
      const inside = (p: string) => (inputs.includes(p) ? `${INPUT_DIR}/${basename(p)}` : p);
      return {
        image: image.localRef,
        ...(args.length ? { args: args.map(inside) } : {}),
        ...(inputs.length
          ? { mounts: inputs.map((p) => ({ source: p, target: `${INPUT_DIR}/${basename(p)}`, readOnly: true })) }
          : {}),
      };
    },
  };
}

/** An image collector-bench built, as `images list` shows it. */
export interface HarnessImage {
  tag: string;
  id: string;
  sizeBytes: number;
  created: string;
}

export class DockerRuntime implements Runtime {
  readonly kind = 'docker' as const;
  readonly runs = 'images' as const;
  private readonly started = new Set<Started>();
  private readonly owner = ownerId();
  /** Learned on the first privileged start: can this host grant full privileges? */
  private privilegedWorks: boolean | null = null;

  constructor(readonly docker: Docker = new Docker()) {}

  static async available(docker: Docker = new Docker()): Promise<boolean> {
    try {
      await docker.ping();
      return true;
    } catch {
      return false;
    }
  }

  async version(): Promise<string> {
    const v = await this.docker.version();
    return `docker ${v.Version}`;
  }

  active(): Started[] {
    return [...this.started];
  }

  async referenceCollector(log?: (msg: string) => void): Promise<Program> {
    return imageProgram(await ensureCollectorImage(this.docker, log));
  }

  async workloadGenerator(log?: (msg: string) => void): Promise<Program> {
    return imageProgram(await ensureWorkloadImage(this.docker, log));
  }

  async imageId(ref: string): Promise<string | null> {
    const info = await this.docker
      .getImage(ref)
      .inspect()
      .catch(() => null);
    return info?.Id ?? null;
  }

  async agentImage(ref: string, log?: (msg: string) => void): Promise<string | null> {
    return (await ensureAgentImage(this.docker, ref, log))?.id ?? null;
  }

  async imageLabels(ref: string): Promise<Record<string, string>> {
    const info = await this.docker
      .getImage(ref)
      .inspect()
      .catch(() => null);
    return info?.Config?.Labels ?? {};
  }

  /** The image with node and busybox that every harness image builds on (tests and `validate sampler` run scripts in it). */
  nodeBaseImage(log?: (msg: string) => void): Promise<string> {
    return ensureNodeBaseImage(this.docker, log);
  }

  /** Builds (or reuses) every image the harness runs: node-base, workload, reference collector. */
  async buildImages(log?: (msg: string) => void): Promise<{ image: string; id?: string; built?: boolean }[]> {
    const base = await ensureNodeBaseImage(this.docker, log);
    const workload = await ensureWorkloadImage(this.docker, log);
    const collector = await ensureCollectorImage(this.docker, log);
    return [
      { image: base, built: undefined },
      { image: workload.localRef, id: workload.id, built: workload.built },
      { image: collector.localRef, id: collector.id, built: collector.built },
    ];
  }

  /** The images collector-bench built (label collector-bench=1). */
  async harnessImages(): Promise<HarnessImage[]> {
    const images = await this.docker.listImages({ filters: { label: [`${LABEL}=1`] } });
    return images.flatMap((i) =>
      (i.RepoTags ?? []).map((tag) => ({
        tag,
        id: i.Id,
        sizeBytes: i.Size,
        created: new Date(i.Created * 1000).toISOString(),
      })),
    );
  }

  async sweep(): Promise<number> {
    const leftovers = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL}=1`] } });
    let removed = 0;
    for (const c of leftovers) {
      if (c.Labels[OWNER_LABEL] === undefined || ownerAlive(c.Labels[OWNER_LABEL])) continue; // tests and live harnesses
      await this.docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
      removed++;
    }
    return removed;
  }

  private hostConfig(spec: StartSpec, privileged: boolean, log: (m: string) => void): Docker.HostConfig {
    const binds: string[] = [];
    for (const m of spec.mounts ?? []) {
      if (!existsSync(m.source)) {
        log(`warning: mount source ${m.source} does not exist on this host; not mounted`);
        continue;
      }
      binds.push(`${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
    }
    const hc: Docker.HostConfig = {
      NetworkMode: spec.network ?? 'none',
      Binds: binds,
      AutoRemove: false, // we read the exit state and logs before removing
    };
    if (spec.hostPid) hc.PidMode = 'host';
    if (spec.cpus) hc.CpusetCpus = spec.cpus;
    if (spec.privileged && privileged) hc.Privileged = true;
    else if (spec.privileged) {
      // Fallback documented in docs/architecture.md: hosts lacking CAP_SYS_RESOURCE cannot start --privileged.
      hc.CapAdd = ['ALL'];
      hc.CapDrop = ['SYS_RESOURCE'];
      hc.SecurityOpt = ['apparmor=unconfined', 'seccomp=unconfined'];
    } else if (spec.capabilities?.length) hc.CapAdd = spec.capabilities;
    return hc;
  }

  private async create(spec: StartSpec, privileged: boolean, log: (m: string) => void): Promise<Docker.Container> {
    if (!spec.image) throw new RuntimeError(`${spec.name}: no image given for the docker runtime`, { spec: spec.name });
    const suffix = randomBytes(3).toString('hex');
    return this.docker.createContainer({
      name: `cb-${spec.name}-${suffix}`,
      Image: spec.image,
      Cmd: spec.args,
      Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Labels: { [LABEL]: '1', [OWNER_LABEL]: this.owner, 'collector-bench.role': spec.role, ...(spec.labels ?? {}) },
      HostConfig: this.hostConfig(spec, privileged, log),
      // A terminal makes libc line-buffer the program's stdout (collector.tty); its log stream is then one raw stream.
      Tty: spec.tty ?? false,
    });
  }

  async start(spec: StartSpec, log: (msg: string) => void = () => {}): Promise<Started> {
    let container: Docker.Container;
    try {
      await this.docker.getImage(spec.image ?? '').inspect();
    } catch {
      throw new RuntimeError(
        `image ${spec.image} is not present locally (collector-bench never pulls: no registry is assumed reachable). Build it or \`docker load\` it first.`,
        { image: spec.image },
      );
    }
    const wantPrivileged = !!spec.privileged && this.privilegedWorks !== false;
    container = await this.create(spec, wantPrivileged, log);
    try {
      await container.start();
      if (spec.privileged) this.privilegedWorks = wantPrivileged ? true : this.privilegedWorks;
    } catch (e) {
      const msg = (e as Error).message;
      await container.remove({ force: true }).catch(() => undefined);
      if (wantPrivileged && /caps|capabilit|operation not permitted/i.test(msg)) {
        log(
          `warning: this host cannot grant --privileged (${msg.split('\n')[0].slice(0, 160)}); falling back to --cap-add ALL --cap-drop SYS_RESOURCE`,
        );
        this.privilegedWorks = false;
        container = await this.create(spec, false, log);
        await container.start();
      } else {
        throw new RuntimeError(
          `could not start container for ${spec.name} from ${spec.image}: ${msg}`,
          { image: spec.image },
          { cause: e },
        );
      }
    }
    const handle = await this.attach(container);
    this.started.add(handle);
    return handle;
  }

  private async attach(container: Docker.Container): Promise<Started> {
    const info = await container.inspect();
    const tty = info.Config.Tty;
    const buffer = new LineBuffer({ terminal: tty });
    const out = new PassThrough();
    out.on('data', (c: Buffer) => buffer.push(c));
    const logStream = (await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
    })) as unknown as NodeJS.ReadableStream;
    // With a tty the engine sends the terminal's bytes as they are, not multiplexed frames.
    if (tty) logStream.pipe(out);
    else this.docker.modem.demuxStream(logStream, out, out);
    const logsEnded = new Promise<void>((res) => {
      logStream.on('end', res);
      logStream.on('close', res);
      logStream.on('error', () => res());
    });

    const exited: Promise<ExitInfo> = container
      .wait()
      .then(async () => {
        // The log stream ends shortly after the container; wait a little so no line is lost.
        await Promise.race([logsEnded, new Promise((r) => setTimeout(r, 1000))]);
        buffer.flush();
        const st = await container.inspect();
        return { exitCode: st.State.ExitCode, oomKilled: st.State.OOMKilled, error: st.State.Error || null };
      })
      .catch((e: Error) => ({ exitCode: null, error: e.message }));

    let removed = false;
    const id = info.Id;
    const name = info.Name.replace(/^\//, '');
    const remove = async () => {
      if (removed) return;
      removed = true;
      await container.remove({ force: true }).catch(() => undefined);
      this.started.delete(self);
    };
    const self: Started = {
      id,
      name,
      pid: info.State.Pid || null,
      logs: () => buffer.all(),
      onLine: (fn) => buffer.onLine(fn),
      exited,
      kill: async (signal) => {
        await container.kill({ signal });
      },
      measure: {
        scope: 'cgroup',
        hostPid: async () => {
          const st = await container.inspect();
          return st.State?.Pid > 0 ? st.State.Pid : null;
        },
        engineStats: async () => (await container.stats({ stream: true })) as unknown as NodeJS.ReadableStream,
      },
      state: async (): Promise<StateInfo> => {
        const st = await container.inspect();
        return {
          running: st.State.Running,
          exitCode: st.State.Running ? null : st.State.ExitCode,
          oomKilled: st.State.OOMKilled,
          error: st.State.Error || null,
          restartCount: st.RestartCount ?? 0,
          startedAt: st.State.StartedAt || null,
          finishedAt: st.State.Running ? null : st.State.FinishedAt || null,
        };
      },
      stop: async (graceSeconds = 5): Promise<Stopped> => {
        await container.stop({ t: graceSeconds }).catch(() => undefined); // 304 when already stopped
        return { id, name, exit: await exited, logs: () => buffer.all(), remove };
      },
      remove,
    };
    return self;
  }
}
