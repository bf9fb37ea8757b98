/** Placeholder until the comparison lands: says plainly that no comparison was made. */
import type { Config } from '../../config/schema.js';
import type { ResultFile } from '../../contracts/result.js';
import { info } from '../output.js';

export async function compareAfterRun(config: Config, result: ResultFile, file: string): Promise<{ comparison: unknown; exitCode: number }> {
  void result;
  info(`comparison: not made (baseline store ${config.compare.baseline}; results in ${file})`);
  return { comparison: null, exitCode: 0 };
}
