/**
 * Delivery checked at the mock sensor (collector.delivery `{ via: sensor }`), for agents that speak
 * the StackRox sensor protocol:
 *  - after ready, a canary is exec'd and its latency is the time until its process signal reaches
 *    the sensor (the run is invalid when it never arrives: the collector is not collecting);
 *  - over the load window, the signals of the workload's stub are counted against the processes
 *    the workloads spawned (the loss);
 *  - from the window's start until the agent drained, every process signal counts as a delivered
 *    event (its CPU per event, run/drain.ts).
 */
import { BenchError, EXIT_CODES } from '../../errors.js';
import { signalMentions, type MockSensor } from '../../sensor/mock-sensor.js';
import { runCanary, type CanaryOutcome } from './canary.js';
import type { DeliveryKind } from './delivery-kind.js';
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
      const canary = await sensorCanary(sensor, canaryTimeoutMs);
      return { canaryLatencyMs: canary.latencyMs, invalidReason: canary.error ?? undefined };
    },
    beforeLoad: () => {
      loadStartMs = Date.now();
      signalsAtLoad = sensor.counts().processSignals;
    },
    // Every process signal the agent delivered, not only the stub's: its CPU went to all of them.
    deliveredEvents: async () => ({
      events: sensor.counts().processSignals - signalsAtLoad,
      basis: 'sensor process signals',
    }),
    afterLoad: async (achieved) => {
      const loss = processLossFor(achieved, sensor.signals(), loadStartMs);
      // Keep memory flat over many runs: this run's signals are counted.
      sensor.reset();
      return { processLoss: loss };
    },
  };
};
