/**
 * Waits until the collector says it is ready: an HTTP probe (like the collector's own HEALTHCHECK
 * on :8080/ready) or a log line. Fails early when the collector exits while we wait.
 */
import { BenchError } from '../errors.js';
import type { Started } from '../runtime/types.js';

export interface ReadinessSpec {
  http: { url: string; status: number; json: Record<string, unknown> | null } | null;
  logRegex: string | null;
  timeoutSeconds: number;
}

export class NotReadyError extends BenchError {
  constructor(
    message: string,
    readonly reason: 'exited' | 'timeout',
    readonly collectorExitCode: number | null,
  ) {
    super('NOT_READY', message, { reason, collectorExitCode }, 5);
    this.name = 'NotReadyError';
  }
}

function containsJson(actual: unknown, expected: Record<string, unknown>): boolean {
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected).every(([k, v]) => {
    const a = (actual as Record<string, unknown>)[k];
    return v !== null && typeof v === 'object' ? containsJson(a, v as Record<string, unknown>) : a === v;
  });
}

async function probeHttp(spec: NonNullable<ReadinessSpec['http']>): Promise<boolean> {
  try {
    const res = await fetch(spec.url, { signal: AbortSignal.timeout(1000) });
    if (res.status !== spec.status) return false;
    if (!spec.json) return true;
    return containsJson(await res.json(), spec.json);
  } catch {
    return false;
  }
}

/** Resolves with the milliseconds from `startedAtMs` to ready. */
export async function waitForReady(
  handle: Started,
  spec: ReadinessSpec,
  startedAtMs: number,
  pollMs = 100,
): Promise<number> {
  let exited: { exitCode: number | null } | null = null;
  void handle.exited.then((e) => (exited = e));
  let logMatched = false;
  if (spec.logRegex) {
    const re = new RegExp(spec.logRegex);
    if (re.test(handle.logs())) logMatched = true;
    handle.onLine((line) => {
      if (re.test(line)) logMatched = true;
    });
  }
  const deadline = startedAtMs + spec.timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (exited) {
      const code = (exited as { exitCode: number | null }).exitCode;
      throw new NotReadyError(`${handle.name} exited with code ${code} before it was ready`, 'exited', code);
    }
    const httpOk = spec.http ? await probeHttp(spec.http) : true;
    const logOk = spec.logRegex ? logMatched : true;
    if (httpOk && logOk) return Date.now() - startedAtMs;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const what = [
    spec.http && `${spec.http.url} answering ${spec.http.status}`,
    spec.logRegex && `a log line matching /${spec.logRegex}/`,
  ]
    .filter(Boolean)
    .join(' and ');
  throw new NotReadyError(
    `${handle.name} was not ready within ${spec.timeoutSeconds} s (waited for ${what})`,
    'timeout',
    null,
  );
}
