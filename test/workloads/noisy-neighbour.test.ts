import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coresBetween, neighbourLabel, parseNeighbour, startNeighbour } from '../../src/workloads/noisy-neighbour.js';
import { InvalidInputError } from '../../src/errors.js';
import { alive } from '../support/processes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('--neighbour', () => {
  it('takes a duty cycle of one core, optionally times a number of processes', () => {
    expect(parseNeighbour('50')).toEqual({ dutyPercent: 50, processes: 1 });
    expect(parseNeighbour('50x2')).toEqual({ dutyPercent: 50, processes: 2 });
    expect(parseNeighbour('none')).toBeNull();
    expect(parseNeighbour('0')).toBeNull();
    expect(neighbourLabel(parseNeighbour('50x2'))).toBe('50%x2');
    expect(neighbourLabel(null)).toBe('none');
  });

  it('refuses anything else naming the flag and what it allows', () => {
    for (const bad of ['150', '50x0', 'half', '50%', '-5', '50x'])
      expect(() => parseNeighbour(bad), bad).toThrow(InvalidInputError);
    expect(() => parseNeighbour('150')).toThrow(/flag --neighbour.*DUTY\[xN\]/);
  });
});

/**
 * The machine is shared and loaded, so a hog gets at most its duty and often less: the band is
 * loose, and only ratios measured in this one run are compared (its CPU over a window against the
 * window; a 20% hog against an 80% one). What must always hold: it neither idles nor spins flat out,
 * more duty means more CPU, and stop() leaves nothing behind.
 */
describe('the noisy neighbour', () => {
  it('uses about its duty cycle of one core, more duty more CPU, and is gone after stop()', async () => {
    const low = startNeighbour({ dutyPercent: 20, processes: 1 });
    const high = startNeighbour({ dutyPercent: 80, processes: 1 });
    try {
      await sleep(500); // node's own start-up is not the hog's duty
      const [l0, h0] = [low.read(), high.read()];
      await sleep(3000);
      const lowCores = coresBetween(l0, low.read())!;
      const highCores = coresBetween(h0, high.read())!;
      expect(lowCores, `20% hog used ${lowCores} cores`).toBeGreaterThan(0.2 * 0.25);
      expect(lowCores, `20% hog used ${lowCores} cores`).toBeLessThan(0.2 * 1.5);
      expect(highCores, `80% hog used ${highCores} cores`).toBeLessThan(0.8 * 1.15);
      expect(highCores / lowCores).toBeGreaterThan(1.5);
    } finally {
      await Promise.all([low.stop(), high.stop()]);
    }
    for (const pid of [...low.pids, ...high.pids]) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it('runs each hog in its own process group and, where it can, a cgroup that stop() removes', async () => {
    const n = startNeighbour({ dutyPercent: 10, processes: 2 });
    try {
      expect(n.pids).toHaveLength(2);
      // Its own group: the group id is the hog's pid (process.kill(-pid) reaches exactly it).
      for (const pid of n.pids) expect(() => process.kill(-pid, 0)).not.toThrow();
    } finally {
      await n.stop();
    }
    for (const pid of n.pids) expect(alive(pid)).toBe(false);
    if (n.cgroup) expect(existsSync(n.cgroup)).toBe(false);
  });

  it('says so when a hog dies under it, rather than measuring a quieter machine', async () => {
    const n = startNeighbour({ dutyPercent: 5, processes: 2 });
    try {
      process.kill(-n.pids[1], 'SIGKILL');
      await sleep(300);
      expect(() => n.read()).toThrow(/noisy neighbour 5%x2 .* exited early/);
    } finally {
      await n.stop();
    }
  });

  it('removes the empty cgroup a dead harness left (named after its pid) when the next one starts', async () => {
    const probe = startNeighbour({ dutyPercent: 1, processes: 1 });
    await probe.stop();
    if (!probe.cgroup) return; // no cgroup on this host: nothing to leave behind either
    // Above the kernel's largest pid_max: never a live process.
    const leftover = join(dirname(probe.cgroup), 'collector-bench-neighbour-4194305-1');
    mkdirSync(leftover);
    const n = startNeighbour({ dutyPercent: 1, processes: 1 });
    await n.stop();
    expect(existsSync(leftover)).toBe(false);
  });
});
