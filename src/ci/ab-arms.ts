/**
 * A same-machine A/B results file holds both arms: its runs carry `arm: "baseline" | "candidate"`
 * and `pair` (and a result@2 file says `mode: "ab"` with both arms' images under `arms`). This
 * cuts one arm out as an ordinary single-arm results file: the baseline store keeps an approved
 * PR's candidate arm, and a schema that cannot compare A/B files itself compares the two arms.
 * It works on the raw JSON, so it serves whichever result schema is in use.
 */
import type { ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { parseResultValue } from '../baseline/read-result.js';

export type Arm = 'baseline' | 'candidate';

export interface ArmSplit {
  baseline: ResultFile;
  candidate: ResultFile;
}

interface RawRun {
  arm?: unknown;
  pair?: unknown;
  warmupRun?: unknown;
  [key: string]: unknown;
}

interface RawAbFile {
  mode?: unknown;
  arms?: Partial<Record<Arm, { image?: string | null; imageId?: string | null }>>;
  environment?: Record<string, unknown>;
  runs?: RawRun[];
  [key: string]: unknown;
}

/** True when the file's runs carry arms (an A/B file), checking every measured run has a valid one. */
export function isAbFile(raw: unknown, where: string): boolean {
  const runs = (raw as RawAbFile).runs ?? [];
  if (runs.every((r) => r.arm === undefined)) return false;
  runs.forEach((r, i) => {
    if (r.arm === undefined && r.warmupRun === true) return; // a warm-up belongs to no arm
    if (r.arm !== 'baseline' && r.arm !== 'candidate') {
      throw new InvalidInputError(
        where,
        `runs.${i}.arm`,
        r.arm,
        '"baseline" | "candidate" (every measured run of an A/B file has one)',
      );
    }
  });
  return true;
}

/** One arm of an A/B file as a single-arm results file (its image in `environment`). */
export function armResult(raw: unknown, arm: Arm, where: string): ResultFile {
  const file = structuredClone(raw) as RawAbFile;
  const runs = (file.runs ?? [])
    .filter((r) => r.arm === arm)
    .map(({ arm: _arm, pair: _pair, ...run }, index) => ({ ...run, index }));
  if (runs.length === 0) throw new InvalidInputError(where, 'runs', `no ${arm} runs`, 'runs of both arms');
  const image = file.arms?.[arm];
  if (image && file.environment) {
    file.environment = {
      ...file.environment,
      collectorImage: image.image ?? file.environment.collectorImage,
      collectorImageId: image.imageId ?? file.environment.collectorImageId,
    };
  }
  delete file.arms;
  if (file.mode !== undefined) file.mode = 'single';
  return parseResultValue({ ...file, runs }, `${where} (${arm} arm)`);
}

/** Both arms, or null for an ordinary single-arm file. */
export function splitArms(raw: unknown, where: string): ArmSplit | null {
  if (!isAbFile(raw, where)) return null;
  return { baseline: armResult(raw, 'baseline', where), candidate: armResult(raw, 'candidate', where) };
}
