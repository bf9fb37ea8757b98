/** `collector-bench validate history`: the change-point detector's precision, recall and delay on generated series. */
import { writeFileSync } from 'node:fs';
import { validateHistory } from '../../app/validate-history.js';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { renderDetectorValidation } from '../../report/history.js';

export interface ValidateHistoryCommandOptions {
  noise?: string;
  repetitions?: string;
  before?: string;
  after?: string;
  seed?: string;
  tolerance?: string;
  minSegment?: string;
  alpha?: string;
  minMagnitude?: string;
  out?: string;
  json?: boolean;
}

/** A number flag; undefined when unset (the use case's default applies). */
function parsed(flag: string, value: string | undefined, integer: boolean, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new InvalidInputError(`flag --${flag}`, flag, value, `${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return n;
}

export async function validateHistoryCommand(opts: ValidateHistoryCommandOptions): Promise<number> {
  const v = validateHistory(
    {
      noise: parsed('noise', opts.noise, false, 0),
      repetitions: parsed('repetitions', opts.repetitions, true, 1),
      before: parsed('before', opts.before, true, 2),
      after: parsed('after', opts.after, true, 2),
      seed: parsed('seed', opts.seed, true, 0),
      tolerance: parsed('tolerance', opts.tolerance, true, 0),
    },
    opts,
  );
  const text = opts.json ? `${JSON.stringify(v, null, 2)}\n` : renderDetectorValidation(v);
  if (opts.out) writeFileSync(opts.out, text);
  process.stdout.write(text);
  return EXIT_CODES.ok;
}
