/**
 * Delivery checked at the mock sensor (collector.delivery `{ via: sensor }`), for agents that speak
 * the StackRox sensor protocol:
 *  - after ready, a canary is exec'd and its latency is the time until its process signal reaches
 *    the sensor (the run is invalid when it never arrives: the collector is not collecting);
 *  - over the load window, the signals of the workload's stub are counted against the processes
 *    the workloads spawned (the loss);
 *  - from the window's start until the agent drained, every signal message counts as a delivered
 *    event (its CPU per event, run/drain.ts), counted on receipt whatever the intake.
 * The canary needs its signal decoded (its marker may sit in the name, path or args); the loss
 * does not when the stub is the per-benchmark one: its unique path is in the raw bytes of each of
 * its signals (the exec path, a protobuf string), so over the load window the sensor only counts
 * the messages holding it (intake `search`) instead of decoding every signal on the host.
 */
import { BenchError, EXIT_CODES } from '../../errors.js';
import { signalMentions, type MockSensor } from '../../sensor/mock-sensor.js';
import { runCanary, type CanaryOutcome } from './canary.js';
import type { DeliveryKind } from './delivery-kind.js';
import { lossFrom, processesSpawned, workloadStubs } from './loss.js';
import { processLossFor } from './signal-matcher.js';
import { stubWorkloadSpec } from './workload-stub.js';

/** Execs one canary on this host and waits for its process signal at `sensor`. */
export function sensorCanary(sensor: MockSensor, timeoutMs?: number): Promise<CanaryOutcome> {
  return runCanary(async (marker, ms) => (await sensor.waitForSignal(signalMentions(marker), ms)).receivedAtMs, {
    missing: 'did not reach the sensor',
    timeoutMs,
  });
}

export const sensorDelivery: DeliveryKind<'sensor'> = (_settings, { sensor, stub, canaryTimeoutMs }) => {
  // The config refuses `via: sensor` with the sensor disabled; reaching here without one is a bug.
  if (!sensor)
    throw new BenchError('NO_SENSOR', 'delivery via the sensor without a mock sensor', {}, EXIT_CODES.unexpected);
  let loadStartMs = 0;
  let signalsAtLoad = 0;
  return {
    workloadSpec: stubWorkloadSpec(stub),
    afterReady: async () => {
      // The canary is matched on decoded signals; set here, not after the load, so a run that
      // ended before its afterLoad cannot leave the next run's canary unseen.
      sensor.setIntake({ kind: 'decode' });
      const canary = await sensorCanary(sensor, canaryTimeoutMs);
      return { canaryLatencyMs: canary.latencyMs, invalidReason: canary.error ?? undefined };
    },
    beforeLoad: () => {
      loadStartMs = Date.now();
      if (stub) sensor.setIntake({ kind: 'search', needle: stub.path });
      // Counted on receipt in every intake (a search decodes nothing, so processSignals stands still).
      signalsAtLoad = sensor.counts().signalMessages;
    },
    // Every process signal the agent delivered, not only the stub's: its CPU went to all of them.
    deliveredEvents: async () => ({
      events: sensor.counts().signalMessages - signalsAtLoad,
      basis: 'sensor process signals',
    }),
    afterLoad: async (achieved) => {
      const processLoss = stub
        ? searchedLoss(achieved, stub.path, sensor.counts().matchedMessages)
        : processLossFor(achieved, sensor.signals(), loadStartMs);
      // Keep memory flat over many runs: this run's signals are counted.
      sensor.reset();
      return { processLoss };
    },
  };
};

/**
 * The loss from a search for the stub's path: every `processes` workload exec'd the stub (its
 * report names it), so the matched messages are its signals. A workload that exec'd something
 * else (random_process = false runs busybox sleep) was not searched for: no loss then.
 */
function searchedLoss(achieved: Parameters<typeof processesSpawned>[0], stubPath: string, matched: number) {
  const spawned = processesSpawned(achieved);
  if (spawned === null) return null;
  const ours = workloadStubs(achieved).every((s) => s.trim() === stubPath || s.startsWith(`${stubPath} `));
  return ours ? lossFrom(spawned, matched) : null;
}
