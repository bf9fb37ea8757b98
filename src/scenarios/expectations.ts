/** Compares what a scenario observed with what its file expects: one named check per expectation. */
import type { Scenario } from './schema.js';
import type { Check, Observed } from './result.js';

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function eq(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function checkExpectations(
  s: Scenario,
  o: Observed,
  extra: { bundleWritten?: boolean; log?: string } = {},
): Check[] {
  const e = s.expect;
  const checks: Check[] = [];
  const add = (name: string, expected: unknown, observed: unknown, ok: boolean) =>
    checks.push({ name, expected: show(expected), observed: show(observed), ok });

  add('outcome', e.outcome, o.outcome, o.outcome === e.outcome);
  if (e.exitCode !== undefined) add('exit code', e.exitCode, o.exitCode, o.exitCode === e.exitCode);
  add(
    'seconds',
    `<= ${e.maxSeconds}`,
    o.seconds === null ? null : Number(o.seconds.toFixed(2)),
    o.seconds !== null && o.seconds <= e.maxSeconds,
  );
  const d = o.diagnostics;
  if (e.fatal !== undefined) {
    const fatal = d?.fatal ?? null;
    add(
      'FATAL line',
      e.fatal === null ? 'none' : `contains "${e.fatal}"`,
      fatal ?? 'none',
      e.fatal === null ? fatal === null : fatal !== null && fatal.includes(e.fatal),
    );
  }
  if (e.logRegex !== undefined) {
    const line = (extra.log ?? '').split('\n').find((l) => new RegExp(e.logRegex!).test(l));
    add('log line', `/${e.logRegex}/`, line ?? 'no such line', line !== undefined);
  }
  for (const [key, want] of Object.entries(e.diagnostics ?? {})) {
    if (want === undefined) continue;
    const got = d ? (d as unknown as Record<string, unknown>)[key] : undefined;
    add(`diagnostics.${key}`, want, got ?? null, eq(got ?? null, want));
  }
  if (e.downloadAttempts !== undefined)
    add(
      'download attempts',
      e.downloadAttempts,
      d?.downloadAttempts ?? null,
      d?.downloadAttempts === e.downloadAttempts,
    );
  if (e.minHttp404Warnings !== undefined)
    add(
      'HTTP 404 warnings',
      `>= ${e.minHttp404Warnings}`,
      d?.http404Warnings ?? 0,
      (d?.http404Warnings ?? 0) >= e.minHttp404Warnings,
    );
  if (e.minHttpFailureWarnings !== undefined)
    add(
      'HTTP failure warnings',
      `>= ${e.minHttpFailureWarnings}`,
      d?.httpFailureWarnings ?? 0,
      (d?.httpFailureWarnings ?? 0) >= e.minHttpFailureWarnings,
    );
  if (e.sensorRequests !== undefined)
    add('sensor kernel-object requests', e.sensorRequests, o.sensorRequests, o.sensorRequests === e.sensorRequests);
  if (e.canary)
    add(
      'canary reached the sensor',
      'within 30 s',
      o.canaryLatencyMs === null ? 'never' : `${Math.round(o.canaryLatencyMs)} ms`,
      o.canaryLatencyMs !== null,
    );
  if (e.invalidReason !== undefined) {
    const reason = o.run?.invalidReason ?? null;
    add('invalid reason', `/${e.invalidReason}/`, reason, reason !== null && new RegExp(e.invalidReason).test(reason));
  }
  if (e.bundle !== undefined)
    add(
      'diagnostic bundle',
      e.bundle ? 'written' : 'none',
      extra.bundleWritten ? 'written' : 'none',
      !!extra.bundleWritten === e.bundle,
    );
  return checks;
}

/** The one-line "expected" column of the table. */
export function describeExpected(s: Scenario): string {
  const e = s.expect;
  const parts: string[] = [e.outcome === 'exit' ? `exit ${e.exitCode ?? '?'}` : e.outcome];
  if (e.fatal) parts.push(`FATAL "${e.fatal}"`);
  if (e.logRegex) parts.push(`log /${e.logRegex}/`);
  if (e.invalidReason) parts.push(`reason /${e.invalidReason}/`);
  if (e.canary) parts.push('canary');
  parts.push(`<= ${e.maxSeconds} s`);
  return parts.join(', ');
}

/** The one-line "observed" column. */
export function describeObserved(o: Observed): string {
  if (o.outcome === 'error') return 'harness error';
  if (o.outcome === 'skipped') return 'not run';
  const parts: string[] = [o.outcome];
  if (o.run) parts[0] = o.run.valid ? 'valid run' : `invalid run: ${o.run.invalidReason}`;
  if (o.diagnostics?.fatal) parts.push(`FATAL "${o.diagnostics.fatal}"`);
  if (o.canaryLatencyMs !== null) parts.push(`canary ${Math.round(o.canaryLatencyMs)} ms`);
  return parts.join(', ');
}
