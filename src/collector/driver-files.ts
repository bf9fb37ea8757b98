/**
 * Harness-side helpers for the built-in core_bpf driver (src/collector/driver/collector.bt):
 * where it is, and how to lay it out in a mock sensor's kernel-object folder. Not used by the
 * collector at runtime (the bundle reads drivers only from env-configured paths or the Sensor).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { driverFileName } from './startup/driver-fetch.js';

export { driverFileName };

/** Absolute path of the built-in driver program in the source tree. */
export function builtInDriverPath(): string {
  return fileURLToPath(new URL('./driver/collector.bt', import.meta.url));
}

/**
 * Writes `<objectsDir>/<moduleVersion>/collector-<kernelVersion>.bt.gz` from `source` (default the
 * built-in driver) and returns its path. `source` may be program text to serve a custom driver.
 */
export function writeDriverForSensor(
  objectsDir: string,
  moduleVersion: string,
  kernelVersion: string,
  source: { text: string } | { file: string } = { file: builtInDriverPath() },
): string {
  const dir = path.join(objectsDir, moduleVersion);
  fs.mkdirSync(dir, { recursive: true });
  const text = 'text' in source ? Buffer.from(source.text) : fs.readFileSync(source.file);
  const out = path.join(dir, `${driverFileName(kernelVersion)}.gz`);
  fs.writeFileSync(out, gzipSync(text));
  return out;
}
