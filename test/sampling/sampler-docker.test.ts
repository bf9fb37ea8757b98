import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../src/runtime/docker-runtime.js';
import type { Started } from '../../src/runtime/types.js';
import { pickSource, startCgroupGroupSampler, startHostSampler, startSampler } from '../../src/sampling/sampler.js';
import {
  burnerScript,
  formatValidationTable,
  holderScript,
  measureCgroupWindow,
  measureDockerStatsWindow,
  referenceRead,
  startNodeContainer,
  validateSampler,
  waitForHeldMemory,
  type TestContainer,
} from '../../src/sampling/validate.js';
import { ensureDocker, TEST_LABELS } from '../support/docker.js';

const docker = await ensureDocker();
const MiB = 1048576;

describe.skipIf(!docker)('sampling real containers (Docker, cgroup of this host)', () => {
  const d = new DockerRuntime(docker as Docker);
  let image: string;
  const started: Started[] = [];
  let burner: TestContainer;
  let holder: TestContainer;

  beforeAll(async () => {
    image = await d.nodeBaseImage();
    burner = await startNodeContainer(d, image, burnerScript(50, 100), TEST_LABELS);
    started.push(burner.handle);
    holder = await startNodeContainer(d, image, holderScript(200), TEST_LABELS);
    started.push(holder.handle);
    await waitForHeldMemory(holder.location, 200 * MiB, 30_000);
    await new Promise((r) => setTimeout(r, 1000)); // past node's startup burst
  });

  afterAll(async () => {
    for (const c of started) await c.remove();
  });

  it('picks the cgroup source for a running container and procfs for a local process', async () => {
    const picked = await pickSource(burner.handle);
    expect(picked.source).toMatchObject({ kind: 'cgroup', pid: burner.pid });
    expect(picked.reason).toContain(burner.handle.id);
    expect((await pickSource(burner.handle, { prefer: 'docker' })).source.kind).toBe('docker');
    const local = { id: 'pid-self', measure: { scope: 'process-tree' as const, hostPid: async () => process.pid } };
    expect((await pickSource(local)).source).toEqual({ kind: 'proc', pid: process.pid });
    // cgroups this process cannot read (here: a wrong mount point) fall back to docker stats
    const fallback = await pickSource(burner.handle, { cgroupRoot: '/nonexistent-cgroup-root' });
    expect(fallback.source.kind).toBe('docker');
    expect(fallback.reason).toMatch(/cgroup unreadable/);
  });

  for (const intervalMs of [1000, 100]) {
    it(`samples a 50% duty-cycle burner at ${intervalMs} ms within 10% of the cgroup's own CPU total over the same window`, async () => {
      const w = await measureCgroupWindow({ burner, holder, intervalMs, seconds: 3 });
      expect(w.samples).toBe(Math.round(3000 / intervalMs));
      expect(w.referenceCpuPercent).toBeGreaterThan(5); // it really burned
      expect(Math.abs(w.cpuRelativeError)).toBeLessThan(0.1);
      // sample times are relative to t0 and spaced by the interval
      const gaps = w.burnerSamples.slice(1).map((s, i) => s.t - w.burnerSamples[i].t);
      expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThan(intervalMs * 0.8);
    });
  }

  it('counts a container holding 200 MiB in its working set, within 5% of memory.stat', async () => {
    const w = await measureCgroupWindow({ burner, holder, intervalMs: 100, seconds: 1 });
    expect(w.sampledMemoryBytes).toBeGreaterThanOrEqual(200 * MiB);
    expect(Math.abs(w.memoryRelativeError)).toBeLessThan(0.05);
    expect(w.holderSamples.at(-1)!.rssBytes).toBeGreaterThanOrEqual(200 * MiB);
  });

  it('gets the same figures through the docker stats stream (first frame skipped)', async () => {
    const w = await measureDockerStatsWindow({ burner, holder, seconds: 3 });
    expect(w.samples).toBe(3);
    expect(Math.abs(w.cpuRelativeError)).toBeLessThan(0.1);
    expect(w.sampledMemoryBytes).toBeGreaterThanOrEqual(200 * MiB);
    expect(Math.abs(w.memoryRelativeError)).toBeLessThan(0.05);
  });

  it('samples host CPU and the summed CPU of workload cgroups for context', async () => {
    const t0 = Date.now();
    const host = startHostSampler({ intervalMs: 200, t0 });
    const group = startCgroupGroupSampler({ pids: [burner.pid, holder.pid], intervalMs: 200, t0 });
    const a = referenceRead(burner.location).cpu;
    await new Promise((r) => setTimeout(r, 1500));
    const hostSamples = await host.stop();
    const groupSamples = await group.stop();
    const b = referenceRead(burner.location).cpu;
    const burnerPercent = ((b.cpuNs - a.cpuNs) / ((b.wallMs - a.wallMs) * 1e6)) * 100;
    const groupMean = groupSamples.reduce((x, s) => x + s.cpuPercent, 0) / groupSamples.length;
    expect(groupSamples.length).toBeGreaterThanOrEqual(5);
    // The group holds the burner plus an idle holder, so it is about the burner's share (the
    // windows differ by up to one 200 ms tick at the end, hence the slack).
    expect(groupMean).toBeGreaterThan(burnerPercent * 0.8);
    expect(groupMean).toBeLessThan(burnerPercent * 1.2 + 5);
    // the host includes the burner too
    const hostMean = hostSamples.reduce((x, s) => x + s.cpuPercent, 0) / hostSamples.length;
    expect(hostMean).toBeGreaterThan(burnerPercent * 0.8);
  });

  it('stops with an error and keeps its samples when the container goes away', async () => {
    const short = await startNodeContainer(d, image, 'setInterval(() => {}, 1000)', TEST_LABELS);
    started.push(short.handle);
    const s = startSampler({ source: { kind: 'cgroup', pid: short.pid }, intervalMs: 100, t0: Date.now() });
    await new Promise((r) => setTimeout(r, 500));
    await short.handle.remove();
    await new Promise((r) => setTimeout(r, 500));
    const kept = s.samples().length;
    expect(kept).toBeGreaterThan(0);
    expect(s.errors()).toHaveLength(1);
    expect((await s.stop()).length).toBe(kept);
  });
});

describe.skipIf(!docker)('validateSampler (the bench:sampler benchmark, short)', () => {
  it('reports one row per interval plus docker stats, within tolerance, and removes its containers', async () => {
    // A label of this run only: other sessions may share the engine and run the benchmark too.
    const runLabel = `sampling-${process.pid}-${Date.now()}`;
    const v = await validateSampler({
      runtime: new DockerRuntime(docker as Docker),
      intervalsMs: [1000, 100],
      seconds: 2,
      includeDockerStats: true,
      labels: { ...TEST_LABELS, 'collector-bench.test-run': runLabel },
    });
    expect(v.rows.map((r) => `${r.source}@${r.intervalMs}`)).toEqual(['cgroup@1000', 'cgroup@100', 'docker@1000']);
    for (const r of v.rows) {
      expect(Math.abs(r.cpuRelativeError)).toBeLessThan(0.1);
      expect(Math.abs(r.memoryRelativeError)).toBeLessThan(0.05);
    }
    expect(v.rows[1].samplerCpuPercent).not.toBeNull();
    const table = formatValidationTable(v);
    expect(table).toContain('cgroup  100 ms');
    const left = await (docker as Docker).listContainers({
      all: true,
      filters: { label: [`collector-bench.test-run=${runLabel}`] },
    });
    expect(left).toEqual([]);
  });
});
