/**
 * The mock sensor in a benchmark: started before the collector so the collector can connect,
 * download its driver (the reference collector's bpftrace program, served like a kernel object)
 * and stream its signals, as it would with a real Sensor.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, release } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Runtime } from '../runtime/types.js';
import { REPO_ROOT } from '../runtime/images.js';
import { MockSensor } from '../sensor/index.js';
import type { RunHooks } from './run-once.js';

export const DEFAULT_MODULE_VERSION = '1.0.0';

function hostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(text.slice(i + 1)) };
}

/**
 * A kernel-objects folder as a Sensor would serve it: `<module version>/collector-<kernel>.bt`,
 * made from the reference collector's driver programs for this host's kernel.
 */
export function prepareKernelObjects(moduleVersion = DEFAULT_MODULE_VERSION, kernel = release()): string {
  const dir = mkdtempSync(join(tmpdir(), 'collector-bench-kernel-objects-'));
  const driverDir = join(REPO_ROOT, 'src/collector/driver');
  mkdirSync(join(dir, moduleVersion), { recursive: true });
  if (existsSync(driverDir)) {
    for (const f of readdirSync(driverDir).filter((n) => n.endsWith('.bt'))) {
      const stem = f.replace(/\.bt$/, '');
      copyFileSync(join(driverDir, f), join(dir, moduleVersion, `${stem}-${kernel}.bt`));
    }
  }
  return dir;
}

export async function setupSensor(ctx: { runtime: Runtime; config: Config }): Promise<{ hooks?: RunHooks; stop(): Promise<void> } | undefined> {
  if (!ctx.config.sensor.enabled) return undefined;
  const grpc = hostPort(ctx.config.sensor.grpcAddress);
  const http = hostPort(ctx.config.sensor.httpAddress);
  const objectsDir = prepareKernelObjects();
  const sensor = new MockSensor({ grpcHost: grpc.host, grpcPort: grpc.port, httpHost: http.host, httpPort: http.port, objectsDir });
  await sensor.start();
  return {
    stop: async () => {
      await sensor.stop();
      rmSync(objectsDir, { recursive: true, force: true });
    },
  };
}
