import { describe, expect, it } from 'vitest';
import { envKey, kernelLine } from '../../src/contracts/env-key.js';
import { InvalidInputError } from '../../src/errors.js';
import { STORE_ENV, STORE_ENV_KEY } from '../support/result-files.js';

describe('envKey', () => {
  it('joins kernel major.minor, collection method, cpus and arch by default', () => {
    expect(envKey(STORE_ENV)).toBe(STORE_ENV_KEY);
  });

  it('ignores the kernel patch level and build suffix (same kernel line, same key)', () => {
    expect(envKey({ ...STORE_ENV, kernel: '6.18.7-200.fc43.x86_64' })).toBe(STORE_ENV_KEY);
    expect(envKey({ ...STORE_ENV, kernel: '5.15.0-91-generic' })).toBe('linux-5.15_core_bpf_2cpu_x86_64');
  });

  it('uses the fields given, in the order given', () => {
    expect(envKey(STORE_ENV, ['arch', 'cpus'])).toBe('x86_64_2cpu');
    expect(envKey(STORE_ENV, ['kernel', 'collectionMethod', 'runtime', 'cgroupVersion'])).toBe(
      'linux-6.18_core_bpf_docker_cgroup-v1',
    );
  });

  it('makes unsafe characters path-safe so the key is one path segment', () => {
    const key = envKey({ ...STORE_ENV, collectionMethod: 'ebpf / ../x', arch: 'arm64 v8', os: 'Ubuntu 24.04 LTS' }, [
      'collectionMethod',
      'arch',
      'os',
    ]);
    expect(key).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(key).not.toContain('..');
    expect(key).toBe('ebpf-.-x_arm64-v8_ubuntu-24.04-lts');
  });

  it('keeps a kernel string without a version number, sanitised', () => {
    expect(kernelLine('unknown kernel')).toBe('linux-unknown-kernel');
  });

  it('refuses an empty or unknown field list', () => {
    expect(() => envKey(STORE_ENV, [])).toThrow(InvalidInputError);
    expect(() => envKey(STORE_ENV, ['kernel', 'colour' as never])).toThrow(/colour/);
  });
});
