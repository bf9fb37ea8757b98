/**
 * A run with no collector at all (`--overhead`): the same workloads, sampled the same way, so the
 * measured run beside it has a neighbour that tells what the agent adds to the machine and to the
 * traced processes. It keeps the protocol's timing (a quiet warm-up, then the load window).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Run } from '../contracts/result.js';
import type { Started } from '../runtime/types.js';
import { startHarnessCpu } from '../sampling/harness-cpu.js';
import { meanCpuPercent, startHostSampler, type ContextSampler } from '../sampling/sampler.js';
import { startWorkloadCpu } from '../sampling/workload-cpu.js';
import { emptyRun, type RunContext } from './run-once.js';
import { achievedFromLogs, workloadRunSpec } from './workload-target.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runWithoutAgent(ctx: RunContext, index: number): Promise<Run> {
  const { config, runtime } = ctx;
  const runNo = index + 1;
  const update = (phase: string, secondsLeft?: number) =>
    ctx.progress.update({ run: runNo, runs: ctx.totalRuns, phase: `${phase} (no agent)`, secondsLeft });
  const run: Run = { ...emptyRun(index, false), noAgent: true };
  const loadMs = config.run.loadSeconds * 1000;
  const intervalMs = Math.max(config.run.sampleIntervalMs, 1000);
  const workloads: Started[] = [];
  let host: ContextSampler | null = null;
  try {
    for (let left = config.run.warmupSeconds * 1000; left > 0; left -= 250) {
      update('quiet warm-up', left / 1000);
      await sleep(Math.min(250, left));
    }
    run.loadWindow.startMs = Date.now();
    const harness = startHarnessCpu();
    host = startHostSampler({ intervalMs, t0: run.loadWindow.startMs });
    for (const [i, w] of ctx.workloads.targets.entries())
      workloads.push(await runtime.start(workloadRunSpec(w, i, ctx.workloadSeed, ctx.hooks?.workloadSpec), ctx.log));
    const own = workloads.map((w) => (w.measure.scope === 'cgroup' ? w.pid : null));
    const perWorkload = own.some((p) => p !== null) ? startWorkloadCpu(own, intervalMs, run.loadWindow.startMs) : null;
    for (let left = loadMs; left > 0; left -= 250) {
      update('load', left / 1000);
      await sleep(Math.min(250, left));
    }
    run.loadWindow.endMs = Date.now();
    run.context.harnessCpuPercent = harness.stop();
    run.context.hostCpuPercent = meanCpuPercent(await host.stop(), 0, loadMs);
    host = null;
    const cpu = (await perWorkload?.stop(0, loadMs)) ?? [];
    update('collecting workload reports');
    for (const [i, w] of workloads.entries()) {
      const ended = await Promise.race([w.exited, sleep(5000).then(() => null)]);
      const info = ended ?? (await w.stop(3)).exit;
      run.workloads.push({
        name: ctx.workloads.targets[i].name,
        type: ctx.workloads.targets[i].type,
        achieved: achievedFromLogs(w.logs()),
        exitCode: info.exitCode,
        cpuPercent: cpu[i] ?? null,
      });
    }
    const silent = run.workloads.filter((w) => w.achieved === null).map((w) => w.name);
    run.invalidReason = silent.length ? `workload(s) ${silent.join(', ')} printed no report` : null;
    run.valid = run.invalidReason === null;
    return run;
  } finally {
    update('stopping');
    await host?.stop().catch(() => undefined);
    for (const w of workloads) await w.remove();
    mkdirSync(ctx.logsDir, { recursive: true });
    for (const [i, w] of workloads.entries())
      writeFileSync(join(ctx.logsDir, `run-${runNo}-no-agent-${ctx.workloads.targets[i].name}.log`), w.logs());
    ctx.progress.done();
  }
}
