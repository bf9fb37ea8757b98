/**
 * The mock sensor of a benchmark, started before the collector so the collector can connect,
 * download its driver (the reference collector's bpftrace program, served like a kernel object)
 * and stream its signals, as it would with a real Sensor. It runs whenever `sensor.enabled`,
 * whatever the delivery check: the reference collector needs it for its driver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDriverForSensor } from '../../collector/driver-files.js';
import type { Config } from '../../config/schema.js';
import { BenchError, RuntimeError } from '../../errors.js';
import { MockSensor } from '../../sensor/mock-sensor.js';

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
  writeDriverForSensor(dir, moduleVersion, kernel);
  return dir;
}

export interface BenchSensor {
  sensor: MockSensor;
  stop(): Promise<void>;
}

/** Starts the mock sensor at the configured addresses; a port in use is a runtime error saying what to change. */
export async function startBenchSensor(config: Config): Promise<BenchSensor> {
  const grpc = hostPort(config.sensor.grpcAddress);
  const http = hostPort(config.sensor.httpAddress);
  const objectsDir = prepareKernelObjects();
  const sensor = new MockSensor({
    grpcHost: grpc.host,
    grpcPort: grpc.port,
    httpHost: http.host,
    httpPort: http.port,
    objectsDir,
  });
  try {
    await sensor.start();
  } catch (e) {
    rmSync(objectsDir, { recursive: true, force: true });
    if (e instanceof BenchError && /EADDRINUSE/.test(e.message)) {
      throw new RuntimeError(
        `${e.message}. Another process holds that port: stop it, or move the mock sensor with sensor.grpcAddress / sensor.httpAddress in the config (and the collector's GRPC_SERVER with it).`,
        e.context,
        { cause: e },
      );
    }
    throw e;
  }
  return {
    sensor,
    stop: async () => {
      await sensor.stop();
      rmSync(objectsDir, { recursive: true, force: true });
    },
  };
}
