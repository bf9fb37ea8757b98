import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { listBundle, writeDiagnosticBundle } from '../../src/diagnostics/bundle.js';
import { cgroupVersion } from '../../src/diagnostics/host-facts.js';

const dir = mkdtempSync(join(tmpdir(), 'cb-bundle-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CURRENT = `Collector Version: 0.1.0-ref
[INFO 2026/01/01 00:00:00] Sensor configured at address: 127.0.0.1:9999
[INFO 2026/01/01 00:00:02] == Collector Startup Diagnostics: ==
[INFO 2026/01/01 00:00:02] Connected to Sensor? false
[INFO 2026/01/01 00:00:02] Kernel driver candidates:
[INFO 2026/01/01 00:00:02] ====================================
[FATAL 2026/01/01 00:00:02] Unable to connect to Sensor.`;

describe('writeDiagnosticBundle', () => {
  it('writes one .tar.gz with both starts, the state, parsed diagnostics, config, host facts and a README', async () => {
    const file = await writeDiagnosticBundle({
      dir,
      name: 'scenario-demo',
      reason: 'exit code: expected 0, observed 1',
      currentLog: CURRENT,
      previousLog: 'the start before\n',
      state: {
        running: false,
        exitCode: 1,
        oomKilled: true,
        error: null,
        restartCount: 2,
        startedAt: null,
        finishedAt: null,
      },
      config: { env: { GRPC_SERVER: '127.0.0.1:9999' } },
      context: { note: 'kept' },
    });
    expect(basename(file)).toMatch(/^scenario-demo-.*\.tar\.gz$/);
    expect((await listBundle(file)).sort()).toEqual(
      [
        '',
        'README.txt',
        'collector.log',
        'collector.previous.log',
        'config.json',
        'container-state.json',
        'context.json',
        'diagnostics.json',
        'host.json',
      ]
        .map((f) => `scenario-demo/${f}`)
        .sort(),
    );
    const out = mkdtempSync(join(dir, 'x-'));
    await tar.x({ file, cwd: out });
    const root = join(out, 'scenario-demo');
    expect(readFileSync(join(root, 'collector.log'), 'utf8')).toBe(CURRENT);
    expect(readFileSync(join(root, 'collector.previous.log'), 'utf8')).toBe('the start before\n');
    expect(JSON.parse(readFileSync(join(root, 'container-state.json'), 'utf8'))).toMatchObject({
      exitCode: 1,
      oomKilled: true,
      restartCount: 2,
    });
    expect(JSON.parse(readFileSync(join(root, 'diagnostics.json'), 'utf8'))).toMatchObject({
      connected: false,
      fatal: 'Unable to connect to Sensor.',
      format: 'new',
      sensorAddress: '127.0.0.1:9999',
    });
    expect(JSON.parse(readFileSync(join(root, 'config.json'), 'utf8'))).toEqual({
      env: { GRPC_SERVER: '127.0.0.1:9999' },
    });
    const host = JSON.parse(readFileSync(join(root, 'host.json'), 'utf8'));
    expect(host).toMatchObject({
      kernel: expect.any(String),
      cpus: expect.any(Number),
      memoryBytes: expect.any(Number),
      cgroupVersion: expect.stringMatching(/^v1|v2|none$/),
    });
    expect(host).toHaveProperty('bpftraceVersion');
    expect(host).toHaveProperty('dockerVersion');
    const readme = readFileSync(join(root, 'README.txt'), 'utf8');
    expect(readme).toContain('exit code: expected 0, observed 1');
    for (const f of [
      'collector.log',
      'collector.previous.log',
      'container-state.json',
      'diagnostics.json',
      'config.json',
      'host.json',
    ])
      expect(readme).toContain(f);
  });

  it('leaves out the previous log when there was no previous start', async () => {
    const file = await writeDiagnosticBundle({
      dir,
      name: 'first-start',
      reason: 'r',
      currentLog: '',
      config: null,
      host: {} as never,
    });
    const names = await listBundle(file);
    expect(names).toContain('first-start/collector.log');
    expect(names).not.toContain('first-start/collector.previous.log');
    expect(names).not.toContain('first-start/context.json');
  });
});

describe('cgroupVersion', () => {
  it('tells v2, v1 and none from /proc/self/mounts', () => {
    expect(cgroupVersion('cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n')).toBe('v2');
    expect(cgroupVersion('cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n')).toBe('v1');
    expect(cgroupVersion('proc /proc proc rw 0 0\n')).toBe('none');
    // hybrid: v1 controllers plus a cgroup2 mount below the root count as v1 (v1 accounts memory there)
    const hybrid = 'cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\ncgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n';
    expect(cgroupVersion(hybrid)).toBe('v1');
  });
});
