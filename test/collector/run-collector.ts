/**
 * Test helper: runs the reference collector as a local process (node + tsx, no npx wrapper, so
 * signals and exit codes are the collector's own) and gives access to its log, HTTP and metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/runtime/free-port.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const COLLECTOR_MAIN = fileURLToPath(new URL('../../src/collector/main.ts', import.meta.url));

// Ports outside the kernel's ephemeral range (src/runtime/free-port.ts says why).
export { freePort };

export interface RunningCollector {
  child: ChildProcess;
  readyPort: number;
  metricsPort: number;
  lines: string[];
  output(): string;
  exit: Promise<number | null>;
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  get(path: string, port?: number): Promise<{ status: number; body: string }>;
  metrics(): Promise<Map<string, number>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$/;

/** Minimal Prometheus text parser: name{labels} -> value; throws on a line that is not valid exposition text. */
export function parsePrometheusText(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      if (!['counter', 'gauge', 'summary', 'histogram', 'untyped'].includes(type))
        throw new Error(`bad TYPE line: ${line}`);
      typed.add(name);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    if (!typed.has(m[1])) throw new Error(`sample before its # TYPE line: ${line}`);
    out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return out;
}

export async function startCollector(
  env: Record<string, string>,
  opts: { waitReady?: boolean } = {},
): Promise<RunningCollector> {
  const readyPort = env.REF_COLLECTOR_READY_PORT ? Number(env.REF_COLLECTOR_READY_PORT) : await freePort();
  const metricsPort = env.REF_COLLECTOR_METRICS_PORT ? Number(env.REF_COLLECTOR_METRICS_PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', COLLECTOR_MAIN], {
    cwd: REPO,
    env: {
      ...process.env,
      REF_COLLECTOR_READY_PORT: String(readyPort),
      REF_COLLECTOR_METRICS_PORT: String(metricsPort),
      REF_COLLECTOR_BIND: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buf = '';
  const onData = (d: Buffer): void => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) !== -1) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const rc: RunningCollector = {
    child,
    readyPort,
    metricsPort,
    lines,
    output: () => lines.join('\n'),
    exit,
    waitForLine(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = lines.find((l) => re.test(l));
          if (hit !== undefined) {
            listeners.delete(check as () => void);
            clearTimeout(t);
            resolve(hit);
            return true;
          }
          return false;
        };
        const t = setTimeout(() => {
          listeners.delete(check as () => void);
          reject(new Error(`no log line matching ${re} within ${timeoutMs} ms; output:\n${lines.join('\n')}`));
        }, timeoutMs);
        if (!check()) listeners.add(check as () => void);
      });
    },
    async get(path, port = readyPort) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.text() };
    },
    async metrics() {
      const { body } = await rc.get('/metrics', metricsPort);
      return parsePrometheusText(body);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exit;
      clearTimeout(t);
      return code;
    },
  };
  if (opts.waitReady !== false)
    await waitFor(async () => (await rc.get('/ready').catch(() => ({ status: 0 }))).status === 200, 60_000, rc);
  return rc;
}

export async function waitFor(
  cond: () => Promise<boolean> | boolean,
  timeoutMs: number,
  rc?: RunningCollector,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    if (rc && rc.child.exitCode !== null)
      throw new Error(`collector exited with ${rc.child.exitCode}:\n${rc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${rc ? `; collector output:\n${rc.output()}` : ''}`);
}

export function metric(m: Map<string, number>, family: string, type: string): number {
  const v = m.get(`${family}{type="${type}"}`);
  if (v === undefined) throw new Error(`metric ${family}{type="${type}"} missing`);
  return v;
}
