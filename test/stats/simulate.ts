/** Simulated benchmark results for calibration tests: run-level values with run, pair and session noise. */
import type { ResultFile } from '../../src/contracts/result.js';
import { mulberry32, normalDraw, type Random } from '../../src/stats/prng.js';
import { abResultFile, resultFile } from '../support/result-files.js';

export interface Level {
  cpu: number; // true mean, percent of one core
  mem: number; // bytes
}

export interface Noise {
  /** Run-to-run coefficient of variation within a session. */
  runCv: number;
  /** CV of a shift shared by every run of one session (another hour, another machine). */
  sessionCv?: number;
  /** CV of a level shared by the two runs of one A/B pair (the machine's state that minute). */
  pairCv?: number;
}

export function simulator(seed: number) {
  const random: Random = mulberry32(seed);
  const draw = (cv: number) => 1 + cv * normalDraw(random);
  return {
    /** One session of `runs` runs at `level`, shifted as a whole by the session noise. */
    session(level: Level, runs: number, noise: Noise, benchmark = 'sim'): ResultFile {
      const shift = draw(noise.sessionCv ?? 0);
      return resultFile({
        benchmark,
        samplesPerRun: 1,
        runs: Array.from({ length: runs }, () => ({
          cpu: level.cpu * shift * draw(noise.runCv),
          mem: level.mem * shift * draw(noise.runCv),
        })),
      });
    },
    /** An A/B file of `pairs` pairs: the candidate arm at `candidate`, both arms sharing a per-pair level. */
    ab(baseline: Level, candidate: Level, pairs: number, noise: Noise, benchmark = 'sim'): ResultFile {
      const shift = draw(noise.sessionCv ?? 0);
      return abResultFile({
        benchmark,
        samplesPerRun: 1,
        pairs: Array.from({ length: pairs }, () => {
          const pair = shift * draw(noise.pairCv ?? 0);
          return {
            baseline: { cpu: baseline.cpu * pair * draw(noise.runCv), mem: baseline.mem * pair * draw(noise.runCv) },
            candidate: { cpu: candidate.cpu * pair * draw(noise.runCv), mem: candidate.mem * pair * draw(noise.runCv) },
          };
        }),
      });
    },
  };
}

export const isPositive = (verdict: string) => verdict === 'regression' || verdict === 'improvement';
