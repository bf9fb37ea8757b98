/** What machine and software a result was measured on: the basis of baseline environment keys. */
import os from 'node:os';
import type { Environment } from '../contracts/result.js';
import { cgroupVersion, osName } from '../diagnostics/host-facts.js';
import type { Runtime } from '../runtime/types.js';

export async function gatherEnvironment(
  runtime: Runtime,
  collector: { method: string; image: string | null; imageId: string | null },
): Promise<Environment> {
  return {
    kernel: os.release(),
    os: osName(),
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    arch: os.arch(),
    runtime: { kind: runtime.kind, version: await runtime.version() },
    collectionMethod: collector.method,
    collectorImage: collector.image,
    collectorImageId: collector.imageId,
    cgroupVersion: cgroupVersion(),
  };
}
