/** Which process signals at the mock sensor were the workload's, and the loss they give. */
import { basename, dirname } from 'node:path';
import type { Run, WorkloadReport } from '../../contracts/result.js';
import type { ReceivedProcessSignal } from '../../sensor/messages.js';
import type { SignalPredicate } from '../../sensor/signal-recorder.js';
import { lossFrom, processesSpawned, workloadStubs } from './loss.js';

const ALNUM7 = /^[A-Za-z0-9]{7}$/;

/**
 * Recognises the signals of a `processes` workload from its achieved report's `stub` (e.g.
 * `/bin/busybox true`): each exec carries the stub's fixed arguments and one random 7-character
 * argument. A stub without fixed arguments must also match by binary name, since one bare
 * 7-character argument is too common to count on its own.
 */
export function workloadSignalMatcher(stubs: string[]): SignalPredicate {
  const tests = stubs.map((stub) => {
    const [path, ...prefix] = stub.trim().split(/\s+/);
    // Our per-benchmark stub: its path alone identifies the workload's execs.
    if (path && basename(dirname(path)).startsWith('collector-bench-stub-'))
      return (s: ReceivedProcessSignal) => s.signal.execFilePath === path;
    const fixed = prefix.length ? `${prefix.join(' ')} ` : '';
    const bin = basename(path ?? '');
    return (s: ReceivedProcessSignal) =>
      s.signal.args.startsWith(fixed) &&
      ALNUM7.test(s.signal.args.slice(fixed.length)) &&
      (prefix.length > 0 ||
        basename(s.signal.execFilePath) === bin ||
        (bin.length > 0 && bin.startsWith(s.signal.name)));
  });
  return (s) => tests.some((t) => t(s));
}

/**
 * Spawned (from the workloads' achieved reports) vs received (signals of those processes at the
 * sensor since `sinceMs`); null when no processes workload ran.
 */
export function processLossFor(
  achieved: WorkloadReport[],
  signals: ReceivedProcessSignal[],
  sinceMs: number,
): NonNullable<Run['processLoss']> | null {
  const spawned = processesSpawned(achieved);
  if (spawned === null) return null;
  const matches = workloadSignalMatcher(workloadStubs(achieved));
  return lossFrom(spawned, signals.filter((s) => s.receivedAtMs >= sinceMs && matches(s)).length);
}
