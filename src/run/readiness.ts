/**
 * Waits until the collector says it is ready: an HTTP probe (like the collector's own HEALTHCHECK
 * on :8080/ready) or a log line. Ends early when the collector exits while we wait. Not being ready
 * is an outcome of a run, not an error, so it is returned as a value.
 */
import type { ExitInfo, Started } from '../runtime/types.js';
import { exitDetail } from '../contracts/exit.js';

export interface ReadinessSpec {
  http: { url: string; status: number; json: Record<string, unknown> | null } | null;
  logRegex: string | null;
  timeoutSeconds: number;
}

export type Readiness =
  | { ready: true; /** From `startedAtMs` to ready. */ ms: number }
  | {
      ready: false;
      reason: 'exited';
      /** From `startedAtMs` to the exit. */ ms: number;
      exit: ExitInfo;
      message: string;
    }
  | { ready: false; reason: 'timeout'; ms: null; exit: null; message: string };

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

export async function waitForReady(
  handle: Pick<Started, 'name' | 'exited' | 'logs' | 'onLine'>,
  spec: ReadinessSpec,
  startedAtMs: number,
  pollMs = 100,
): Promise<Readiness> {
  let exited: { exit: ExitInfo; atMs: number } | null = null;
  void handle.exited.then((exit) => (exited = { exit, atMs: Date.now() }));
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
      const { exit, atMs } = exited as { exit: ExitInfo; atMs: number };
      const message = `${handle.name} exited ${exitDetail(exit)} before it was ready`;
      return { ready: false, reason: 'exited', ms: atMs - startedAtMs, exit, message };
    }
    const httpOk = spec.http ? await probeHttp(spec.http) : true;
    const logOk = spec.logRegex ? logMatched : true;
    if (httpOk && logOk) return { ready: true, ms: Date.now() - startedAtMs };
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const what = [
    spec.http && `${spec.http.url} answering ${spec.http.status}`,
    spec.logRegex && `a log line matching /${spec.logRegex}/`,
  ]
    .filter(Boolean)
    .join(' and ');
  const message = `${handle.name} was not ready within ${spec.timeoutSeconds} s (waited for ${what})`;
  return { ready: false, reason: 'timeout', ms: null, exit: null, message };
}
