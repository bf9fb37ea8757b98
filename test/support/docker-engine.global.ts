/**
 * Vitest global setup: the owner of a Docker engine that the suites start themselves. A suite that
 * finds no engine answering starts dockerd (test/support/docker.ts) and writes its pid to the file
 * provided here; the teardown stops that daemon by pid once every suite has run, so `npm test` on
 * a machine without a running engine leaves none behind. An engine that was already answering is
 * never touched: no pid is written for it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { alive } from './processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerPidFile: string;
  }
}

/** SIGTERM, then up to 30 s for dockerd to stop its containers and exit; SIGKILL after that. */
async function stop(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'cb-test-engine-'));
  const pidFile = join(dir, 'dockerd.pid');
  project.provide('dockerPidFile', pidFile);
  return async () => {
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
    if (Number.isInteger(pid) && pid > 1) await stop(pid);
    rmSync(dir, { recursive: true, force: true });
  };
}
