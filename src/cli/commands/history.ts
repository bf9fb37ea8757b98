/** `collector-bench history`: parses the flags, builds main's history (app/history.ts) and prints it. */
import { writeFileSync } from 'node:fs';
import { storeHistory, type StoreHistoryRequest } from '../../app/history.js';
import { EXIT_CODES, InvalidInputError } from '../../errors.js';
import { isReportFormat, renderHistoryReport, REPORT_FORMATS } from '../../report/index.js';
import { info } from '../output.js';

export interface HistoryCommandOptions extends StoreHistoryRequest {
  format: string;
  out?: string;
}

/** Exit 0 when every series could be read for steps; 1 when one has too little history (never green). */
export async function historyCommand(opts: HistoryCommandOptions): Promise<number> {
  if (!isReportFormat(opts.format)) {
    throw new InvalidInputError('flag --format', 'format', opts.format, REPORT_FORMATS.join(' | '));
  }
  const history = await storeHistory(opts);
  const text = renderHistoryReport(opts.format, history);
  if (opts.out) {
    writeFileSync(opts.out, text);
    info(`${opts.format} history written to ${opts.out} (${history.status})`);
  } else process.stdout.write(text);
  for (const s of history.series.filter((x) => x.status === 'insufficient'))
    info(`${s.envKey} ${s.metric}: ${s.reason}`);
  return history.status === 'insufficient' ? EXIT_CODES.checkFailed : EXIT_CODES.ok;
}
