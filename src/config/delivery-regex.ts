/**
 * The placeholders of a log delivery regex (collector.delivery `{ via: log, regex }`): `{canary}`
 * stands for the canary's unique name, `{stub}` for the workload stub's unique path, each as a
 * literal. The placeholder not being looked for stands for a pattern that matches nothing, so one
 * regex (e.g. `...(?:{canary}|{stub})`) serves both. The config checks a regex with this at load;
 * the log check fills it per canary.
 */
const NOTHING = '(?!)';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The delivery regex with its placeholders filled: `canary`/`stub` as literals, or matching nothing when null. */
export function fillDeliveryRegex(regex: string, values: { canary: string | null; stub: string | null }): RegExp {
  const canary = values.canary === null ? NOTHING : escapeRegExp(values.canary);
  const stub = values.stub === null ? NOTHING : escapeRegExp(values.stub);
  return new RegExp(regex.replaceAll('{canary}', canary).replaceAll('{stub}', stub));
}

/** Why a regular expression does not compile, or null when it does. */
export function regexError(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The same for a delivery regex: its placeholders stand for literals, so any literal checks the rest. */
export function deliveryRegexError(pattern: string): string | null {
  return regexError(pattern.replaceAll('{canary}', 'canary').replaceAll('{stub}', 'stub'));
}
