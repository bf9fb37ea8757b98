/**
 * `collector-bench history` over a folder store: main's results as a series per environment key
 * and metric, its change points with the commit range around them, epochs at environment changes,
 * and too little history said as such (exit 1, never green).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryReportSchema } from '../../src/contracts/history.js';
import { buildHistory } from '../../src/history/history.js';
import { at, resultFile, STORE_ENV, STORE_ENV_KEY } from '../support/result-files.js';
import { runCli } from '../support/cli.js';
import { shaOf, storeSessions, wobble } from '../support/history-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'collector-bench-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const step = [...wobble(20, 10), ...wobble(25, 10)].map((cpu) => ({ cpu }));

describe('buildHistory', () => {
  it('finds a +25% CPU step, names the commits around it and the sessions on each side', async () => {
    const store = await storeSessions(dir, step);
    const h = await buildHistory(store, 'default');
    const cpu = h.series.find((s) => s.metric === 'cpuPercent')!;
    expect(cpu.envKey).toBe(STORE_ENV_KEY);
    expect(cpu.sessions).toHaveLength(20);
    expect(cpu.status).toBe('changes');
    expect(cpu.changePoints).toHaveLength(1);
    const cp = cpu.changePoints[0];
    expect(cp.index).toBe(10);
    expect(cp.lastBefore).toEqual({ sha: shaOf(9), createdAt: at(9) });
    expect(cp.firstAfter).toEqual({ sha: shaOf(10), createdAt: at(10) });
    expect([cp.before.n, cp.after.n]).toEqual([10, 10]);
    expect(cp.change.relative).toBeCloseTo(0.25, 2);
    expect(cp.change.relativeInterval![0]).toBeLessThan(0.25);
    expect(cp.change.relativeInterval![1]).toBeGreaterThan(0.25);
    expect(cpu.segments.map((s) => [s.from, s.to])).toEqual([
      [0, 10],
      [10, 20],
    ]);
    const memory = h.series.find((s) => s.metric === 'memoryBytes')!;
    expect(memory).toMatchObject({ status: 'steady', changePoints: [] });
    expect(h.status).toBe('changes');
    expect(HistoryReportSchema.parse(h)).toEqual(h);
  });

  it('reads archived results too (prune keeps only the newest 10 live) and leaves branch results out', async () => {
    const store = await storeSessions(dir, step);
    await store.prune('default', STORE_ENV_KEY, 10);
    expect(await store.list('default', STORE_ENV_KEY)).toHaveLength(10);
    // A PR's result at +100% kept beside the baseline: not main's history.
    await store.put(
      resultFile({ createdAt: at(30), pr: 7, env: STORE_ENV, runs: [{ cpu: 50, mem: 1e6 }], samplesPerRun: 3 }),
      { fromMain: false },
    );
    const h = await buildHistory(store, 'default');
    const cpu = h.series.find((s) => s.metric === 'cpuPercent')!;
    expect(cpu.sessions).toHaveLength(20);
    expect(cpu.changePoints.map((c) => c.index)).toEqual([10]);
  });

  it('starts an epoch at a runner-image change instead of calling it a step', async () => {
    // Same environment key (kernel line, method, cores, arch); a new OS image moves CPU +40%.
    const sessions = [
      ...wobble(20, 10).map((cpu) => ({ cpu })),
      ...wobble(28, 10).map((cpu) => ({ cpu, env: { os: 'Debian GNU/Linux 14' } })),
    ];
    const h = await buildHistory(await storeSessions(dir, sessions), 'default');
    const cpu = h.series.find((s) => s.metric === 'cpuPercent')!;
    expect(cpu.epochs.map((e) => [e.from, e.to, e.environment.os])).toEqual([
      [0, 10, 'Debian GNU/Linux 13'],
      [10, 20, 'Debian GNU/Linux 14'],
    ]);
    expect(cpu.changePoints).toEqual([]);
    expect(cpu.status).toBe('steady');
  });

  it('says a key has too little history, and how many more sessions would do', async () => {
    const h = await buildHistory(
      await storeSessions(
        dir,
        wobble(20, 4).map((cpu) => ({ cpu })),
      ),
      'default',
    );
    expect(h.status).toBe('insufficient');
    for (const s of h.series) {
      expect(s.status).toBe('insufficient');
      expect(s.sessionsShort).toBe(2);
      expect(s.reason).toMatch(/too little history: 4 session\(s\) from main; 2 more would do/);
    }
  });

  it('counts only the sessions since the last environment change as the current history', async () => {
    const sessions = [
      ...wobble(20, 10).map((cpu) => ({ cpu })),
      ...wobble(20, 2).map((cpu) => ({ cpu, env: { kernel: '6.18.3-1-cloud-amd64' } })),
    ];
    const h = await buildHistory(await storeSessions(dir, sessions), 'default');
    const cpu = h.series.find((s) => s.metric === 'cpuPercent')!;
    expect(cpu).toMatchObject({ status: 'insufficient', sessionsShort: 4 });
    expect(cpu.reason).toMatch(/2 session\(s\) since the last environment change \(12 in all\); 4 more would do/);
  });
});

describe('collector-bench history (the CLI)', () => {
  it('prints the JSON history: the first session after the step by sha and createdAt; exit 0', async () => {
    await storeSessions(dir, step);
    const r = await runCli(['history', '--baseline', dir, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const h = HistoryReportSchema.parse(JSON.parse(r.stdout));
    const cp = h.series.find((s) => s.metric === 'cpuPercent')!.changePoints[0];
    expect(cp.firstAfter).toEqual({ sha: shaOf(10), createdAt: at(10) });
  });

  it('prints the step, its interval, the commits and the sessions as text', async () => {
    await storeSessions(dir, step);
    const r = await runCli(['history', '--baseline', dir, '--key', STORE_ENV_KEY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/step at session 11: \+25% \(\+\d+% … \+\d+%\), 20\.\d+% -> 25\.\d+%/);
    expect(r.stdout).toContain(`first after ${shaOf(10).slice(0, 7)} ${at(10)}`);
    expect(r.stdout).toContain('10 before (1-10), 10 after (11-20)');
  });

  it('exits 1 when a key has too little history, and says so', async () => {
    await storeSessions(
      dir,
      wobble(20, 3).map((cpu) => ({ cpu })),
    );
    const r = await runCli(['history', '--baseline', dir, '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('too little history');
    expect(r.stderr).toMatch(/3 more would do/);
  });

  it('refuses bad flags with exit 2', async () => {
    await storeSessions(dir, step);
    expect((await runCli(['history', '--baseline', dir, '--format', 'pdf'])).code).toBe(2);
    const r = await runCli(['history', '--baseline', dir, '--min-segment', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('an integer >= 2');
  });

  it('exits 4 when the store holds nothing of the benchmark', async () => {
    const r = await runCli(['history', '--baseline', dir, '--benchmark', 'nothing-here']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('no results of "nothing-here"');
  });
});
