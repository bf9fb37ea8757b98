/**
 * `collector-bench scenarios`: runs the scenario files (app/scenarios.ts), prints the table on
 * stderr (and the results file's JSON on stdout with --json).
 */
import { readFileSync } from 'node:fs';
import { runScenarioFiles } from '../../app/scenarios.js';
import { InvalidInputError, isBenchError } from '../../errors.js';
import { loadConfig } from '../../config/load.js';
import { printer } from '../output.js';

/** The CLI entry: `collector-bench scenarios [--config profile.yaml] [--only a,b] [--collector-image X] [--runtime R] [--json]`. */
export async function runScenariosCommand(opts: {
  config?: string;
  only?: string | string[];
  collectorImage?: string;
  runtime?: string;
  json?: boolean;
  outDir?: string;
  scenariosDir?: string;
}): Promise<number> {
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
    // A profile (collectors/<agent>.yaml): which scenarios apply to its agent, and how to start it.
    const loaded = opts.config ? loadConfig({}, opts.config) : null;
    const profile = loaded
      ? { file: loaded.file!, plan: loaded.config.scenarios, collector: loaded.config.collector }
      : undefined;
    const out = await runScenarioFiles(
      {
        only,
        collectorImage: opts.collectorImage ?? loaded?.config.collector.image ?? undefined,
        profile,
        runtime: runtime as 'auto' | 'docker' | 'process',
        json: opts.json,
        outDir: opts.outDir,
        scenariosDir: opts.scenariosDir,
      },
      printer,
    );
    if (opts.json) process.stdout.write(readFileSync(out.file, 'utf8'));
    return out.exitCode;
  } catch (e) {
    if (isBenchError(e)) {
      printer.info(`collector-bench scenarios: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}
