/** Which collection method the reference collector gets, and what a newcomer is told about it. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';

const execFileP = promisify(execFile);
const bpftrace = ['/usr/bin/bpftrace', '/usr/sbin/bpftrace', '/usr/local/bin/bpftrace'].find((p) => existsSync(p));

describe('a machine where bpftrace cannot run', () => {
  // bpftrace is hidden in a private mount namespace (bound over by /dev/null), so the real CLI sees
  // a machine without a working bpftrace, as a newcomer's laptop VM might be; nothing outside changes.
  it.skipIf(!bpftrace || process.getuid?.() !== 0)(
    'runs the procfs method and says in one line why process loss reads near 100% and what gives the real benchmark',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cb-procfs-'));
      try {
        const script = `mount --bind /dev/null ${bpftrace} && exec "$@"`;
        const args = ['run', '--runtime', 'process', '--runs', '1', '--warmup-runs', '0', '--load-seconds', '2'];
        const { stderr } = await execFileP(
          'unshare',
          ['-m', 'sh', '-c', script, 'sh', process.execPath, CLI, ...args, '--ramp-seconds', '0', '--no-compare'],
          { cwd: dir, timeout: 120_000, env: { ...process.env, COLLECTOR_BENCH_OUT: join(dir, 'r.json') } },
        ).catch((e: { stderr: string }) => ({ stderr: e.stderr }));
        expect(stderr).toMatch(/collection method procfs \(bpftrace cannot attach/);
        expect(stderr).toMatch(/misses processes shorter than its 200 ms poll.*npm run setup-host/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    150_000,
  );
});
