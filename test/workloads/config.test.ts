import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkloadConfig, parseEnvValue, parseWorkloadConfig } from '../../src/workloads/config.js';
import { invalidInputOf } from '../support/errors.js';

const PROCESSES = `restart_interval = 10
[workload]
type = "processes"
arrival_rate = 1.0
departure_rate = 1.0
random_process = true
`;

const errorOf = invalidInputOf;

describe('workload config: the shipped TOML files', () => {
  it('workloads/processes.toml is the collector benchmark anchor, with berserker defaults filled in', () => {
    expect(loadWorkloadConfig('workloads/processes.toml', {})).toEqual({
      restart_interval: 10,
      duration: 60,
      per_core: true,
      workers: 1,
      workload: { type: 'processes', arrival_rate: 200, departure_rate: 200, random_process: true },
    });
  });

  it('workloads/endpoints.toml is the collector benchmark anchor (zipf, 8000 ports, exponent 1.4)', () => {
    expect(loadWorkloadConfig('workloads/endpoints.toml', {})).toEqual({
      restart_interval: 10,
      duration: 60,
      per_core: true,
      workers: 1,
      workload: { type: 'endpoints', distribution: 'zipf', n_ports: 8000, exponent: 1.4 },
    });
  });

  it('workloads/network.toml and workloads/syscalls.toml validate', () => {
    const net = loadWorkloadConfig('workloads/network.toml', {});
    expect(net.workload).toMatchObject({
      type: 'network',
      address: '127.0.0.1',
      conns_per_addr: 100,
      send_interval: 100,
    });
    const sys = loadWorkloadConfig('workloads/syscalls.toml', {});
    expect(sys.workload).toMatchObject({ type: 'syscalls', syscall_nr: 39, tight_loop: false });
  });
});

describe('workload config: berserker defaults', () => {
  it('fills per_core = true, workers = 1, duration = 0', () => {
    const c = parseWorkloadConfig(PROCESSES, 'p.toml', {});
    expect(c).toMatchObject({ per_core: true, workers: 1, duration: 0 });
  });

  it('syscalls default to getpid (39), no tight loop, empty args', () => {
    const c = parseWorkloadConfig(
      'restart_interval = 1\n[workload]\ntype = "syscalls"\narrival_rate = 5.0\n',
      's.toml',
      {},
    );
    expect(c.workload).toEqual({
      type: 'syscalls',
      arrival_rate: 5,
      tight_loop: false,
      syscall_nr: 39,
      syscall_args: '',
    });
  });

  it('network defaults conns_per_addr = 100, send_interval = 100 ms, preempt = false', () => {
    const c = parseWorkloadConfig(
      'restart_interval = 1\n[workload]\ntype = "network"\naddress = "127.0.0.1"\ntarget_port = 9000\narrival_rate = 1.0\ndeparture_rate = 1.0\nconnections_static = 1\nconnections_dyn_max = 2\n',
      'n.toml',
      {},
    );
    expect(c.workload).toMatchObject({ conns_per_addr: 100, send_interval: 100, preempt: false });
    expect((c.workload as { server?: boolean }).server).toBeUndefined();
  });

  it('accepts a uniform endpoints distribution', () => {
    const c = parseWorkloadConfig(
      'restart_interval = 1\n[workload]\ntype = "endpoints"\ndistribution = "uniform"\nlower = 1\nupper = 100\n',
      'e.toml',
      {},
    );
    expect(c.workload).toEqual({ type: 'endpoints', distribution: 'uniform', lower: 1, upper: 100 });
  });
});

describe('workload config: errors name the file, key, value and what is allowed', () => {
  it('missing restart_interval', () => {
    const e = errorOf(() => parseWorkloadConfig(PROCESSES.replace('restart_interval = 10\n', ''), 'wl/p.toml', {}));
    expect(e.message).toContain('wl/p.toml');
    expect(e.message).toContain('"restart_interval"');
    expect(e.message).toContain('(missing)');
    expect(e.message).toContain('a number');
  });

  it('a value of the wrong type', () => {
    const e = errorOf(() =>
      parseWorkloadConfig(PROCESSES.replace('arrival_rate = 1.0', 'arrival_rate = "fast"'), 'p.toml', {}),
    );
    expect(e.message).toMatch(/key "workload\.arrival_rate" has value "fast"; allowed: a number/);
  });

  it('an unknown workload type lists the known ones', () => {
    const e = errorOf(() => parseWorkloadConfig('restart_interval = 1\n[workload]\ntype = "forks"\n', 'f.toml', {}));
    expect(e.message).toContain('"workload.type"');
    expect(e.message).toContain('"forks"');
    for (const t of ['processes', 'endpoints', 'syscalls', 'network']) expect(e.message).toContain(`"${t}"`);
  });

  it('an unknown distribution names both berserker distributions', () => {
    const e = errorOf(() =>
      parseWorkloadConfig(
        'restart_interval = 1\n[workload]\ntype = "endpoints"\ndistribution = "normal"\n',
        'e.toml',
        {},
      ),
    );
    expect(e.message).toContain('"workload.distribution"');
    expect(e.message).toMatch(/"zipf".*"uniform"/);
  });

  it('a misspelt key is reported as unknown, with the allowed keys', () => {
    const e = errorOf(() => parseWorkloadConfig(PROCESSES.replace('arrival_rate', 'arival_rate'), 'p.toml', {}));
    expect(e.message).toContain('"workload.arival_rate"');
    expect(e.message).toContain('arrival_rate, departure_rate, random_process');
  });

  it('a non-loopback network address is refused', () => {
    const toml =
      'restart_interval = 1\n[workload]\ntype = "network"\naddress = "10.0.0.1"\ntarget_port = 80\narrival_rate = 1.0\ndeparture_rate = 1.0\nconnections_static = 1\nconnections_dyn_max = 1\n';
    const e = errorOf(() => parseWorkloadConfig(toml, 'n.toml', {}));
    expect(e.message).toContain('"workload.address" has value "10.0.0.1"');
    expect(e.message).toContain('loopback');
  });

  it('an unsupported syscall lists the supported ones', () => {
    const e = errorOf(() =>
      parseWorkloadConfig(
        'restart_interval = 1\n[workload]\ntype = "syscalls"\narrival_rate = 1.0\nsyscall_nr = 9999\n',
        's.toml',
        {},
      ),
    );
    expect(e.message).toContain('"workload.syscall_nr" has value 9999');
    expect(e.message).toContain('getpid (39)');
  });

  it('uniform needs upper > lower', () => {
    const e = errorOf(() =>
      parseWorkloadConfig(
        'restart_interval = 1\n[workload]\ntype = "endpoints"\ndistribution = "uniform"\nlower = 5\nupper = 3\n',
        'u.toml',
        {},
      ),
    );
    expect(e.message).toContain('"workload.upper" has value 3');
  });

  it('a TOML syntax error gives line and column', () => {
    const e = errorOf(() =>
      parseWorkloadConfig('restart_interval = 10\n[workload\ntype = "processes"\n', 'bad.toml', {}),
    );
    expect(e.message).toMatch(/^bad\.toml:2:\d+: /);
    expect(e.message).toContain('valid TOML');
    expect(e.message).toContain('[workload');
  });

  it('a missing file names the file', () => {
    const e = errorOf(() => loadWorkloadConfig('/nonexistent/w.toml', {}));
    expect(e.message).toContain('/nonexistent/w.toml');
  });
});

describe('workload config: BERSERKER__ environment overrides', () => {
  it('double underscores nest into [workload]; top-level keys override too', () => {
    const c = parseWorkloadConfig(PROCESSES, 'p.toml', {
      BERSERKER__WORKLOAD__ARRIVAL_RATE: '50',
      BERSERKER__WORKLOAD__RANDOM_PROCESS: 'false',
      BERSERKER__DURATION: '10',
      BERSERKER__PER_CORE: 'false',
      BERSERKER__WORKERS: '3',
    });
    expect(c).toMatchObject({ duration: 10, per_core: false, workers: 3 });
    expect(c.workload).toMatchObject({ arrival_rate: 50, random_process: false, departure_rate: 1 });
  });

  it('can switch the workload type and add keys the file lacks', () => {
    const c = parseWorkloadConfig('restart_interval = 1\n[workload]\ntype = "processes"\n', 'p.toml', {
      BERSERKER__WORKLOAD__TYPE: 'syscalls',
      BERSERKER__WORKLOAD__ARRIVAL_RATE: '7.5',
      BERSERKER__WORKLOAD__SYSCALL_NR: 'getuid',
    });
    expect(c.workload).toMatchObject({ type: 'syscalls', arrival_rate: 7.5, syscall_nr: 'getuid' });
  });

  it('ignores variables without the double-underscore prefix', () => {
    const c = parseWorkloadConfig(PROCESSES, 'p.toml', { BERSERKER_STUB: '/bin/true', BERSERKER: 'x' });
    expect(c.workload).toMatchObject({ arrival_rate: 1 });
  });

  it('a bad override names the variable, key and value', () => {
    const e = errorOf(() => parseWorkloadConfig(PROCESSES, 'p.toml', { BERSERKER__WORKLOAD__ARRIVAL_RATE: 'fast' }));
    expect(e.message).toContain('BERSERKER__WORKLOAD__ARRIVAL_RATE');
    expect(e.message).toContain('"workload.arrival_rate" has value "fast"');
  });

  it('an override nesting under a scalar is refused', () => {
    const e = errorOf(() => parseWorkloadConfig(PROCESSES, 'p.toml', { BERSERKER__RESTART_INTERVAL__X: '1' }));
    expect(e.message).toContain('BERSERKER__RESTART_INTERVAL__X');
    expect(e.message).toContain('"restart_interval"');
  });

  it('parses values as number, boolean or string like berserker (try_parsing)', () => {
    expect(parseEnvValue('200')).toBe(200);
    expect(parseEnvValue('1.5')).toBe(1.5);
    expect(parseEnvValue('-2e3')).toBe(-2000);
    expect(parseEnvValue('TRUE')).toBe(true);
    expect(parseEnvValue('false')).toBe(false);
    expect(parseEnvValue('zipf')).toBe('zipf');
    expect(parseEnvValue('127.0.0.1')).toBe('127.0.0.1');
  });

  it('loadWorkloadConfig reads the file then applies the env', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wl-config-'));
    const file = path.join(dir, 'p.toml');
    writeFileSync(file, PROCESSES);
    expect(loadWorkloadConfig(file, { BERSERKER__DURATION: '3' }).duration).toBe(3);
  });
});
