/**
 * The command-line entry as the harness runs it: `node main.js <file.toml> [--duration s]`, one
 * JSON line last on stdout, progress on stderr, exit 0; SIGTERM ends it early with the same line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMainArgs } from '../../src/workloads/main.js';
import { achievedReportSchema } from '../../src/workloads/report.js';

const MAIN = path.resolve('src/workloads/main.ts');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runMain(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onStderr?: (text: string, kill: () => void) => void,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, () => child.kill('SIGTERM'));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

function lastJson(stdout: string) {
  const lines = stdout.trim().split('\n');
  return achievedReportSchema.parse(JSON.parse(lines[lines.length - 1]));
}

describe('main.ts arguments', () => {
  it('takes a file, --duration and --seed (also --flag=value)', () => {
    expect(parseMainArgs(['w.toml', '--duration', '5'])).toEqual({ file: 'w.toml', durationS: 5, seed: undefined });
    expect(parseMainArgs(['--duration=0.5', '--seed', '3', 'w.toml'])).toEqual({
      file: 'w.toml',
      durationS: 0.5,
      seed: 3,
    });
  });

  it('refuses a missing file, a bad duration and unknown options', () => {
    expect(() => parseMainArgs([])).toThrow(/usage/);
    expect(() => parseMainArgs(['w.toml', '--duration', 'soon'])).toThrow(/--duration needs a number of seconds/);
    expect(() => parseMainArgs(['w.toml', '--fast'])).toThrow(/unknown option --fast/);
  });
});

describe('main.ts as a process', () => {
  it('runs workloads/syscalls.toml for --duration and prints one parseable JSON line last', async () => {
    const r = await runMain(['workloads/syscalls.toml', '--duration', '1.5']);
    expect(r.code).toBe(0);
    const report = lastJson(r.stdout);
    expect(report.type).toBe('syscalls');
    expect(report.durationS).toBeGreaterThan(1.3);
    expect(report.durationS).toBeLessThan(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('syscalls: 1 worker(s), getpid (39)');
  });

  it('honours BERSERKER__DURATION and BERSERKER__WORKLOAD__* overrides', async () => {
    const r = await runMain(['workloads/syscalls.toml'], {
      BERSERKER__DURATION: '1',
      BERSERKER__WORKLOAD__SYSCALL_NR: '102',
    });
    expect(r.code).toBe(0);
    const report = lastJson(r.stdout);
    expect(report).toMatchObject({ type: 'syscalls', syscall: 'getuid', syscallNr: 102 });
    expect(report.durationS).toBeLessThan(2.5);
  });

  it('SIGTERM ends an unlimited run early, still with the JSON line, exit 0', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wl-main-'));
    const file = path.join(dir, 'p.toml');
    writeFileSync(
      file,
      'restart_interval = 10\nper_core = false\nduration = 0\n[workload]\ntype = "processes"\narrival_rate = 50.0\ndeparture_rate = 50.0\nrandom_process = true\n',
    );
    let sent = false;
    const t0 = Date.now();
    const r = await runMain([file], {}, (text, kill) => {
      if (!sent && text.includes('processes: 1 worker(s)')) {
        sent = true;
        setTimeout(kill, 1000);
      }
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.stderr).toContain('SIGTERM, stopping');
    const report = lastJson(r.stdout);
    expect(report.type).toBe('processes');
    if (report.type === 'processes') {
      expect(report.durationS).toBeGreaterThan(0.8);
      expect(report.durationS).toBeLessThan(10);
      expect(report.spawned).toBeGreaterThan(0);
    }
  });

  it('a config error exits 2 with the message on stderr and nothing on stdout', async () => {
    const r = await runMain(['workloads/syscalls.toml', '--duration', '1'], {
      BERSERKER__WORKLOAD__ARRIVAL_RATE: 'fast',
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('BERSERKER__WORKLOAD__ARRIVAL_RATE');
    expect(r.stderr).toContain('"workload.arrival_rate" has value "fast"');
  });
});
