/**
 * The collector's two HTTP surfaces, as on the real collector:
 * - READY_PORT: `GET /ready` (503 `{"status":"starting"}` until collecting, then 200
 *   `{"status":"ok"}`) and JSON introspection (`/state/processes`, `/state/network/endpoint`,
 *   `/state/network/connection`).
 * - METRICS_PORT: `GET /metrics`, Prometheus text.
 * When both ports are equal, one server answers both sets of paths.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderPrometheus, type CollectorMetrics } from './metrics.js';
import type { EventPipeline } from './pipeline.js';

export interface CollectorState {
  ready: boolean;
  metrics: CollectorMetrics;
  pipeline: EventPipeline | null;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readyRoutes(state: CollectorState): Handler {
  return (req, res, url) => {
    if (url.pathname === '/ready') {
      if (state.ready) json(res, 200, { status: 'ok' });
      else json(res, 503, { status: 'starting' });
      return true;
    }
    if (url.pathname === '/state/processes') {
      const comm = url.searchParams.get('comm');
      const pid = url.searchParams.get('pid');
      const contains = url.searchParams.get('contains');
      let list = state.pipeline?.recentProcessList() ?? [];
      if (comm) list = list.filter((p) => p.comm === comm || p.exePath.endsWith(`/${comm}`));
      if (pid) list = list.filter((p) => String(p.pid) === pid);
      if (contains)
        list = list.filter(
          (p) => p.comm.includes(contains) || p.exePath.includes(contains) || p.args.includes(contains),
        );
      json(res, 200, list);
      return true;
    }
    if (url.pathname === '/state/network/endpoint' || url.pathname === '/state/network/connection') {
      const role = url.pathname.endsWith('endpoint') ? 'endpoint' : 'connection';
      const items = [...(state.pipeline?.network.values() ?? [])].filter((e) => e.role === role);
      json(
        res,
        200,
        items.map(({ local, remote, state: s, pid }) => ({ local, remote, state: s, pid })),
      );
      return true;
    }
    return false;
  };
}

function metricsRoutes(state: CollectorState): Handler {
  return (_req, res, url) => {
    if (url.pathname !== '/metrics') return false;
    state.pipeline?.refreshGauges();
    const body = renderPrometheus(state.metrics);
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
    return true;
  };
}

function serve(handlers: Handler[]): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://collector');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { error: `method ${req.method} not allowed` });
      return;
    }
    for (const h of handlers) if (h(req, res, url)) return;
    json(res, 404, { error: `no route ${url.pathname}` });
  });
}

function listen(server: http.Server, port: number, bind: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export interface HttpEndpoints {
  readyPort: number;
  metricsPort: number;
  close(): Promise<void>;
}

export async function startHttpEndpoints(
  state: CollectorState,
  opts: { readyPort: number; metricsPort: number; bind: string },
): Promise<HttpEndpoints> {
  const servers: http.Server[] = [];
  let readyPort: number;
  let metricsPort: number;
  if (opts.readyPort === opts.metricsPort && opts.readyPort !== 0) {
    const s = serve([readyRoutes(state), metricsRoutes(state)]);
    servers.push(s);
    readyPort = metricsPort = await listen(s, opts.readyPort, opts.bind);
  } else {
    const r = serve([readyRoutes(state)]);
    const m = serve([metricsRoutes(state)]);
    servers.push(r, m);
    readyPort = await listen(r, opts.readyPort, opts.bind);
    metricsPort = await listen(m, opts.metricsPort, opts.bind);
  }
  return {
    readyPort,
    metricsPort,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
