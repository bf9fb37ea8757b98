/**
 * Finding the core_bpf driver as the real collector finds its kernel object: first local storage
 * (`<dir>/collector-<kernel>.bt` or `.bt.gz`), then a download from the Sensor's HTTP endpoint
 * `GET http://<sensor-http>/kernel-objects/<module-version>/collector-<kernel>.bt.gz`, retried
 * at a fixed interval until the attempt count or the total deadline runs out. Failures are logged
 * as throttled warnings so a long retry loop does not flood the log.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CollectorConfig } from '../config.js';
import type { Logger } from '../log.js';

export interface ObtainedDriver {
  path: string;
  source: 'local' | 'download';
  /** A temporary folder this module created for the driver; the caller removes it on exit. */
  tempDir: string | null;
}

export function driverFileName(kernelVersion: string): string {
  return `collector-${kernelVersion}.bt`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function moduleDir(cfg: Pick<CollectorConfig, 'moduleDir'>): { dir: string; temp: boolean } {
  if (cfg.moduleDir) {
    fs.mkdirSync(cfg.moduleDir, { recursive: true });
    return { dir: cfg.moduleDir, temp: false };
  }
  return { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'ref-collector-module-')), temp: true };
}

function findLocal(dir: string, name: string): { file: string; gz: boolean } | null {
  for (const [file, gz] of [
    [path.join(dir, name), false],
    [path.join(dir, `${name}.gz`), true],
  ] as const) {
    try {
      if (fs.statSync(file).isFile()) return { file, gz };
    } catch {
      // not there
    }
  }
  return null;
}

function describeFetchError(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'request timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

export async function obtainDriver(
  cfg: Pick<
    CollectorConfig,
    | 'moduleVersion'
    | 'kernelVersion'
    | 'localDriversDir'
    | 'moduleDir'
    | 'sensorHttp'
    | 'downloadRetries'
    | 'downloadIntervalMs'
    | 'downloadTimeoutS'
    | 'throttleS'
  >,
  log: Logger,
  signal: AbortSignal,
): Promise<ObtainedDriver | null> {
  const name = driverFileName(cfg.kernelVersion);
  log.info(`Module version: ${cfg.moduleVersion}`);
  log.info('Attempting to find kernel module - Candidate kernel versions:');
  log.info(cfg.kernelVersion);

  const { dir, temp } = moduleDir(cfg);
  const tempDir = temp ? dir : null;
  const dest = path.join(dir, 'collector.bt');
  const local = findLocal(cfg.localDriversDir, name);
  if (local) {
    log.info(`Found kernel object in local storage: ${local.file}`);
    if (!local.gz) return { path: local.file, source: 'local', tempDir };
    try {
      fs.writeFileSync(dest, gunzipSync(fs.readFileSync(local.file)));
      log.info(`Successfully decompressed ${dest}`);
      return { path: dest, source: 'local', tempDir };
    } catch (e) {
      log.warn(`Unable to decompress ${local.file}: ${(e as Error).message}`);
    }
  } else {
    log.info(`Local storage does not contain ${name}`);
  }

  const url = `http://${cfg.sensorHttp}/kernel-objects/${cfg.moduleVersion}/${name}.gz`;
  log.info(`Attempting to download kernel object from ${url}`);
  const deadline = Date.now() + cfg.downloadTimeoutS * 1000;
  let attempts = 0;
  while (attempts < cfg.downloadRetries && !signal.aborted) {
    attempts += 1;
    const remainingMs = deadline - Date.now();
    try {
      const res = await fetch(url, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(100, Math.min(remainingMs, 30_000)))]),
      });
      if (res.status === 200) {
        const body = Buffer.from(await res.arrayBuffer());
        fs.writeFileSync(dest, gunzipSync(body));
        log.info(`Successfully downloaded and decompressed ${dest}`);
        return { path: dest, source: 'download', tempDir };
      }
      await res.body?.cancel();
      log.throttledWarn('driver-download', cfg.throttleS, `Unexpected HTTP request failure (HTTP ${res.status})`);
    } catch (e) {
      if (signal.aborted) break;
      log.throttledWarn('driver-download', cfg.throttleS, `Unexpected HTTP request failure (${describeFetchError(e)})`);
    }
    if (attempts >= cfg.downloadRetries || Date.now() + cfg.downloadIntervalMs > deadline) break;
    await sleep(cfg.downloadIntervalMs, signal);
  }
  log.warn(`Attempted to download ${name}.gz ${attempts} time(s)`);
  log.warn(`Failed to download from ${name}.gz`);
  log.warn(`Unable to download kernel object ${name} to ${dest}.gz`);
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  return null;
}
