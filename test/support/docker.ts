/**
 * Docker for the test suites: a real engine, started here when none answers (and stopped by pid
 * after the whole run, by test/support/docker-engine.global.ts). With
 * COLLECTOR_BENCH_REQUIRE_DOCKER=1 (set by .ci/run) a missing engine fails the suite instead of
 * skipping it, so CI can never pass by silently not testing the Docker paths.
 */
import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const ensureScript = fileURLToPath(new URL('../../scripts/ensure-docker.mjs', import.meta.url));

export const dockerRequired = process.env.COLLECTOR_BENCH_REQUIRE_DOCKER === '1';

let cached: Promise<Docker | null> | undefined;

async function answers(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

/** Returns a client for a live engine, starting dockerd when possible; null when there is none and it is not required. */
export function ensureDocker(): Promise<Docker | null> {
  cached ??= (async () => {
    const docker = new Docker();
    if (await answers(docker)) return docker;
    try {
      // The script prints the pid of a daemon it started; the global setup stops it after the run.
      const pid = execFileSync(process.execPath, [ensureScript], {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 90_000,
        encoding: 'utf8',
      }).trim();
      if (/^\d+$/.test(pid)) writeFileSync(inject('dockerPidFile'), pid);
    } catch (e) {
      if (dockerRequired)
        throw new Error(`Docker is required (COLLECTOR_BENCH_REQUIRE_DOCKER=1) but could not be started: ${String(e)}`);
      return null;
    }
    if (await answers(docker)) return docker;
    if (dockerRequired)
      throw new Error('Docker is required (COLLECTOR_BENCH_REQUIRE_DOCKER=1) but the engine does not answer');
    return null;
  })();
  return cached;
}

/** Labels every test container carries, so a sweep can find leftovers. */
export const TEST_LABELS = { 'collector-bench': '1', 'collector-bench.test': '1' };
