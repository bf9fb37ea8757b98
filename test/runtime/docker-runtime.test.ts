import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors.js';
import { DockerRuntime } from '../../src/runtime/docker-runtime.js';
import { ensureNodeBaseImage } from '../../src/runtime/images.js';
import { exitDetail } from '../../src/contracts/exit.js';
import { OWNER_LABEL } from '../../src/runtime/ownership.js';
import { ensureDocker, TEST_LABELS } from '../support/docker.js';

const docker = await ensureDocker();

describe.skipIf(!docker)('the docker runtime', () => {
  let runtime: DockerRuntime;
  let image: string;

  beforeAll(async () => {
    runtime = new DockerRuntime(docker as Docker);
    image = await ensureNodeBaseImage(docker as Docker);
  });

  afterAll(async () => {
    for (const h of runtime.active()) await h.remove();
  });

  it('starts a labelled container, streams its logs and reports its exit code', async () => {
    const h = await runtime.start({
      name: 'test-echo',
      role: 'test',
      image,
      args: ['node', '-e', 'console.log("hello"); console.error("oops"); process.exit(3)'],
      labels: TEST_LABELS,
    });
    const exit = await h.exited;
    expect(exit.exitCode).toBe(3);
    expect(h.logs()).toContain('hello');
    expect(h.logs()).toContain('oops');
    const info = await (docker as Docker).getContainer(h.id).inspect();
    expect(info.Config.Labels['collector-bench']).toBe('1');
    expect(info.Config.Labels[OWNER_LABEL]).toMatch(/\/\d+\//);
    expect(info.HostConfig.NetworkMode).toBe('none');
    await h.remove();
    await expect((docker as Docker).getContainer(h.id).inspect()).rejects.toThrow();
  });

  it('with tty runs the container on a terminal and streams its raw output as lines without CR', async () => {
    const program = 'console.log(process.stdout.isTTY ? "stdout: terminal" : "stdout: pipe"); process.exit(3)';
    const lines: string[] = [];
    for (const tty of [false, true]) {
      const h = await runtime.start({
        name: `test-tty-${tty}`,
        role: 'test',
        image,
        args: ['node', '-e', program],
        labels: TEST_LABELS,
        tty,
      });
      h.onLine((l) => lines.push(l));
      expect((await h.exited).exitCode).toBe(3);
      expect((await (docker as Docker).getContainer(h.id).inspect()).Config.Tty).toBe(tty);
      await h.remove();
    }
    expect(lines).toEqual(['stdout: pipe', 'stdout: terminal']);
  });

  it('stops a running container with SIGTERM and gives its host pid', async () => {
    const h = await runtime.start({
      name: 'test-sleeper',
      role: 'test',
      image,
      args: [
        'node',
        '-e',
        'process.on("SIGTERM", () => process.exit(0)); console.log("armed"); setInterval(() => {}, 1000)',
      ],
      labels: TEST_LABELS,
    });
    expect(h.pid).toBeGreaterThan(1);
    // As PID 1, node ignores SIGTERM until its handler is installed: stop only once it says so.
    await new Promise<void>((res) => (h.logs().includes('armed') ? res() : h.onLine((l) => l === 'armed' && res())));
    expect((await h.state()).running).toBe(true);
    const { exit } = await h.stop(5);
    expect(exit.exitCode).toBe(0);
    await h.remove();
  });

  it('sends a signal to a container, whose exit then names it (128 + n), and measures it by its cgroup', async () => {
    const h = await runtime.start({
      name: 'test-kill',
      role: 'test',
      image,
      args: ['node', '-e', 'console.log("up"); setInterval(() => {}, 1000)'],
      labels: TEST_LABELS,
    });
    await new Promise<void>((res) => (h.logs().includes('up') ? res() : h.onLine((l) => l === 'up' && res())));
    expect(h.measure.scope).toBe('cgroup');
    expect(await h.measure.hostPid()).toBe(h.pid);
    await h.kill('SIGKILL');
    const exit = await h.exited;
    expect(exit.exitCode).toBe(137);
    expect(exitDetail(exit)).toBe('with code 137 (SIGKILL)');
    expect(await h.measure.hostPid()).toBeNull();
    const stopped = await h.stop();
    expect(stopped.exit.exitCode).toBe(137);
    expect(stopped.logs()).toContain('up');
    await stopped.remove();
  });

  it('builds the workload image and mounts its input files read-only under /bench', async () => {
    const generator = await runtime.workloadGenerator();
    expect(generator.image).toMatch(/^collector-bench\/workload/);
    expect(generator.imageId).toMatch(/^sha256:/);
    expect(generator.launch(['/host/dir/processes.toml'], ['/host/dir/processes.toml'])).toEqual({
      image: generator.image,
      args: ['/bench/processes.toml'],
      mounts: [{ source: '/host/dir/processes.toml', target: '/bench/processes.toml', readOnly: true }],
    });
    expect(await runtime.imageId(generator.image!)).toBe(generator.imageId);
    expect(await runtime.imageId('collector-bench/never-built:nothing')).toBeNull();
  });

  it('falls back from --privileged to all capabilities but SYS_RESOURCE when the host cannot grant it', async () => {
    const warnings: string[] = [];
    const h = await runtime.start(
      {
        name: 'test-priv',
        role: 'test',
        image,
        args: ['node', '-e', 'setTimeout(() => {}, 30000)'],
        privileged: true,
        labels: TEST_LABELS,
      },
      (m) => warnings.push(m),
    );
    const info = await (docker as Docker).getContainer(h.id).inspect();
    if (info.HostConfig.Privileged) {
      expect(warnings).toEqual([]);
    } else {
      expect(info.HostConfig.CapAdd).toEqual(['ALL']);
      expect(info.HostConfig.CapDrop).toEqual(['SYS_RESOURCE']);
      expect(warnings.join('\n')).toMatch(/cannot grant --privileged/);
    }
    expect(info.State.Running).toBe(true);
    await h.remove();
  });

  it('never pulls: an image that is not present locally is a clear error', async () => {
    await expect(
      runtime.start({ name: 'test-missing', role: 'test', image: 'collector-bench/does-not-exist:nope' }),
    ).rejects.toThrow(RuntimeError);
    await expect(
      runtime.start({ name: 'test-missing', role: 'test', image: 'collector-bench/does-not-exist:nope' }),
    ).rejects.toThrow(/not present locally/);
  });

  it('sweeps containers whose owning harness is dead, and only those', async () => {
    const d = docker as Docker;
    const orphan = await d.createContainer({
      Image: image,
      Cmd: ['node', '-e', '0'],
      Labels: { ...TEST_LABELS, [OWNER_LABEL]: 'deadbeef/999999/1' },
      HostConfig: { NetworkMode: 'none' },
    });
    const live = await runtime.start({
      name: 'test-live',
      role: 'test',
      image,
      args: ['node', '-e', 'setTimeout(() => {}, 30000)'],
      labels: TEST_LABELS,
    });
    try {
      expect(await runtime.sweep()).toBeGreaterThanOrEqual(1);
      await expect(orphan.inspect()).rejects.toThrow();
      expect((await d.getContainer(live.id).inspect()).State.Running).toBe(true);
    } finally {
      await orphan.remove({ force: true }).catch(() => undefined);
      await live.remove();
    }
  });
});
