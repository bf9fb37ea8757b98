import Docker from 'dockerode';
import { RuntimeError } from '../errors.js';
import { DockerRuntime } from './docker-runtime.js';
import { ProcessRuntime } from './process-runtime.js';
import type { Runtime } from './types.js';

/** The Docker engine DOCKER_HOST names, or a RuntimeError saying `why` it is needed and how to start one. */
export async function connectDocker(why: string): Promise<DockerRuntime> {
  const docker = new Docker();
  if (await DockerRuntime.available(docker)) return new DockerRuntime(docker);
  throw new RuntimeError(
    `no Docker engine answers at ${process.env.DOCKER_HOST ?? '/var/run/docker.sock'}; ${why} (start one with node scripts/ensure-docker.mjs)`,
  );
}

/** `auto` uses Docker when an engine answers and says so when it falls back to local processes. */
export async function selectRuntime(
  kind: 'auto' | 'docker' | 'process',
  log: (m: string) => void = () => {},
): Promise<Runtime> {
  if (kind === 'process') return new ProcessRuntime();
  const docker = new Docker();
  if (await DockerRuntime.available(docker)) return new DockerRuntime(docker);
  if (kind === 'docker') {
    throw new RuntimeError(
      'runtime "docker" was asked for, but no Docker engine answers at ' +
        `${process.env.DOCKER_HOST ?? '/var/run/docker.sock'}. Start one (node scripts/ensure-docker.mjs) or use --runtime process.`,
    );
  }
  log('no Docker engine answers: running the collector and workloads as local processes (--runtime process)');
  return new ProcessRuntime();
}
