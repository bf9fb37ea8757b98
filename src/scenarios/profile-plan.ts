/**
 * A profile's scenario plan (the `scenarios` key of a collectors/<agent>.yaml) applied to the
 * scenario files: each scenario runs with the file's expectations, runs held to what the profile
 * says this agent shows (its exit code, FATAL line or log line, time limit), or is skipped with
 * the profile's reason. A skipped scenario is reported as skipped, never as passed.
 */
import type { ScenarioPlan } from '../config/schema.js';
import { InvalidInputError } from '../errors.js';
import type { Scenario } from './schema.js';

export interface PlannedScenario {
  scenario: Scenario;
  /** Why it does not apply; null when it runs. */
  skip: string | null;
}

/** @param known every scenario name there is (a subset may be run with --only; the plan may name the others) */
export function planScenarios(
  scenarios: Scenario[],
  plan: ScenarioPlan,
  source: string,
  known: string[] = scenarios.map((s) => s.name),
): PlannedScenario[] {
  const names = known;
  for (const section of ['expect', 'skip'] as const)
    for (const name of Object.keys(plan[section]))
      if (!names.includes(name))
        throw new InvalidInputError(
          source,
          `scenarios.${section}.${name}`,
          name,
          `a scenario name: ${names.join(', ')}`,
        );
  return scenarios.map((s) => {
    const reason = plan.skip[s.name];
    if (reason !== undefined) return { scenario: s, skip: reason };
    const held = plan.expect[s.name];
    if (held) {
      // The profile's expectations replace the file's (which describe the reference collector's logs).
      const { outcome = s.expect.outcome, maxSeconds = s.expect.maxSeconds, canary = false, ...rest } = held;
      return { scenario: { ...s, expect: { outcome, maxSeconds, canary, ...rest } }, skip: null };
    }
    if (plan.unlisted === 'skip')
      return { scenario: s, skip: 'not declared applicable by the profile (scenarios.unlisted: skip)' };
    return { scenario: s, skip: null };
  });
}
