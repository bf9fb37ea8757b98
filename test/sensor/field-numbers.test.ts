import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { loadSensorPackageDefinition, sensorProtoDir, SENSOR_SERVICE_PROTOS } from '../../src/sensor/protos.js';
import { decodeWire, only, WireWriter, WT_LEN, WT_VARINT } from './wire.js';

/**
 * Field numbers of StackRox's public API, as read from stackrox/stackrox (main, 2026-08) at the
 * paths named per message. A real collector encodes with these numbers: if one of our .proto
 * files drifts, the mock would silently mis-decode what a collector sends.
 */
const EXPECTED_FIELDS: Record<string, Record<string, number>> = {
  // proto/storage/process_indicator.proto (tag 10, deprecated `lineage`, is reserved in our copy)
  'storage.ProcessSignal': {
    id: 1,
    containerId: 2,
    time: 3,
    name: 4,
    args: 5,
    execFilePath: 6,
    pid: 7,
    uid: 8,
    gid: 9,
    scraped: 11,
    lineageInfo: 12,
  },
  'storage.ProcessSignal.LineageInfo': { parentUid: 1, parentExecFilePath: 2 },
  'storage.NetworkProcessUniqueKey': { processName: 1, processExecFilePath: 2, processArgs: 3 },
  // proto/api/v1/signal.proto
  'v1.Signal': { processSignal: 1 },
  // proto/api/v1/empty.proto
  'v1.Empty': {},
  // proto/internalapi/sensor/signal_iservice.proto
  'sensor.SignalStreamMessage': { collectorRegisterRequest: 1, signal: 2 },
  // proto/internalapi/sensor/collector.proto
  'sensor.CollectorRegisterRequest': { hostname: 1, instanceId: 2 },
  // proto/internalapi/sensor/network_connection_iservice.proto
  'sensor.NetworkConnectionInfoMessage': { register: 1, info: 2 },
  'sensor.NetworkFlowsControlMessage': { publicIpAddresses: 1, ipNetworks: 2 },
  'sensor.IPAddressList': { ipv4Addresses: 1, ipv6Addresses: 2 },
  'sensor.IPNetworkList': { ipv4Networks: 1, ipv6Networks: 2 },
  // proto/internalapi/sensor/network_connection_info.proto
  'sensor.NetworkConnectionInfo': { updatedConnections: 1, time: 2, updatedEndpoints: 3 },
  'sensor.NetworkConnection': {
    socketFamily: 1,
    localAddress: 2,
    remoteAddress: 3,
    protocol: 4,
    role: 5,
    containerId: 6,
    closeTimestamp: 11,
  },
  'sensor.NetworkEndpoint': {
    socketFamily: 1,
    protocol: 2,
    listenAddress: 3,
    containerId: 4,
    closeTimestamp: 5,
    originator: 6,
  },
  'sensor.NetworkAddress': { addressData: 1, port: 2, ipNetwork: 3 },
};

const EXPECTED_ENUMS: Record<string, Record<string, number>> = {
  // proto/storage/network_flow.proto
  'storage.L4Protocol': {
    L4_PROTOCOL_UNKNOWN: 0,
    L4_PROTOCOL_TCP: 1,
    L4_PROTOCOL_UDP: 2,
    L4_PROTOCOL_ICMP: 3,
    L4_PROTOCOL_RAW: 4,
    L4_PROTOCOL_SCTP: 5,
    L4_PROTOCOL_ANY: -1,
  },
  // proto/internalapi/sensor/network_enums.proto
  'sensor.SocketFamily': { SOCKET_FAMILY_UNKNOWN: 0, SOCKET_FAMILY_IPV4: 1, SOCKET_FAMILY_IPV6: 2 },
  'sensor.ClientServerRole': { ROLE_UNKNOWN: 0, ROLE_SERVER: 1, ROLE_CLIENT: 2 },
};

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  const dir = sensorProtoDir();
  // Resolve imports inside our proto folder; google/protobuf/* come bundled with protobufjs.
  root.resolvePath = (_origin, target) =>
    target.startsWith('google/protobuf/') || target.startsWith(dir) ? target : `${dir}${target}`;
  root.loadSync([...SENSOR_SERVICE_PROTOS], { keepCase: false });
  root.resolveAll();
  return root;
}

describe('sensor protos keep StackRox field numbers', () => {
  const root = loadRoot();

  it.each(Object.entries(EXPECTED_FIELDS))('%s has exactly the upstream field numbers', (typeName, expected) => {
    const type = root.lookupType(typeName);
    const actual = Object.fromEntries(Object.values(type.fields).map((f) => [f.name, f.id]));
    expect(actual).toEqual(expected);
  });

  it.each(Object.entries(EXPECTED_ENUMS))('%s has the upstream values', (enumName, expected) => {
    expect(root.lookupEnum(enumName).values).toEqual(expected);
  });

  it('reserves tag 10 of ProcessSignal (the deprecated lineage field) instead of reusing it', () => {
    const reserved = root.lookupType('storage.ProcessSignal').reserved;
    expect(reserved).toContainEqual([10, 10]);
  });

  it('encodes a ProcessSignal with protobufjs onto the expected wire tags', () => {
    const ProcessSignal = root.lookupType('storage.ProcessSignal');
    const bytes = ProcessSignal.encode(
      ProcessSignal.fromObject({
        id: 'sig-1',
        containerId: 'c0ffee123456',
        time: { seconds: 1_700_000_000, nanos: 250 },
        name: 'collector-bench-canary-abc',
        args: '-x 1',
        execFilePath: '/usr/bin/canary',
        pid: 4242,
        uid: 1001,
        gid: 1002,
        scraped: true,
        lineageInfo: [{ parentUid: 7, parentExecFilePath: '/bin/sh' }],
      }),
    ).finish();

    const wire = decodeWire(bytes);
    const text = (n: number): string => new TextDecoder().decode(only(wire, n).value as Uint8Array);
    expect(text(1)).toBe('sig-1');
    expect(text(2)).toBe('c0ffee123456');
    expect(text(4)).toBe('collector-bench-canary-abc');
    expect(text(5)).toBe('-x 1');
    expect(text(6)).toBe('/usr/bin/canary');
    expect(only(wire, 7)).toMatchObject({ wireType: WT_VARINT, value: 4242n });
    expect(only(wire, 8)).toMatchObject({ wireType: WT_VARINT, value: 1001n });
    expect(only(wire, 9)).toMatchObject({ wireType: WT_VARINT, value: 1002n });
    expect(only(wire, 11)).toMatchObject({ wireType: WT_VARINT, value: 1n });

    const time = decodeWire(only(wire, 3).value as Uint8Array);
    expect(only(time, 1).value).toBe(1_700_000_000n); // google.protobuf.Timestamp.seconds
    expect(only(time, 2).value).toBe(250n); // google.protobuf.Timestamp.nanos

    expect(only(wire, 12).wireType).toBe(WT_LEN);
    const lineage = decodeWire(only(wire, 12).value as Uint8Array);
    expect(only(lineage, 1).value).toBe(7n);
    expect(new TextDecoder().decode(only(lineage, 2).value as Uint8Array)).toBe('/bin/sh');
    expect(wire.map((f) => f.field).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12]);
  });

  it('decodes a hand-encoded SignalStreamMessage the way a collector would send it', () => {
    // SignalStreamMessage{signal(2): v1.Signal{process_signal(1): ProcessSignal{...}}}, built from
    // the numbers in the table above without touching our .proto files.
    const processSignal = new WireWriter()
      .str(4, 'collector-bench-canary-xyz')
      .str(6, '/bin/canary')
      .varint(7, 99)
      .varint(11, true)
      .msg(12, new WireWriter().varint(1, 0).str(2, '/bin/bash'));
    const message = new WireWriter().msg(2, new WireWriter().msg(1, processSignal)).bytes();

    const method = loadSensorPackageDefinition()['sensor.SignalService'] as unknown as Record<
      string,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- proto-loader's decoded messages are untyped
      { requestDeserialize(b: Buffer): any }
    >;
    const decoded = method['PushSignals']!.requestDeserialize(Buffer.from(message));
    expect(decoded.msg).toBe('signal');
    expect(decoded.signal.processSignal).toMatchObject({
      name: 'collector-bench-canary-xyz',
      execFilePath: '/bin/canary',
      pid: 99,
      scraped: true,
      lineageInfo: [{ parentUid: 0, parentExecFilePath: '/bin/bash' }],
    });
  });

  it('decodes a hand-encoded NetworkConnectionInfoMessage with connections and endpoints', () => {
    const addr = new WireWriter().len(1, Uint8Array.from([127, 0, 0, 1])).varint(2, 8080);
    const conn = new WireWriter().varint(1, 1).msg(2, addr).varint(4, 1).varint(5, 2).str(6, 'abc');
    const endpoint = new WireWriter().varint(1, 1).varint(2, 2).msg(3, addr).str(4, 'def');
    const info = new WireWriter().msg(1, conn).msg(1, conn).msg(3, endpoint).msg(2, new WireWriter().varint(1, 5));
    const message = new WireWriter().msg(2, info).bytes();

    const svc = loadSensorPackageDefinition()['sensor.NetworkConnectionInfoService'] as unknown as Record<
      string,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- proto-loader's decoded messages are untyped
      { requestDeserialize(b: Buffer): any }
    >;
    const decoded = svc['PushNetworkConnectionInfo']!.requestDeserialize(Buffer.from(message));
    expect(decoded.msg).toBe('info');
    expect(decoded.info.updatedConnections).toHaveLength(2);
    expect(decoded.info.updatedConnections[0]).toMatchObject({
      socketFamily: 'SOCKET_FAMILY_IPV4',
      protocol: 'L4_PROTOCOL_TCP',
      role: 'ROLE_CLIENT',
      containerId: 'abc',
      localAddress: { port: 8080 },
    });
    expect(decoded.info.updatedEndpoints).toEqual([
      expect.objectContaining({
        protocol: 'L4_PROTOCOL_UDP',
        containerId: 'def',
        listenAddress: expect.objectContaining({ port: 8080 }),
      }),
    ]);
    expect(decoded.info.time).toMatchObject({ seconds: 5 });
  });

  it('serves the gRPC paths and streaming kinds the real Sensor registers', () => {
    const def = loadSensorPackageDefinition() as unknown as Record<
      string,
      Record<string, { path: string; requestStream: boolean; responseStream: boolean }>
    >;
    expect(def['sensor.SignalService']!['PushSignals']).toMatchObject({
      path: '/sensor.SignalService/PushSignals',
      requestStream: true,
      responseStream: true,
    });
    expect(def['sensor.NetworkConnectionInfoService']!['PushNetworkConnectionInfo']).toMatchObject({
      path: '/sensor.NetworkConnectionInfoService/PushNetworkConnectionInfo',
      requestStream: true,
      responseStream: true,
    });
  });
});
