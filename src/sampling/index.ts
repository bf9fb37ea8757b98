/** The sampling stage: what the run loop and the CLI import. */
export {
  cgroupReaderForPid,
  detectCgroupVersion,
  locateCgroup,
  type CgroupReader,
  type CgroupReading,
  type CgroupVersion,
} from './cgroup.js';
export { cpuPercentBetween, hostCpuPercentBetween } from './cpu.js';
export { procTreeReader, type ProcTreeReading } from './proc-tree.js';
export { openDockerStatsStream, pointsFromFrames, type DockerStatsPoint } from './docker-stats.js';
export {
  counterDeltas,
  parsePrometheusText,
  scrapePrometheus,
  DEFAULT_COLLECTOR_COUNTERS,
  type CounterSelector,
  type MetricSample,
} from './prometheus.js';
export {
  meanCpuPercent,
  pickSource,
  startCgroupGroupSampler,
  startHostSampler,
  startSampler,
  MIN_INTERVAL_MS,
  type ContextSample,
  type PickSourceInput,
  type Sampler,
  type SamplerOptions,
  type SamplerSource,
} from './sampler.js';
export {
  formatValidationTable,
  runValidateSamplerCommand,
  validateSampler,
  SAMPLER_TOLERANCE,
  type SamplerValidation,
  type ValidateSamplerOptions,
} from './validate.js';
