/**
 * The workload generator as a library (no side effects on import; `main.ts` is the command).
 */
export { runWorkload, workerCount, type RunWorkloadOptions } from './run.js';
export {
  loadWorkloadConfig,
  parseWorkloadConfig,
  validateWorkloadConfig,
  applyEnvOverrides,
  parseEnvValue,
  workloadConfigSchema,
  type WorkloadConfig,
  type WorkloadType,
} from './config.js';
export { achievedReportSchema, type AchievedReport } from './report.js';
export { resolveExecStub, buildStub, stubSourcePath, type ExecStub } from './stub.js';
export { SYSCALL_TABLE, findSyscall } from './syscall-table.js';
