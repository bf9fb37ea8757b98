/** Simulated benchmark results for calibration tests: run-level medians with normal run-to-run noise. */
import type { ResultFile } from '../../src/contracts/result.js';
import { mulberry32, normalDraw, type Random } from '../../src/stats/prng.js';
import { syntheticResult } from '../support/synthetic-results.js';

export const MIB = 1024 * 1024;

export interface SimulatedSide {
  cpu: number; // true mean of the run-level CPU median, percent
  mem: number; // bytes
  cv: number; // run-to-run coefficient of variation
  runs: number;
}

export function simulator(seed: number) {
  const random: Random = mulberry32(seed);
  let fileSeed = seed * 7919;
  return (side: SimulatedSide, benchmark = 'sim', env: Parameters<typeof syntheticResult>[0]['env'] = {}): ResultFile =>
    syntheticResult({
      benchmark,
      seed: fileSeed++,
      samplesPerRun: 5, // few samples keep 1,000s of files fast; the median per run is exact anyway
      env,
      runs: Array.from({ length: side.runs }, () => ({
        cpuMedian: side.cpu * (1 + side.cv * normalDraw(random)),
        memMedian: Math.round(side.mem * (1 + side.cv * normalDraw(random))),
      })),
    });
}

export const isPositive = (verdict: string) => verdict === 'regression' || verdict === 'improvement';
