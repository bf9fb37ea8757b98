/** Synthetic validate-record lines: a valid line with the parts a test cares about overridden. */
import type { Verdict } from '../../src/contracts/comparison.js';
import {
  INJECTED_CPU,
  VALIDATE_RECORD_SCHEMA,
  type ValidateCondition,
  type ValidateRecordLine,
} from '../../src/contracts/validate-record.js';

export interface LineParts {
  design?: string;
  condition?: ValidateCondition;
  neighbour?: string;
  measuredCores?: number | null;
  cpuVerdict?: Verdict;
  overall?: Verdict;
  memoryVerdict?: Verdict;
  cpuChange?: number | null;
  cpuMde?: number | null;
  minutes?: number;
  /** Padding in the results file name, to make a line long. */
  pad?: number;
}

export function recordLine(p: LineParts = {}): ValidateRecordLine {
  const condition = p.condition ?? 'aa';
  const cpuVerdict = p.cpuVerdict ?? 'unchanged';
  return {
    schema: VALIDATE_RECORD_SCHEMA,
    recordedAt: '2026-12-07T09:00:00.000Z',
    session: 'test-session',
    repetition: 1,
    git: { sha: 'abc123' },
    machine: {
      hostname: 'test',
      kernel: '6.18.0',
      os: 'Linux',
      cpus: 2,
      cpuModel: 'test cpu',
      memoryBytes: 8 * 2 ** 30,
      cgroupVersion: 'v1',
      runtime: 'process (node v20)',
      collectionMethod: 'procfs',
    },
    design: p.design ?? 'interleaved',
    condition,
    injected: { cpuRelative: INJECTED_CPU[condition], baselineWorkFactor: 100, candidateWorkFactor: 100 },
    neighbour: {
      label: p.neighbour ?? 'none',
      dutyPercent: null,
      processes: 0,
      measuredCores: p.measuredCores ?? null,
    },
    measured: {
      cpuChange: p.cpuChange === undefined ? 0.01 : p.cpuChange,
      cpuInterval: { level: 0.9, low: -0.03, high: 0.05 },
      cpuMde: p.cpuMde === undefined ? 0.04 : p.cpuMde,
      cpuVerdict,
      overall: p.overall ?? cpuVerdict,
      verdicts: { cpuPercent: cpuVerdict, memoryBytes: p.memoryVerdict ?? 'unchanged' },
    },
    pairs: 5,
    minutes: p.minutes ?? 6,
    resultsFile: `results/x${'y'.repeat(p.pad ?? 0)}.json`,
  };
}
