import { describe, expect, it } from 'vitest';
import { exitDetail, exitSignal } from '../../src/contracts/exit.js';

describe('how an exit is described', () => {
  it('gives the exit code of a program that ended on its own', () => {
    expect(exitDetail({ exitCode: 1 })).toBe('with code 1');
    expect(exitSignal({ exitCode: 0 })).toBeNull();
  });

  it('names the signal of a local process killed by one (Node reports no exit code)', () => {
    expect(exitDetail({ exitCode: null, signal: 'SIGSEGV' })).toBe('on signal SIGSEGV');
  });

  it("names the signal behind a container's 128 + n exit code, and an OOM kill", () => {
    expect(exitDetail({ exitCode: 137 })).toBe('with code 137 (SIGKILL)');
    expect(exitDetail({ exitCode: 139 })).toBe('with code 139 (SIGSEGV)');
    expect(exitDetail({ exitCode: 137, oomKilled: true })).toBe('with code 137 (SIGKILL, OOM killed)');
  });

  it('says when there is no exit code at all, with the engine error', () => {
    expect(exitDetail({ exitCode: null, error: 'container vanished' })).toBe('with no exit code (container vanished)');
  });
});
