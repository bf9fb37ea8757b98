/**
 * `collector-bench scenarios`: runs the scenario files (scenarios/run-scenarios.ts), prints the table
 * on stderr (or the results file's JSON on stdout with --json).
 */
import { readFileSync } from 'node:fs';
import { InvalidInputError, isBenchError } from '../../errors.js';
import { runScenarios } from '../../scenarios/run-scenarios.js';

/** The CLI entry: `collector-bench scenarios [--only a,b] [--collector-image X] [--runtime R] [--json]`. */
export async function runScenariosCommand(opts: {
  only?: string | string[];
  collectorImage?: string;
  runtime?: string;
  json?: boolean;
  outDir?: string;
  scenariosDir?: string;
}): Promise<number> {
  const err = (m: string) => process.stderr.write(`${m}\n`);
  try {
    const only =
      typeof opts.only === 'string'
        ? opts.only
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : opts.only;
    const runtime = opts.runtime ?? 'auto';
    if (!['auto', 'docker', 'process'].includes(runtime)) {
      throw new InvalidInputError('flag --runtime', 'runtime', runtime, 'auto, docker, process');
    }
    const out = await runScenarios({
      only,
      collectorImage: opts.collectorImage,
      runtime: runtime as 'auto' | 'docker' | 'process',
      json: opts.json,
      outDir: opts.outDir,
      scenariosDir: opts.scenariosDir,
      log: (m) => err(`› ${m}`),
    });
    err('');
    err(out.table);
    err(`\nresults: ${out.file}`);
    if (opts.json) process.stdout.write(readFileSync(out.file, 'utf8'));
    return out.exitCode;
  } catch (e) {
    if (isBenchError(e)) {
      err(`collector-bench scenarios: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}
