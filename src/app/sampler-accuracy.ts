/** The sampler-accuracy use case (`validate sampler`, `npm run bench:sampler`): measured, then held to its tolerance. */
import { EXIT_CODES } from '../errors.js';
import {
  formatValidationTable,
  SAMPLER_TOLERANCE,
  validateSampler,
  type ValidateSamplerOptions,
} from '../sampling/validate.js';

export type { ValidateSamplerOptions };

/** The figures, their table and the exit code: 0 when every row is within tolerance, else 1. */
export async function samplerAccuracy(opts: ValidateSamplerOptions) {
  const validation = await validateSampler(opts);
  const ok = validation.rows.every(
    (r) =>
      Math.abs(r.cpuRelativeError) <= SAMPLER_TOLERANCE.cpuRelative &&
      Math.abs(r.memoryRelativeError) <= SAMPLER_TOLERANCE.memoryRelative,
  );
  return {
    validation,
    table: formatValidationTable(validation),
    exitCode: ok ? EXIT_CODES.ok : EXIT_CODES.checkFailed,
  };
}
