import type { MethodDefinition, ServiceDefinition } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { sensorPackageDefinition } from '../../src/collector/startup/sensor-proto.js';
import { addressBytes, networkInfoMessage, processSignalMessage } from '../../src/collector/startup/sensor-link.js';
import { loadSensorPackageDefinition } from '../../src/sensor/protos.js';
import { classifyNetworkInfoMessage, classifySignalStreamMessage } from '../../src/sensor/messages.js';

type AnyMethod = MethodDefinition<object, object, object, object>;

function method(def: ReturnType<typeof sensorPackageDefinition>, service: string, name: string): AnyMethod {
  return (def[service] as ServiceDefinition)[name] as AnyMethod;
}

describe("the collector's embedded Sensor descriptor", () => {
  const ours = sensorPackageDefinition();
  const theirs = loadSensorPackageDefinition();

  it('uses the same service paths as the mock sensor', () => {
    expect(method(ours, 'sensor.SignalService', 'PushSignals').path).toBe(
      method(theirs, 'sensor.SignalService', 'PushSignals').path,
    );
    expect(method(ours, 'sensor.NetworkConnectionInfoService', 'PushNetworkConnectionInfo').path).toBe(
      method(theirs, 'sensor.NetworkConnectionInfoService', 'PushNetworkConnectionInfo').path,
    );
  });

  it('encodes process signals that the sensor decodes field for field', () => {
    const msg = processSignalMessage({
      kind: 'process',
      pid: 321,
      comm: 'echo',
      exePath: '/bin/echo',
      args: 'a b',
      timeMs: 1_700_000_000_123,
    });
    const bytes = method(ours, 'sensor.SignalService', 'PushSignals').requestSerialize(msg);
    const decoded = method(theirs, 'sensor.SignalService', 'PushSignals').requestDeserialize(bytes) as Record<
      string,
      unknown
    >;
    const c = classifySignalStreamMessage(decoded);
    expect(c.kind).toBe('processSignal');
    if (c.kind !== 'processSignal') return;
    expect(c.signal).toMatchObject({
      pid: 321,
      name: 'echo',
      execFilePath: '/bin/echo',
      args: 'a b',
      timeMs: 1_700_000_000_123,
    });
    expect(c.signal.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('encodes the registration and network info the sensor understands', () => {
    const reg = method(ours, 'sensor.SignalService', 'PushSignals').requestSerialize({
      collectorRegisterRequest: { hostname: 'h', instanceId: 'i' },
    });
    expect(
      classifySignalStreamMessage(
        method(theirs, 'sensor.SignalService', 'PushSignals').requestDeserialize(reg) as Record<string, unknown>,
      ),
    ).toEqual({
      kind: 'register',
      hostname: 'h',
      instanceId: 'i',
    });
    const info = networkInfoMessage([
      {
        kind: 'network',
        role: 'endpoint',
        change: 'open',
        local: '127.0.0.1:8080',
        remote: '0.0.0.0:0',
        state: 'LISTEN',
        pid: 0,
        timeMs: 0,
      },
      {
        kind: 'network',
        role: 'connection',
        change: 'close',
        local: '[::1]:5000',
        remote: '[::1]:8080',
        state: 'ESTABLISHED',
        pid: 0,
        timeMs: 0,
      },
    ]);
    const net = 'sensor.NetworkConnectionInfoService';
    const bytes = method(ours, net, 'PushNetworkConnectionInfo').requestSerialize(info);
    const c = classifyNetworkInfoMessage(
      method(theirs, net, 'PushNetworkConnectionInfo').requestDeserialize(bytes) as Record<string, unknown>,
    );
    expect(c).toMatchObject({ kind: 'info', connections: 1, endpoints: 1 });
  });
});

describe('addressBytes', () => {
  it('converts readable endpoints to raw address bytes and ports', () => {
    expect(addressBytes('127.0.0.1:8080')).toEqual({ family: 4, addressData: Buffer.from([127, 0, 0, 1]), port: 8080 });
    const v6 = addressBytes('[2001:db8::1]:443');
    expect(v6.family).toBe(6);
    expect(v6.addressData.toString('hex')).toBe('20010db8000000000000000000000001');
    expect(addressBytes('[::]:0').addressData.toString('hex')).toBe('0'.repeat(32));
  });
});
