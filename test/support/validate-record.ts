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

const times = (n: number, p: LineParts) => Array.from({ length: n }, () => recordLine(p));

/**
 * A synthetic record: the quiet interleaved row has 20 A/A comparisons (17 unchanged, 2
 * inconclusive, 1 with a false memory improvement), 10 at +5% (4 called), 10 at +10% (9 called);
 * the noisy row has 5 A/A comparisons only.
 */
export function syntheticRecord(): ValidateRecordLine[] {
  return [
    ...times(17, { condition: 'aa', cpuMde: 0.04, minutes: 6 }),
    ...times(2, { condition: 'aa', cpuVerdict: 'inconclusive', cpuMde: 0.07, minutes: 6 }),
    ...times(1, { condition: 'aa', memoryVerdict: 'improvement', overall: 'improvement', minutes: 6 }),
    ...times(4, { condition: 'cpu5', cpuVerdict: 'regression', cpuChange: 0.06, minutes: 7 }),
    ...times(6, { condition: 'cpu5', cpuVerdict: 'inconclusive', cpuChange: 0.03, minutes: 7 }),
    ...times(9, { condition: 'cpu10', cpuVerdict: 'regression', cpuChange: 0.11, minutes: 7 }),
    ...times(1, { condition: 'cpu10', cpuVerdict: 'inconclusive', cpuChange: 0.02, minutes: 7 }),
    ...times(5, { condition: 'aa', neighbour: '50%x2', measuredCores: 0.8, cpuVerdict: 'inconclusive', cpuMde: 0.2 }),
  ];
}
