import { describe, expect, it } from 'vitest';
import {
  classifyNetworkInfoMessage,
  classifySignalStreamMessage,
  toProcessSignalRecord,
} from '../../src/sensor/messages.js';
import { SignalRecorder } from '../../src/sensor/signal-recorder.js';

const sig = (name: string) => ({ kind: 'processSignal' as const, signal: toProcessSignalRecord({ name }) });

describe('SignalRecorder', () => {
  it('counts registrations and messages with no known oneof member apart from process signals', () => {
    const r = new SignalRecorder();
    r.onSignalMessage(
      classifySignalStreamMessage({ msg: 'collectorRegisterRequest', collectorRegisterRequest: { hostname: 'h' } }),
      1,
    );
    r.onSignalMessage(classifySignalStreamMessage({}), 1);
    r.onSignalMessage(classifySignalStreamMessage({ msg: 'signal', signal: {} }), 1);
    r.onNetworkMessage(
      classifyNetworkInfoMessage({ msg: 'info', info: { updatedConnections: [{}], updatedEndpoints: [] } }),
    );

    expect(r.counts()).toMatchObject({
      registrations: 1,
      unknownMessages: 2,
      processSignals: 0,
      networkInfos: 1,
      networkConnections: 1,
    });
  });

  it('ignores a predicate that throws and still resolves a later matching waiter', async () => {
    const r = new SignalRecorder();
    const bad = r.waitForSignal(() => {
      throw new Error('boom');
    }, 50);
    const good = r.waitForSignal((s) => s.signal.name === 'canary', 1_000);

    r.onSignalMessage(sig('canary'), 3, 1234.5);

    await expect(good).resolves.toEqual({
      receivedAtMs: 1234.5,
      stream: 3,
      signal: expect.objectContaining({ name: 'canary' }),
    });
    await expect(bad).rejects.toThrow(/no matching process signal within 50 ms/);
  });

  it('keeps streamsActive across reset so a stream closing later does not go negative', () => {
    const r = new SignalRecorder();
    r.streamOpened('signal');
    r.streamOpened('network');
    r.reset();
    expect(r.counts()).toMatchObject({ streamsOpened: 0, streamsActive: 2 });
    r.streamClosed();
    r.streamClosed();
    r.streamClosed();
    expect(r.counts().streamsActive).toBe(0);
  });

  it('converts an unset creation time to null and a Timestamp to epoch milliseconds', () => {
    expect(toProcessSignalRecord({ time: null }).timeMs).toBeNull();
    expect(toProcessSignalRecord({ time: { seconds: 2, nanos: 1_500_000 } }).timeMs).toBe(2001.5);
  });
});
