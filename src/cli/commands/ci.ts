/**
 * `collector-bench ci plan | report | update-baseline`: the steps of .github/workflows/ (app/ci.ts),
 * each a command so that every decision and every step can be rehearsed locally with an event file.
 */
import {
  ciPlan,
  ciReport,
  ciUpdateBaseline,
  type CiReportOptions,
  type CiUpdateBaselineOptions,
} from '../../app/ci.js';
import type { Config } from '../../config/schema.js';
import { EXIT_CODES } from '../../errors.js';
import { printer } from '../output.js';

export async function ciPlanCommand(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const plan = await ciPlan(printer, env);
  process.stdout.write(`${JSON.stringify(plan)}\n`);
  return EXIT_CODES.ok;
}

export async function ciReportCommand(opts: CiReportOptions, config: Config, env = process.env): Promise<number> {
  return ciReport(opts, config, printer, env);
}

export async function ciUpdateBaselineCommand(
  opts: CiUpdateBaselineOptions,
  config: Config,
  env = process.env,
): Promise<number> {
  return ciUpdateBaseline(opts, config, printer, env);
}
