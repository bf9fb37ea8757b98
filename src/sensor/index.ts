/** Public surface of the mock sensor. */
export { MockSensor, signalMentions, DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_HOST } from './mock-sensor.js';
export type { MockSensorOptions, SensorAddresses, SensorCounts } from './mock-sensor.js';
export type { SensorGrpcCounts, SignalPredicate } from './signal-recorder.js';
export type { ProcessSignalRecord, ReceivedProcessSignal, LineageInfoRecord } from './messages.js';
export { DriverBehaviourSchema, DRIVER_MODES, parseDriverBehaviour } from './kernel-object-server.js';
export type {
  DriverBehaviour,
  DriverBehaviourInput,
  DriverMode,
  KernelObjectRequestCounts,
} from './kernel-object-server.js';
export {
  sensorProtoDir,
  loadSensorPackageDefinition,
  loadSensorServices,
  SENSOR_PROTO_LOADER_OPTIONS,
  SENSOR_SERVICE_PROTOS,
  SIGNAL_SERVICE,
  NETWORK_SERVICE,
} from './protos.js';
export { parseSensorArgs, runMockSensorProcess, SENSOR_USAGE } from './sensor-process.js';
