/** Reading the scipy reference values and comparing numbers against them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WelchFixture {
  name: string;
  x: number[];
  y: number[];
  defined: boolean;
  t: number | null;
  df: number | null;
  pValue: number | null;
}
export interface MannWhitneyFixture {
  name: string;
  x: number[];
  y: number[];
  u: number;
  pValue: number;
  exact: boolean;
}
export interface ScipyFixtures {
  scipyVersion: string;
  welch: WelchFixture[];
  mannWhitney: MannWhitneyFixture[];
  tQuantile: { p: number; df: number; q: number }[];
  mde: { standardError: number; df: number; alpha: number; comparisons: number; power: number; absolute: number }[];
  paired: {
    name: string;
    baseline: number[];
    candidate: number[];
    tDefined: boolean;
    t: number | null;
    df: number;
    pValue: number | null;
    wilcoxon: { statistic: number; pValue: number; method: 'exact' | 'permutation' | 'asymptotic' } | null;
  }[];
  prediction: {
    name: string;
    sessions: number[];
    candidate: number;
    t: number;
    df: number;
    pValue: number;
    standardError: number;
    interval90: [number, number];
  }[];
  /** A/B files whose agent-cost or per-event metric is decided by the paired t, end to end through the comparison. */
  abAgentCost: {
    name: string;
    metric: 'memoryGrowthMiBPerMinute' | 'bpfCpuPercent' | 'cpuMsPer1000Events' | 'bpfNsPerEvent';
    baseline: number[];
    candidate: number[];
    t: number;
    df: number;
    pValue: number;
    change: number;
    interval90: [number, number];
  }[];
}

export const scipy: ScipyFixtures = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/stats/scipy.json', import.meta.url)), 'utf8'),
);

/** Agreement as the brief asks: relative 1e-6, or absolute 1e-12 for values near zero (tiny p). */
export function agrees(actual: number, expected: number, relative = 1e-6, absolute = 1e-12): boolean {
  return Math.abs(actual - expected) <= Math.max(relative * Math.abs(expected), absolute);
}
