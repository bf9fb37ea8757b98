import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, LOOPBACK, portRange } from '../../src/runtime/free-port.js';

describe('a free loopback port for what the harness starts beside itself', () => {
  it('lies below the kernel ephemeral range, where no outgoing connection can be given it', async () => {
    const { high } = portRange();
    for (let i = 0; i < 20; i++) {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThanOrEqual(high);
    }
  });

  it('is never the same twice in one process, so two ports asked in a row can both be bound', async () => {
    const ports = await Promise.all(Array.from({ length: 30 }, () => freePort()));
    expect(new Set(ports).size).toBe(30);
  });

  it('can be bound right after it is returned', async () => {
    const port = await freePort();
    const srv = createServer();
    await new Promise<void>((resolveListen, reject) => {
      srv.once('error', reject);
      srv.listen(port, LOOPBACK, () => resolveListen());
    });
    await new Promise<void>((resolveClose) => srv.close(() => resolveClose()));
  });

  it("follows the kernel's own range setting, and Linux's default where it cannot be read", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'port-range-'));
    const file = path.join(dir, 'ip_local_port_range');
    writeFileSync(file, '40000\t60999\n');
    expect(portRange(file)).toEqual({ low: 20_000, high: 39_999 });
    expect(portRange(path.join(dir, 'missing'))).toEqual({ low: 20_000, high: 32_767 });
    writeFileSync(file, '1024\t65000\n'); // a range that leaves nothing below it: the default
    expect(portRange(file)).toEqual({ low: 20_000, high: 32_767 });
    rmSync(dir, { recursive: true, force: true });
  });
});
