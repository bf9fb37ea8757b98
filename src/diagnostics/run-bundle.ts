/**
 * The diagnostic bundle of an invalid benchmark run, written next to the run's logs. The previous
 * start is the collector of the run before (its log file in the same folder), which is what a
 * person comparing "it worked, then it did not" wants beside the failing start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Run } from '../contracts/result.js';
import type { Config } from '../config/schema.js';
import type { ExitInfo, StartSpec, StateInfo } from '../runtime/types.js';
import { writeDiagnosticBundle } from './bundle.js';

/** What the bundle records of the run's setting (the run protocol's context has these fields). */
export interface RunBundleContext {
  config: Config;
  collector: { image: string | null; method: string; spec: StartSpec };
  logsDir: string;
}

export async function writeRunBundle(
  ctx: RunBundleContext,
  run: Run,
  currentLog: string,
  state: StateInfo | ExitInfo | null,
): Promise<string> {
  const runNo = run.index + 1;
  const previousFile = join(ctx.logsDir, `run-${runNo - 1}-collector.log`);
  const previousLog = runNo > 1 && existsSync(previousFile) ? readFileSync(previousFile, 'utf8') : null;
  const { samples: _samples, ...runRecord } = run;
  return writeDiagnosticBundle({
    dir: ctx.logsDir,
    name: `run-${runNo}-diagnostics`,
    reason: `run ${runNo} is invalid: ${run.invalidReason ?? 'unknown reason'}`,
    currentLog,
    previousLog,
    state,
    config: {
      collector: {
        image: ctx.collector.image,
        method: ctx.collector.method,
        argv: ctx.collector.spec.argv ?? null,
        env: ctx.collector.spec.env ?? {},
        privileged: ctx.collector.spec.privileged ?? false,
        capabilities: ctx.collector.spec.capabilities ?? [],
        mounts: ctx.collector.spec.mounts ?? [],
        hostPid: ctx.collector.spec.hostPid ?? false,
        network: ctx.collector.spec.network ?? null,
      },
      benchmark: ctx.config,
    },
    context: { run: { ...runRecord, samples: run.samples.length } },
  });
}
