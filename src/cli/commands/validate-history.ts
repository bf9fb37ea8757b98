/** `collector-bench validate history`: the change-point detector's precision, recall and delay on generated series. */
import { writeFileSync } from 'node:fs';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { DEFAULT_DETECTOR_VALIDATION, validateDetector } from '../../history/detector-validation.js';
import { renderDetectorValidation } from '../../report/history.js';
import { changePointFlags } from './history.js';

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

function parsed(flag: string, value: string | undefined, fallback: number, integer: boolean, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new InvalidInputError(`flag --${flag}`, flag, value, `${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return n;
}

export async function validateHistoryCommand(opts: ValidateHistoryCommandOptions): Promise<number> {
  const d = DEFAULT_DETECTOR_VALIDATION;
  const v = validateDetector({
    noise: parsed('noise', opts.noise, d.noise, false, 0),
    repetitions: parsed('repetitions', opts.repetitions, d.repetitions, true, 1),
    before: parsed('before', opts.before, d.before, true, 2),
    after: parsed('after', opts.after, d.after, true, 2),
    seed: parsed('seed', opts.seed, d.seed, true, 0),
    tolerance: parsed('tolerance', opts.tolerance, d.tolerance, true, 0),
    options: { ...d.options, ...changePointFlags(opts) },
  });
  const text = opts.json ? `${JSON.stringify(v, null, 2)}\n` : renderDetectorValidation(v);
  if (opts.out) writeFileSync(opts.out, text);
  process.stdout.write(text);
  return EXIT_CODES.ok;
}
