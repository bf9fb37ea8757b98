/**
 * The mock sensor in a benchmark: started before the collector so the collector can connect and
 * stream to it, as it would to a real Sensor.
 */
import type { Config } from '../config/schema.js';
import type { Runtime } from '../runtime/types.js';
import { MockSensor } from '../sensor/index.js';
import type { RunHooks } from './run-once.js';

function hostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(text.slice(i + 1)) };
}

export async function setupSensor(ctx: { runtime: Runtime; config: Config }): Promise<{ hooks?: RunHooks; stop(): Promise<void> } | undefined> {
  if (!ctx.config.sensor.enabled) return undefined;
  const grpc = hostPort(ctx.config.sensor.grpcAddress);
  const http = hostPort(ctx.config.sensor.httpAddress);
  const sensor = new MockSensor({ grpcHost: grpc.host, grpcPort: grpc.port, httpHost: http.host, httpPort: http.port });
  await sensor.start();
  return { stop: () => sensor.stop() };
}
