/** The scenarios use case (`collector-bench scenarios`): the scenario files run (scenarios/run-scenarios.ts), their table printed. */
import { runScenarios, type RunScenariosOptions } from '../scenarios/run-scenarios.js';
import type { Printer } from './printer.js';

export type ScenariosRequest = Pick<
  RunScenariosOptions,
  'only' | 'collectorImage' | 'profile' | 'runtime' | 'json' | 'outDir' | 'scenariosDir'
>;

/** Runs them, prints the table and where the results file is; its exit code is the outcome's. */
export async function runScenarioFiles(req: ScenariosRequest, print: Printer) {
  const out = await runScenarios({ ...req, log: (m) => print.info(`› ${m}`) });
  print.info('');
  print.info(out.table);
  print.info(`\nresults: ${out.file}`);
  return out;
}
