/** Public surface of the mock sensor. */
export { MockSensor, signalMentions, DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_HOST } from './mockSensor.js';
export type { MockSensorOptions, SensorAddresses, SensorCounts } from './mockSensor.js';
export type { SensorGrpcCounts, SignalPredicate } from './signalRecorder.js';
export type { ProcessSignalRecord, ReceivedProcessSignal, LineageInfoRecord } from './messages.js';
export { DriverBehaviourSchema, DRIVER_MODES, parseDriverBehaviour } from './kernelObjectServer.js';
export type { DriverBehaviour, DriverBehaviourInput, DriverMode, KernelObjectRequestCounts } from './kernelObjectServer.js';
export {
  sensorProtoDir,
  loadSensorPackageDefinition,
  loadSensorServices,
  SENSOR_PROTO_LOADER_OPTIONS,
  SENSOR_SERVICE_PROTOS,
  SIGNAL_SERVICE,
  NETWORK_SERVICE,
} from './protos.js';
export { parseSensorArgs, runMockSensorProcess, SENSOR_USAGE } from './sensorProcess.js';
