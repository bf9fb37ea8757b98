import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cgroupReaderForPid, locateCgroup, parseProcCgroup } from '../../src/sampling/cgroup.js';
import { RuntimeError } from '../../src/errors.js';

const ID = '24604a00c087e1f35a63358998c895c0af66ab33f487579c399ee391232079cc';

// As read on this machine (cgroup v1, cgroupfs driver, hybrid cgroup2 at /sys/fs/cgroup/unified).
const V1_PROC_CGROUP = [
  `9:name=systemd:/docker/${ID}`,
  `8:pids:/docker/${ID}`,
  `4:memory:/docker/${ID}`,
  `3:cpuset:/docker/${ID}`,
  `2:cpuacct:/docker/${ID}`,
  `1:cpu:/docker/${ID}`,
  `0::/docker/${ID}`,
  '',
].join('\n');

const V1_MEMORY_STAT = [
  'cache 8192',
  'rss 57344',
  'inactive_file 4096',
  'active_file 8192',
  'hierarchical_memory_limit 9223372036854771712',
  'total_cache 41943040',
  'total_rss 209715200',
  'total_inactive_anon 53248',
  'total_active_anon 4096',
  'total_inactive_file 31457280',
  'total_active_file 10485760',
  '',
].join('\n');

const V2_MEMORY_STAT = [
  'anon 157286400',
  'file 52428800',
  'kernel_stack 65536',
  'active_anon 157286400',
  'inactive_anon 0',
  'active_file 20971520',
  'inactive_file 31457280',
  '',
].join('\n');

let dir: string;
const put = (rel: string, text: string) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-cgroup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('parseProcCgroup', () => {
  it('maps every v1 controller to its path and keeps the 0:: line as the unified path', () => {
    const p = parseProcCgroup(V1_PROC_CGROUP);
    expect(p.v1.get('cpuacct')).toBe(`/docker/${ID}`);
    expect(p.v1.get('memory')).toBe(`/docker/${ID}`);
    expect(p.v1.get('name=systemd')).toBe(`/docker/${ID}`);
    expect(p.unified).toBe(`/docker/${ID}`);
  });

  it('splits co-mounted controllers and keeps colons inside paths', () => {
    const p = parseProcCgroup('3:cpu,cpuacct:/kubepods/pod:x/abc\n0::/\n');
    expect(p.v1.get('cpu')).toBe('/kubepods/pod:x/abc');
    expect(p.v1.get('cpuacct')).toBe('/kubepods/pod:x/abc');
    expect(p.unified).toBe('/');
  });
});

describe('cgroup v1 (fixtures)', () => {
  beforeEach(() => {
    put('proc/4242/cgroup', V1_PROC_CGROUP);
    put(`cg/cpuacct/docker/${ID}/cpuacct.usage`, '1043025764\n');
    put(`cg/memory/docker/${ID}/memory.usage_in_bytes`, '262144000\n');
    put(`cg/memory/docker/${ID}/memory.stat`, V1_MEMORY_STAT);
    // the hybrid cgroup2 mount has the same path but no memory controller
    put(`cg/unified/docker/${ID}/cpu.stat`, 'usage_usec 1\n');
  });

  it('detects v1 on a hybrid host and locates cpuacct and memory directories', () => {
    const loc = locateCgroup(4242, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') });
    expect(loc).toEqual({
      version: 'v1',
      cpuDir: join(dir, 'cg/cpuacct/docker', ID),
      memoryDir: join(dir, 'cg/memory/docker', ID),
    });
  });

  it('reads cpuacct.usage as ns and the working set as usage - total_inactive_file', () => {
    const r = cgroupReaderForPid(4242, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') });
    expect(r.version).toBe('v1');
    expect(r.read()).toEqual({
      cpuNs: 1043025764,
      memoryUsage: 262144000,
      workingSet: 262144000 - 31457280,
      rss: 209715200,
    });
    r.close();
  });

  it('sees new values on every read through the descriptors it keeps open', () => {
    const r = cgroupReaderForPid(4242, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') });
    r.read();
    put(`cg/cpuacct/docker/${ID}/cpuacct.usage`, '2043025764\n');
    expect(r.read().cpuNs).toBe(2043025764);
    r.close();
  });

  it('finds cpuacct co-mounted as cpu,cpuacct (systemd hosts)', () => {
    rmSync(join(dir, 'cg/cpuacct'), { recursive: true });
    put(`cg/cpu,cpuacct/docker/${ID}/cpuacct.usage`, '5\n');
    const loc = locateCgroup(4242, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') });
    expect(loc.cpuDir).toBe(join(dir, 'cg/cpu,cpuacct/docker', ID));
  });

  it('never reports a negative working set when inactive file exceeds usage', () => {
    put(`cg/memory/docker/${ID}/memory.usage_in_bytes`, '1000\n');
    const r = cgroupReaderForPid(4242, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') });
    expect(r.read().workingSet).toBe(0);
    r.close();
  });

  it('names the file and key when memory.stat lacks total_inactive_file', () => {
    put(`cg/memory/docker/${ID}/memory.stat`, 'cache 1\ntotal_rss 2\n');
    const r = cgroupReaderForPid(4242, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') });
    expect(() => r.read()).toThrow(/memory\.stat: key "total_inactive_file" is missing/);
    r.close();
  });

  it('fails with RuntimeError naming the paths when the cgroup directory is gone', () => {
    rmSync(join(dir, 'cg/memory'), { recursive: true });
    expect(() => locateCgroup(4242, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') })).toThrow(RuntimeError);
    expect(() => locateCgroup(4242, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') })).toThrow(
      /memory\.usage_in_bytes is missing/,
    );
  });

  it('fails with RuntimeError naming /proc/<pid>/cgroup for an unknown pid', () => {
    expect(() => locateCgroup(999, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') })).toThrow(
      /proc\/999\/cgroup: cannot read/,
    );
  });
});

describe('cgroup v2 (fixtures)', () => {
  const path = `/system.slice/docker-${ID}.scope`;
  beforeEach(() => {
    put('proc/77/cgroup', `0::${path}\n`);
    put('cg/cgroup.controllers', 'cpuset cpu io memory pids\n');
    put(`cg${path}/cpu.stat`, 'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\nnr_periods 0\n');
    put(`cg${path}/memory.current`, '220200960\n');
    put(`cg${path}/memory.stat`, V2_MEMORY_STAT);
  });

  it('detects v2 and reads usage_usec as ns, working set as memory.current - inactive_file, rss as anon', () => {
    const r = cgroupReaderForPid(77, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') });
    expect(r.version).toBe('v2');
    expect(r.cpuDir).toBe(join(dir, 'cg', path));
    expect(r.read()).toEqual({
      cpuNs: 2_500_000_000,
      memoryUsage: 220200960,
      workingSet: 220200960 - 31457280,
      rss: 157286400,
    });
    r.close();
  });

  it('refuses a unified path whose directory has no memory controller files', () => {
    rmSync(join(dir, `cg${path}/memory.current`));
    expect(() => locateCgroup(77, { root: join(dir, 'cg'), procRoot: join(dir, 'proc') })).toThrow(/memory\.current/);
  });
});
