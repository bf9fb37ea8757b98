/**
 * The two arms of a same-machine A/B benchmark, from the command line's flags: each arm's image or
 * command and the environment that sets it apart.
 */
import type { Config } from '../config/schema.js';
import { InvalidInputError } from '../errors.js';
import type { AbArms } from '../run/ab-benchmark.js';

export interface AbFlags {
  baselineImage?: string;
  candidateImage?: string;
  baselineCommand?: string;
  candidateCommand?: string;
  baselineEnv?: string[];
  candidateEnv?: string[];
}

/** Whether the flags ask for an A/B run at all. */
export function wantsAb(flags: AbFlags): boolean {
  return Boolean(
    flags.baselineImage ||
    flags.candidateImage ||
    flags.baselineCommand ||
    flags.candidateCommand ||
    flags.baselineEnv?.length ||
    flags.candidateEnv?.length,
  );
}

export function parseEnvAssignments(flag: string, values: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of values) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(raw);
    if (!m) throw new InvalidInputError(`flag --${flag}`, flag, raw, 'KEY=VALUE, KEY made of letters, digits and _');
    env[m[1]] = m[2];
  }
  return env;
}

/** A command given as one string: split on whitespace (no shell quoting). */
function argvOf(command: string | undefined): string[] | null {
  if (command === undefined) return null;
  const argv = command.trim().split(/\s+/).filter(Boolean);
  return argv.length ? argv : null;
}

/**
 * The two arms' configs. Each arm's collector is its own image or command when given, else the
 * configured collector (null = the reference collector); a candidate with neither runs the
 * baseline's collector, so `--candidate-env K=V` alone A/Bs a knob of one collector.
 */
export function abArms(config: Config, flags: AbFlags): AbArms {
  const arm = (image: string | undefined, command: string | undefined, env: Record<string, string>, from: Config) => {
    const argv = argvOf(command);
    const collector = {
      ...from.collector,
      image: image ?? (argv ? null : from.collector.image),
      command: argv ?? (image ? null : from.collector.command),
      env: { ...from.collector.env, ...env },
    };
    return { ...from, collector };
  };
  const baseline = arm(
    flags.baselineImage,
    flags.baselineCommand,
    parseEnvAssignments('baseline-env', flags.baselineEnv),
    config,
  );
  const candidateEnv = parseEnvAssignments('candidate-env', flags.candidateEnv);
  const candidate = arm(flags.candidateImage, flags.candidateCommand, candidateEnv, {
    ...baseline,
    // The candidate starts from the baseline arm's collector but not from its own extra env.
    collector: { ...baseline.collector, env: { ...config.collector.env } },
  });
  return { baseline, candidate };
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
