/** `collector-bench history`: parses the flags, builds main's history (src/history/) and prints it. */
import { writeFileSync } from 'node:fs';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { historyOfStore } from '../../history/history.js';
import { isReportFormat, renderHistoryReport, REPORT_FORMATS } from '../../report/index.js';
import type { ChangePointOptions } from '../../stats/change-points.js';
import { info } from '../output.js';

export interface HistoryCommandOptions {
  baseline: string;
  benchmark: string;
  key?: string;
  format: string;
  out?: string;
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
export function changePointFlags(opts: Pick<HistoryCommandOptions, 'minSegment' | 'alpha' | 'minMagnitude'>) {
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

/** Exit 0 when every series could be read for steps; 1 when one has too little history (never green). */
export async function historyCommand(opts: HistoryCommandOptions): Promise<number> {
  if (!isReportFormat(opts.format)) {
    throw new InvalidInputError('flag --format', 'format', opts.format, REPORT_FORMATS.join(' | '));
  }
  const history = await historyOfStore(opts.baseline, opts.benchmark, { envKey: opts.key, ...changePointFlags(opts) });
  const text = renderHistoryReport(opts.format, history);
  if (opts.out) {
    writeFileSync(opts.out, text);
    info(`${opts.format} history written to ${opts.out} (${history.status})`);
  } else process.stdout.write(text);
  for (const s of history.series.filter((x) => x.status === 'insufficient'))
    info(`${s.envKey} ${s.metric}: ${s.reason}`);
  return history.status === 'insufficient' ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
}
