/**
 * The two arms of a same-machine A/B benchmark as configs: the arms' collectors come from the one
 * A/B model (contracts/ab.ts, `armsFromFlags`); the rest of each config is the configured one.
 */
import type { Config } from '../config/schema.js';
import { armsFromFlags, type AbFlags } from '../contracts/ab.js';
import type { AbArms } from '../run/ab-benchmark.js';

export function abArms(config: Config, flags: AbFlags): AbArms {
  const arms = armsFromFlags(config.collector, flags);
  return {
    baseline: { ...config, collector: { ...config.collector, ...arms.baseline } },
    candidate: { ...config, collector: { ...config.collector, ...arms.candidate } },
  };
}

/** The first A/B flag given, as typed (for an error that names it). */
export function abFlagGiven(flags: AbFlags): string {
  const names: Array<[keyof AbFlags, string]> = [
    ['baselineImage', '--baseline-image'],
    ['candidateImage', '--candidate-image'],
    ['baselineCommand', '--baseline-command'],
    ['candidateCommand', '--candidate-command'],
    ['baselineEnv', '--baseline-env'],
    ['candidateEnv', '--candidate-env'],
  ];
  const given = names.find(([k]) => {
    const v = flags[k];
    return Array.isArray(v) ? v.length > 0 : Boolean(v);
  });
  return given?.[1] ?? '--candidate-image';
}
