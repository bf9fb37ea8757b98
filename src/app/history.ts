/** main's history in the baseline store (`collector-bench history`, `ci history`): the detector's options from their flags, the history built (src/history/). */
import { InvalidInputError } from '../errors.js';
import { historyOfStore } from '../history/history.js';
import type { ChangePointOptions } from '../stats/change-points.js';

export interface ChangePointFlags {
  minSegment?: string;
  alpha?: string;
  minMagnitude?: string;
}

function numberFlag(flag: string, value: string | undefined, ok: (n: number) => boolean, allowed: string) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!ok(n)) throw new InvalidInputError(`flag --${flag}`, flag, value, allowed);
  return n;
}

/** The detector's options from the flags; unset flags keep the defaults. */
export function changePointFlags(opts: ChangePointFlags) {
  const out: Partial<ChangePointOptions> = {};
  const minSegment = numberFlag(
    'min-segment',
    opts.minSegment,
    (n) => Number.isInteger(n) && n >= 2,
    'an integer >= 2',
  );
  const alpha = numberFlag('alpha', opts.alpha, (n) => n > 0 && n < 1, 'a number between 0 and 1');
  const minMagnitude = numberFlag(
    'min-magnitude',
    opts.minMagnitude,
    (n) => n >= 0 && n < 10,
    'a fraction >= 0 (0.05 = 5%)',
  );
  if (minSegment !== undefined) out.minSegment = minSegment;
  if (alpha !== undefined) out.alpha = alpha;
  if (minMagnitude !== undefined) out.minMagnitude = minMagnitude;
  return out;
}

export interface StoreHistoryRequest extends ChangePointFlags {
  baseline: string;
  benchmark: string;
  /** Only this environment key (default: every key of the benchmark). */
  key?: string;
}

/** The series of main's stored results per environment key and metric, with their change points. */
export async function storeHistory(opts: StoreHistoryRequest) {
  return historyOfStore(opts.baseline, opts.benchmark, { envKey: opts.key, ...changePointFlags(opts) });
}
