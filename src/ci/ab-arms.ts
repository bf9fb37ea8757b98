/**
 * A same-machine A/B results file holds both arms: each run carries `arm: "baseline" | "candidate"`
 * (and `pair`). This splits it into one result file per arm for the comparison and for the
 * baseline store (an approved PR stores its candidate arm). The arms are read from the raw JSON
 * so the split works whether or not the result schema in use declares the field.
 */
import type { ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';

export type Arm = 'baseline' | 'candidate';

export interface ArmSplit {
  baseline: ResultFile;
  candidate: ResultFile;
}

/** Null for an ordinary (single-arm) results file. */
export function splitArms(raw: unknown, parsed: ResultFile, where: string): ArmSplit | null {
  const rawRuns = (raw as { runs?: Array<{ arm?: unknown }> }).runs ?? [];
  const arms = rawRuns.map((r) => r.arm);
  if (arms.every((a) => a === undefined)) return null;
  arms.forEach((a, i) => {
    if (a !== 'baseline' && a !== 'candidate') {
      throw new InvalidInputError(
        where,
        `runs.${i}.arm`,
        a,
        '"baseline" | "candidate" (every run of an A/B file has one)',
      );
    }
  });
  const pick = (arm: Arm): ResultFile => {
    const runs = parsed.runs.filter((_, i) => arms[i] === arm);
    if (runs.length === 0) throw new InvalidInputError(where, 'runs', `no ${arm} runs`, 'runs of both arms');
    return { ...parsed, runs };
  };
  return { baseline: pick('baseline'), candidate: pick('candidate') };
}
