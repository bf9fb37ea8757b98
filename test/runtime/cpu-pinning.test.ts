/**
 * CPU pinning: a CPU list means what a cpuset means, a local process and a container started with
 * `cpus` run only there (read back from the kernel's Cpus_allowed_list), and the harness gets its
 * own affinity back after it pinned itself.
 */
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { resolveCollectorTarget } from '../../src/run/collector-target.js';
import { prepareWorkloads } from '../../src/run/workload-target.js';
import { affinityOf, parseCpuList, pinRunningProcess } from '../../src/runtime/cpu-pinning.js';
import { DockerRuntime } from '../../src/runtime/docker-runtime.js';
import { ensureNodeBaseImage } from '../../src/runtime/images.js';
import { ProcessRuntime } from '../../src/runtime/process-runtime.js';
import { ensureDocker, TEST_LABELS } from '../support/docker.js';

const docker = await ensureDocker();

describe('a CPU list', () => {
  it('names CPUs as a cpuset does: single CPUs, ranges, both, in order without repeats', () => {
    expect(parseCpuList('1')).toEqual([1]);
    expect(parseCpuList('0-2')).toEqual([0, 1, 2]);
    expect(parseCpuList('3,0-1,1')).toEqual([0, 1, 3]);
  });
  it('is refused when it is not one (a word, a space, a backwards range)', () => {
    for (const bad of ['', 'all', '0 1', '2-1', '0,', '-1']) expect(parseCpuList(bad)).toBeNull();
  });
});

describe('pinning', () => {
  it('starts a local process on the CPUs it is given (taskset execs it: the pid is the command)', async () => {
    const rt = new ProcessRuntime();
    const h = await rt.start({ name: 'pinned', role: 'test', argv: ['sleep', '30'], cpus: '0' });
    try {
      // taskset sets the affinity, then execs: once the pid is `sleep`, both have happened.
      const comm = () => readFileSync(`/proc/${h.pid}/comm`, 'utf8').trim();
      for (let i = 0; i < 100 && comm() !== 'sleep'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(comm()).toBe('sleep');
      expect(affinityOf(h.pid!)).toBe('0');
    } finally {
      await h.remove();
    }
  });

  it('pins the harness itself, every thread, and gives it back the CPUs it had', async () => {
    const before = affinityOf(process.pid);
    const restore = await pinRunningProcess(process.pid, '0');
    try {
      expect(affinityOf(process.pid)).toBe('0');
    } finally {
      await restore();
    }
    expect(affinityOf(process.pid)).toBe(before);
  });

  it.skipIf(!docker)('starts a container on the CPUs it is given (Docker CpusetCpus)', async () => {
    const runtime = new DockerRuntime(docker as Docker);
    const image = await ensureNodeBaseImage(docker as Docker);
    const h = await runtime.start({
      name: 'test-pinned',
      role: 'test',
      image,
      args: ['node', '-e', 'setTimeout(() => {}, 30000)'],
      labels: TEST_LABELS,
      cpus: '0',
    });
    try {
      const pid = await h.measure.hostPid();
      expect(pid).not.toBeNull();
      expect(affinityOf(pid!)).toBe('0');
    } finally {
      await h.remove();
    }
  });
});

describe('run.pin in a session', () => {
  it('gives the agent and the workloads their CPUs through their start specs', async () => {
    const { config } = loadConfig(
      { pin: 'agent=0,workloads=0', runtime: 'process' },
      undefined,
      { COLLECTOR_BENCH_COLLECTION_METHOD: 'procfs' },
      process.cwd(),
    );
    const runtime = new ProcessRuntime();
    const collector = await resolveCollectorTarget(config, runtime, () => {});
    expect(collector.spec.cpus).toBe('0');
    const workloads = await prepareWorkloads(config.run.workloads, runtime, 5, () => {}, config.run.pin?.workloads);
    expect(workloads.targets.map((w) => w.spec.cpus)).toEqual(workloads.targets.map(() => '0'));
  });
});
