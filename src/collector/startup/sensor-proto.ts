/**
 * The Sensor's gRPC wire contract, embedded as a protobufjs JSON descriptor so the collector's
 * single-file bundle reads no .proto files at runtime. It mirrors src/sensor/proto (field numbers
 * and service/method names); test/collector/sensor-proto.test.ts round-trips messages between
 * this descriptor and the sensor's .proto files so the two cannot drift apart silently.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const timestamp = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };

export const SENSOR_DESCRIPTOR = {
  nested: {
    google: { nested: { protobuf: { nested: { Timestamp: timestamp } } } },
    v1: {
      nested: {
        Empty: { fields: {} },
        Signal: {
          oneofs: { signal: { oneof: ['processSignal'] } },
          fields: { processSignal: { type: 'storage.ProcessSignal', id: 1 } },
        },
      },
    },
    storage: {
      nested: {
        L4Protocol: {
          values: {
            L4_PROTOCOL_UNKNOWN: 0,
            L4_PROTOCOL_TCP: 1,
            L4_PROTOCOL_UDP: 2,
            L4_PROTOCOL_ICMP: 3,
            L4_PROTOCOL_RAW: 4,
            L4_PROTOCOL_SCTP: 5,
            L4_PROTOCOL_ANY: -1,
          },
        },
        NetworkProcessUniqueKey: {
          fields: {
            processName: { type: 'string', id: 1 },
            processExecFilePath: { type: 'string', id: 2 },
            processArgs: { type: 'string', id: 3 },
          },
        },
        ProcessSignal: {
          fields: {
            id: { type: 'string', id: 1 },
            containerId: { type: 'string', id: 2 },
            time: { type: 'google.protobuf.Timestamp', id: 3 },
            name: { type: 'string', id: 4 },
            args: { type: 'string', id: 5 },
            execFilePath: { type: 'string', id: 6 },
            pid: { type: 'uint32', id: 7 },
            uid: { type: 'uint32', id: 8 },
            gid: { type: 'uint32', id: 9 },
            scraped: { type: 'bool', id: 11 },
            lineageInfo: { rule: 'repeated', type: 'LineageInfo', id: 12 },
          },
          nested: {
            LineageInfo: {
              fields: { parentUid: { type: 'uint32', id: 1 }, parentExecFilePath: { type: 'string', id: 2 } },
            },
          },
        },
      },
    },
    sensor: {
      nested: {
        CollectorRegisterRequest: {
          fields: { hostname: { type: 'string', id: 1 }, instanceId: { type: 'string', id: 2 } },
        },
        SignalStreamMessage: {
          oneofs: { msg: { oneof: ['collectorRegisterRequest', 'signal'] } },
          fields: {
            collectorRegisterRequest: { type: 'CollectorRegisterRequest', id: 1 },
            signal: { type: 'v1.Signal', id: 2 },
          },
        },
        SignalService: {
          methods: {
            PushSignals: {
              requestType: 'SignalStreamMessage',
              requestStream: true,
              responseType: 'v1.Empty',
              responseStream: true,
            },
          },
        },
        ClientServerRole: { values: { ROLE_UNKNOWN: 0, ROLE_SERVER: 1, ROLE_CLIENT: 2 } },
        SocketFamily: { values: { SOCKET_FAMILY_UNKNOWN: 0, SOCKET_FAMILY_IPV4: 1, SOCKET_FAMILY_IPV6: 2 } },
        NetworkAddress: {
          fields: {
            addressData: { type: 'bytes', id: 1 },
            port: { type: 'uint32', id: 2 },
            ipNetwork: { type: 'bytes', id: 3 },
          },
        },
        NetworkConnection: {
          fields: {
            socketFamily: { type: 'SocketFamily', id: 1 },
            localAddress: { type: 'NetworkAddress', id: 2 },
            remoteAddress: { type: 'NetworkAddress', id: 3 },
            protocol: { type: 'storage.L4Protocol', id: 4 },
            role: { type: 'ClientServerRole', id: 5 },
            containerId: { type: 'string', id: 6 },
            closeTimestamp: { type: 'google.protobuf.Timestamp', id: 11 },
          },
        },
        NetworkEndpoint: {
          fields: {
            socketFamily: { type: 'SocketFamily', id: 1 },
            protocol: { type: 'storage.L4Protocol', id: 2 },
            listenAddress: { type: 'NetworkAddress', id: 3 },
            containerId: { type: 'string', id: 4 },
            closeTimestamp: { type: 'google.protobuf.Timestamp', id: 5 },
            originator: { type: 'storage.NetworkProcessUniqueKey', id: 6 },
          },
        },
        NetworkConnectionInfo: {
          fields: {
            updatedConnections: { rule: 'repeated', type: 'NetworkConnection', id: 1 },
            time: { type: 'google.protobuf.Timestamp', id: 2 },
            updatedEndpoints: { rule: 'repeated', type: 'NetworkEndpoint', id: 3 },
          },
        },
        NetworkConnectionInfoMessage: {
          oneofs: { msg: { oneof: ['register', 'info'] } },
          fields: {
            register: { type: 'CollectorRegisterRequest', id: 1 },
            info: { type: 'NetworkConnectionInfo', id: 2 },
          },
        },
        IPAddressList: {
          fields: {
            ipv4Addresses: { rule: 'repeated', type: 'fixed32', id: 1 },
            ipv6Addresses: { rule: 'repeated', type: 'fixed64', id: 2 },
          },
        },
        IPNetworkList: { fields: { ipv4Networks: { type: 'bytes', id: 1 }, ipv6Networks: { type: 'bytes', id: 2 } } },
        NetworkFlowsControlMessage: {
          fields: { publicIpAddresses: { type: 'IPAddressList', id: 1 }, ipNetworks: { type: 'IPNetworkList', id: 2 } },
        },
        NetworkConnectionInfoService: {
          methods: {
            PushNetworkConnectionInfo: {
              requestType: 'NetworkConnectionInfoMessage',
              requestStream: true,
              responseType: 'NetworkFlowsControlMessage',
              responseStream: true,
            },
          },
        },
      },
    },
  },
};

export const COLLECTOR_PROTO_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

export interface SensorClients {
  SignalService: grpc.ServiceClientConstructor;
  NetworkConnectionInfoService: grpc.ServiceClientConstructor;
}

export function sensorPackageDefinition(): protoLoader.PackageDefinition {
  return protoLoader.fromJSON(SENSOR_DESCRIPTOR as Parameters<typeof protoLoader.fromJSON>[0], COLLECTOR_PROTO_OPTIONS);
}

export function loadSensorClients(): SensorClients {
  const pkg = grpc.loadPackageDefinition(sensorPackageDefinition());
  const sensor = pkg['sensor'] as grpc.GrpcObject;
  return {
    SignalService: sensor['SignalService'] as grpc.ServiceClientConstructor,
    NetworkConnectionInfoService: sensor['NetworkConnectionInfoService'] as grpc.ServiceClientConstructor,
  };
}
