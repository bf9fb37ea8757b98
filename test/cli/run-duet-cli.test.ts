/**
 * `run --duet`: both A/B arms at once on one workload, as a user runs it (the real CLI, the process
 * runtime, the reference collector, tiny windows). Each arm has its own collector process, sampler,
 * mock sensor and ports; an agent whose ports cannot be moved runs interleaved instead, saying why.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abPairs } from '../../src/contracts/ab.js';
import { ResultFileSchema, type ResultFile } from '../../src/contracts/result.js';
import { EXIT_CODES } from '../../src/errors.js';
import { execsnoopMissing } from '../../src/runtime/execsnoop-image.js';
import { freePort } from '../../src/runtime/free-port.js';
import { runCli, TINY_PROCESS_RUN, TINY_RUN } from '../support/cli.js';
import { ensureDocker } from '../support/docker.js';
import { bpftraceWorks } from '../support/bpf.js';

const docker = await ensureDocker();

const AB = ['run', '--candidate-env', 'REF_COLLECTOR_WORK_FACTOR=1'];

/** A config on ports nobody else uses, so the test does not depend on 8080/9090/9999 being free. */
async function configOnFreePorts(dir: string, collector: string[] = []): Promise<string> {
  const [ready, metrics, grpc, http] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const file = join(dir, 'bench.config.yaml');
  writeFileSync(
    file,
    [
      'collector:',
      ...collector,
      '  readiness:',
      '    http:',
      `      url: http://127.0.0.1:${ready}/ready`,
      `  metricsUrl: ${collector.length ? 'null' : `http://127.0.0.1:${metrics}/metrics`}`,
      'sensor:',
      `  grpcAddress: 127.0.0.1:${grpc}`,
      `  httpAddress: 127.0.0.1:${http}`,
      '',
    ].join('\n'),
  );
  return file;
}

const read = (file: string): ResultFile => ResultFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

describe('run --duet refuses what a duet cannot do', () => {
  it(`with --overhead: exit ${EXIT_CODES.badInput}, naming both flags`, async () => {
    const { code, stderr } = await runCli([...AB, ...TINY_PROCESS_RUN, '--duet', '--overhead']);
    expect(code, stderr).toBe(EXIT_CODES.badInput);
    expect(stderr).toContain('flags --overhead and --duet');
  });

  it(`without an A/B flag: exit ${EXIT_CODES.badInput}, saying what it needs`, async () => {
    const { code, stderr } = await runCli(['run', ...TINY_PROCESS_RUN, '--duet']);
    expect(code, stderr).toBe(EXIT_CODES.badInput);
    expect(stderr).toMatch(/--duet.*only with an A\/B run/s);
  });
});

/** A duet session of two pairs with `args`, on free ports; its file, log and comparison report. */
async function duetSession(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'cb-duet-'));
  const out = join(dir, 'result.json');
  const config = await configOnFreePorts(dir);
  const { code, stderr } = await runCli(
    [...AB, '--config', config, ...TINY_PROCESS_RUN, '--runs', '2', '--duet', ...args, '--out', out],
    {},
    300_000,
  );
  expect(code, stderr).toBe(EXIT_CODES.ok);
  const result = read(out);
  const { pairs, dropped } = abPairs(result, out);
  expect(dropped).toEqual([]);
  return { result, pairs, stderr, out };
}

describe('a duet of the reference collector (process runtime)', () => {
  it('writes one A/B file whose pair k holds one run of each arm, both in the same load window, each sampled and checked on its own', async () => {
    const { result, pairs, stderr, out } = await duetSession([]);
    expect(result.mode).toBe('ab');
    expect(result.config.ab).toMatchObject({ design: 'duet', designReason: null, runsPerArm: 2 });
    expect(pairs.map((p) => p.pair)).toEqual([1, 2]);
    for (const { baseline, candidate } of pairs) {
      expect(candidate.loadWindow).toEqual(baseline.loadWindow);
      // One workload set for both: the same report in each run.
      expect(candidate.workloads).toEqual(baseline.workloads);
      // Each arm's canary reached its own mock sensor.
      expect(baseline.canaryLatencyMs).toBeGreaterThan(0);
      expect(candidate.canaryLatencyMs).toBeGreaterThan(0);
      expect(baseline.logsFile).not.toBe(candidate.logsFile);
      // Each arm's counters from its own metrics port.
      expect(baseline.collectorMetrics.events).toBeGreaterThan(0);
      expect(candidate.collectorMetrics.events).toBeGreaterThan(0);
    }
    // Start order alternates: pair 1 starts the baseline first, pair 2 the candidate.
    expect(result.runs.map((r) => r.arm)).toEqual(['baseline', 'candidate', 'candidate', 'baseline']);
    // Each arm's CPU from its own process tree.
    const sources = [...stderr.matchAll(/sampling the collector \(arm (\d)\) from local process (\d+)/g)];
    expect(sources.map((m) => m[1]).sort()).toEqual(['1', '2']);
    expect(sources[0][2]).not.toBe(sources[1][2]);
    expect(stderr).toMatch(/duet: both arms at once on one workload/);
    // The comparison says which design decided.
    expect(stderr).toMatch(/decided by A\/B mode: paired t-test on 2 duet pairs \(both arms at once\)/);
    const md = readFileSync(out.replace(/\.json$/, '.comparison.md'), 'utf8');
    expect(md).toMatch(/2 duet pairs \(both arms at once\)/);
    expect(md).toMatch(/Host and harness CPU are shared by both arms and attributed to neither/);
  }, 320_000);
});

describe.skipIf(!docker)('a duet of the reference collector in containers', () => {
  it("samples each arm's CPU and memory from its own container's cgroup, in one load window per pair", async () => {
    const { pairs, stderr } = await duetSession(['--runtime', 'docker', '--no-compare']);
    const sources = [...stderr.matchAll(/sampling the collector \(arm (\d)\) from cgroup v\d at (\S+)/g)];
    expect(sources.map((m) => m[1]).sort()).toEqual(['1', '2']);
    expect(sources[0][2]).not.toBe(sources[1][2]);
    for (const { baseline, candidate } of pairs) {
      expect(candidate.loadWindow).toEqual(baseline.loadWindow);
      expect(baseline.summary!.cpuPercent.n).toBeGreaterThanOrEqual(2);
      expect(candidate.summary!.cpuPercent.n).toBeGreaterThanOrEqual(2);
    }
  }, 320_000);
});

describe.skipIf(!bpftraceWorks())('a duet with the core_bpf method', () => {
  it("prices each arm's BPF programs (those its own processes hold) and counts each arm's events at its own sensor", async () => {
    const { pairs } = await duetSession(['--collection-method', 'core_bpf', '--no-compare']);
    for (const { baseline, candidate } of pairs) {
      const ids = (r: typeof baseline) => r.bpf!.programs.map((p) => p.id);
      expect(baseline.bpf!.available, baseline.bpf!.reason ?? '').toBe(true);
      expect(candidate.bpf!.available, candidate.bpf!.reason ?? '').toBe(true);
      expect(ids(baseline).filter((id) => ids(candidate).includes(id))).toEqual([]);
      // Every exec of the one workload reaches both sensors: each arm's loss is its own.
      for (const r of [baseline, candidate])
        expect(r.processLoss!.received).toBeGreaterThan(0.9 * r.processLoss!.spawned);
    }
  }, 320_000);
});

describe.skipIf(!docker)('a duet of a third-party agent (execsnoop, log delivery, no ports)', () => {
  it("checks each arm's delivery in its own container's log: every exec of the one workload shows in both", async () => {
    const missing = execsnoopMissing();
    if (missing) throw new Error(`this test needs execsnoop: ${missing}`);
    const out = join(mkdtempSync(join(tmpdir(), 'cb-duet-execsnoop-')), 'result.json');
    const profile = join(import.meta.dirname, '../../collectors/libbpf-execsnoop.yaml');
    const { code, stderr } = await runCli(
      [
        'run',
        '--config',
        profile,
        '--candidate-env',
        'EXTRA=1',
        ...TINY_RUN,
        '--runs',
        '2',
        '--duet',
        '--no-compare',
        '--out',
        out,
      ],
      {},
      300_000,
    );
    expect(code, stderr).toBe(EXIT_CODES.ok);
    expect(stderr).toContain('arm 1: no ports; arm 2: no ports');
    const result = read(out);
    expect(result.config.ab).toMatchObject({ design: 'duet' });
    const { pairs, dropped } = abPairs(result, out);
    expect(dropped).toEqual([]);
    for (const { baseline, candidate } of pairs) {
      expect(candidate.loadWindow).toEqual(baseline.loadWindow);
      for (const r of [baseline, candidate]) {
        expect(r.canaryLatencyMs).not.toBeNull();
        expect(r.processLoss!.received).toBeGreaterThan(0.9 * r.processLoss!.spawned);
      }
    }
  }, 320_000);
});

describe('a duet in which one arm exits during the window', () => {
  it('makes both runs of the pair invalid: the exit ends the window for the other arm too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-duet-exit-'));
    const agent = join(dir, 'agent.mjs');
    // Binds no port (ready by log line): two instances coexist. The candidate exits 3 s after its start.
    writeFileSync(
      agent,
      "console.log('ready');\n" +
        'if (process.env.EXIT_AFTER_MS) setTimeout(() => process.exit(3), Number(process.env.EXIT_AFTER_MS));\n' +
        'setInterval(() => undefined, 1000);\n',
    );
    const config = join(dir, 'bench.config.yaml');
    writeFileSync(
      config,
      [
        'collector:',
        `  command: [${process.execPath}, ${agent}]`,
        '  readiness: { http: null, logRegex: "^ready$" }',
        '  metricsUrl: null',
        '  delivery: { via: none }',
        'sensor: { enabled: false }',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'result.json');
    const { code, stderr } = await runCli(
      [
        'run',
        '--config',
        config,
        ...TINY_PROCESS_RUN,
        '--candidate-env',
        'EXIT_AFTER_MS=3000',
        '--duet',
        '--no-compare',
        '--out',
        out,
      ],
      {},
      120_000,
    );
    expect(code, stderr).toBe(EXIT_CODES.noValidRun);
    const result = read(out);
    expect(result.config.ab).toMatchObject({ design: 'duet' });
    const [baseline, candidate] = ['baseline', 'candidate'].map((arm) => result.runs.find((r) => r.arm === arm)!);
    expect(candidate.invalidReason).toMatch(/^collector exited during the run with code 3/);
    expect(baseline.valid).toBe(false);
    expect(baseline.invalidReason).toBe(`the load window ended early: arm 2: ${candidate.invalidReason}`);
  }, 140_000);
});

describe('an agent whose ports cannot be moved', () => {
  it('runs interleaved instead, and the file and the comparison say why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-duet-fixed-'));
    const port = await freePort();
    const agent = join(dir, 'agent.mjs');
    // Its readiness port is an argument, not an env value: the harness cannot give a second instance another.
    writeFileSync(
      agent,
      "import http from 'node:http';\n" +
        "http.createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{\"status\":\"ok\"}'); })" +
        ".listen(Number(process.argv[2]), '127.0.0.1');\n",
    );
    const config = await configOnFreePorts(dir, [`  command: [${process.execPath}, ${agent}, "${port}"]`]);
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        /url: http:\/\/127\.0\.0\.1:\d+\/ready/,
        `url: http://127.0.0.1:${port}/ready`,
      ),
    );
    const out = join(dir, 'result.json');
    const { code, stderr } = await runCli(
      [...AB, '--config', config, ...TINY_PROCESS_RUN, '--runs', '2', '--duet', '--delivery', 'none', '--out', out],
      {},
      300_000,
    );
    expect(code, stderr).toBe(EXIT_CODES.ok);
    const reason = `arm 2 cannot run beside arm 1: the agent's port ${port} (collector.readiness.http.url) is in no collector.env value, so two instances on the host network would collide`;
    expect(stderr).toContain(`duet not possible, running the arms interleaved instead: ${reason}`);
    const result = read(out);
    expect(result.config.ab).toMatchObject({ design: 'interleaved', designReason: reason, order: 'ABBA' });
    const { pairs } = abPairs(result, out);
    expect(pairs).toHaveLength(2);
    // One arm after the other: the two windows of a pair do not overlap.
    for (const { baseline: a, candidate: b } of pairs)
      expect(a.loadWindow.endMs <= b.loadWindow.startMs || b.loadWindow.endMs <= a.loadWindow.startMs).toBe(true);
    expect(stderr).toContain(`2 interleaved pairs (a duet was asked for: ${reason})`);
  }, 320_000);
});
