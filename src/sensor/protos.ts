/**
 * Where the sensor's .proto files live and how to load them. The files are read at runtime (not
 * compiled in), so a bundle must copy the `proto/` folder next to this module; `sensorProtoDir()`
 * resolves it with `new URL('./proto/', import.meta.url)` so bundlers can see the reference.
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The .proto files with service definitions, relative to `sensorProtoDir()`. */
export const SENSOR_SERVICE_PROTOS = [
  'internalapi/sensor/signal_iservice.proto',
  'internalapi/sensor/network_connection_iservice.proto',
] as const;

/** Absolute path of the folder holding the sensor's .proto files (with a trailing slash). */
export function sensorProtoDir(): string {
  return fileURLToPath(new URL('./proto/', import.meta.url));
}

/**
 * Loader options shared by the server and by clients built from the same files, so both sides
 * agree on the JS shape: camelCase keys, enums as names, int64 as numbers (timestamps fit), unset
 * scalars filled with defaults, and a virtual `msg`/`signal` property naming the set oneof member.
 */
export const SENSOR_PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  oneofs: true,
  includeDirs: [],
};

export function loadSensorPackageDefinition(): protoLoader.PackageDefinition {
  const dir = sensorProtoDir();
  return protoLoader.loadSync([...SENSOR_SERVICE_PROTOS], { ...SENSOR_PROTO_LOADER_OPTIONS, includeDirs: [dir] });
}

export interface SensorServiceDefinitions {
  signalService: grpc.ServiceDefinition;
  networkService: grpc.ServiceDefinition;
  /** Client constructors built from the same files (used by tests and by a reference client). */
  SignalServiceClient: grpc.ServiceClientConstructor;
  NetworkConnectionInfoServiceClient: grpc.ServiceClientConstructor;
}

export function loadSensorServices(): SensorServiceDefinitions {
  const def = loadSensorPackageDefinition();
  const root = grpc.loadPackageDefinition(def);
  const sensorPkg = root['sensor'] as grpc.GrpcObject;
  const SignalServiceClient = sensorPkg['SignalService'] as grpc.ServiceClientConstructor;
  const NetworkConnectionInfoServiceClient = sensorPkg['NetworkConnectionInfoService'] as grpc.ServiceClientConstructor;
  return {
    signalService: SignalServiceClient.service,
    networkService: NetworkConnectionInfoServiceClient.service,
    SignalServiceClient,
    NetworkConnectionInfoServiceClient,
  };
}
