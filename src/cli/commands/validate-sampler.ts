/** `collector-bench validate sampler`: the sampler-accuracy benchmark (app/sampler-accuracy.ts) as a table or JSON. */
import { samplerAccuracy, type ValidateSamplerOptions } from '../../app/sampler-accuracy.js';

export interface ValidateSamplerCommandOptions extends ValidateSamplerOptions {
  /** Print the figures as JSON instead of a table. */
  json?: boolean;
  out?: (text: string) => void;
}

/** CLI entry (`collector-bench validate sampler`): prints the table; exit code 0 when every row is within tolerance, else 1. */
export async function runValidateSamplerCommand(opts: ValidateSamplerCommandOptions = {}): Promise<number> {
  const out = opts.out ?? ((t: string) => process.stdout.write(t + '\n'));
  const { validation, table, exitCode } = await samplerAccuracy({
    includeDockerStats: true,
    log: (l) => process.stderr.write(l + '\n'),
    ...opts,
  });
  out(opts.json ? JSON.stringify(validation, null, 2) : table);
  return exitCode;
}
