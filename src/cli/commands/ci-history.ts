/** `collector-bench ci history`: main's history after storing, and its tracking issue (app/ci-history.ts). */
import { ciHistory, type CiHistoryOptions } from '../../app/ci-history.js';
import type { Config } from '../../config/schema.js';
import { printer } from '../output.js';

export async function ciHistoryCommand(opts: CiHistoryOptions, config: Config, env = process.env): Promise<number> {
  return ciHistory(opts, config, printer, env);
}
