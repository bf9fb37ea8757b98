/** `collector-bench validate sampler`: the sampler-accuracy benchmark (sampling/validate.ts) as a table or JSON. */
import { EXIT_CODES } from '../../errors.js';
import {
  formatValidationTable,
  SAMPLER_TOLERANCE,
  validateSampler,
  type ValidateSamplerOptions,
} from '../../sampling/validate.js';

export interface ValidateSamplerCommandOptions extends ValidateSamplerOptions {
  /** Print the figures as JSON instead of a table. */
  json?: boolean;
  out?: (text: string) => void;
}

/** CLI entry (`collector-bench validate sampler`): prints the table; exit code 0 when every row is within tolerance, else 1. */
export async function runValidateSamplerCommand(opts: ValidateSamplerCommandOptions = {}): Promise<number> {
  const out = opts.out ?? ((t: string) => process.stdout.write(t + '\n'));
  const v = await validateSampler({ includeDockerStats: true, log: (l) => process.stderr.write(l + '\n'), ...opts });
  out(opts.json ? JSON.stringify(v, null, 2) : formatValidationTable(v));
  const ok = v.rows.every(
    (r) =>
      Math.abs(r.cpuRelativeError) <= SAMPLER_TOLERANCE.cpuRelative &&
      Math.abs(r.memoryRelativeError) <= SAMPLER_TOLERANCE.memoryRelative,
  );
  return ok ? EXIT_CODES.ok : EXIT_CODES.checkFailed;
}
