/**
 * The kernel-object download side of the mock sensor: `GET /kernel-objects/<module-version>/<name>.gz`
 * over plain HTTP on loopback, with a per-scenario behaviour (serve, 404, k 5xx then serve, slow,
 * connection refused) so startup scenarios can drive a collector's download and retry paths.
 *
 * Files are looked up in `objectsDir` as `<module-version>/<name>.gz`, then `<module-version>/<name>`
 * (gzipped on the fly), then the same two names directly in `objectsDir` (a flat folder works for
 * any module version).
 */
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { z } from 'zod';
import { InvalidInputError, RuntimeError } from '../errors.js';
import { formatHostPort, type HostPort } from './loopback.js';

const gzipAsync = promisify(gzip);

export const DriverBehaviourSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('serve') }).strict(),
  z.object({ mode: z.literal('notFound') }).strict(),
  z
    .object({
      mode: z.literal('error5xxThenServe'),
      /** How many kernel-object requests fail (counted over all paths) before serving resumes. */
      failures: z.number().int().min(0),
      status: z.number().int().min(500).max(599).default(503),
    })
    .strict(),
  z.object({ mode: z.literal('slow'), delayMs: z.number().int().min(0) }).strict(),
  z.object({ mode: z.literal('refused') }).strict(),
]);
export type DriverBehaviour = z.infer<typeof DriverBehaviourSchema>;
export type DriverBehaviourInput = z.input<typeof DriverBehaviourSchema>;
export type DriverMode = DriverBehaviour['mode'];
export const DRIVER_MODES: readonly DriverMode[] = ['serve', 'notFound', 'error5xxThenServe', 'slow', 'refused'];

export function parseDriverBehaviour(source: string, input: unknown): DriverBehaviour {
  const r = DriverBehaviourSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const key = issue && issue.path.length > 0 ? issue.path.join('.') : 'mode';
  const value =
    issue && issue.path.length > 0 ? (input as Record<string, unknown> | undefined)?.[String(issue.path[0])] : input;
  throw new InvalidInputError(
    source,
    key,
    value,
    `{mode: ${DRIVER_MODES.join('|')}}; error5xxThenServe needs failures (int >= 0) and optional status 500-599; slow needs delayMs (int >= 0)`,
    issue?.message,
  );
}

/** Per request path: how many requests, and how many ended with each status ("aborted" if the client went away first). */
export type KernelObjectRequestCounts = Record<string, { total: number; byStatus: Record<string, number> }>;

const ROUTE = /^\/kernel-objects\/([^/]+)\/([^/]+)\.gz$/;
// Path segments name files in objectsDir: refuse anything that could climb out of it.
const SAFE_SEGMENT = /^(?!\.\.?$)[A-Za-z0-9._+~-]+$/;

export interface KernelObjectServerOptions {
  listen: HostPort;
  objectsDir?: string;
  behaviour?: DriverBehaviourInput;
}

export class KernelObjectServer {
  private readonly server: http.Server;
  private readonly listenOn: HostPort;
  private readonly objectsDir: string | undefined;
  private behaviour: DriverBehaviour;
  private failuresLeft = 0;
  private boundPort: number | undefined;
  private listening = false;
  private stopped = false;
  private requestCounts: KernelObjectRequestCounts = {};
  private readonly delayed = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  // Behaviour changes (which may close or reopen the listener) run one at a time, in call order.
  private queue: Promise<void> = Promise.resolve();

  constructor(options: KernelObjectServerOptions) {
    this.listenOn = options.listen;
    this.objectsDir = options.objectsDir;
    this.behaviour = parseDriverBehaviour('mock sensor driver behaviour', options.behaviour ?? { mode: 'serve' });
    this.failuresLeft = this.behaviour.mode === 'error5xxThenServe' ? this.behaviour.failures : 0;
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    if (this.boundPort === undefined)
      throw new RuntimeError('mock sensor: the kernel-object server has not been started');
    return this.boundPort;
  }

  get address(): string {
    return formatHostPort(this.listenOn.host, this.port);
  }

  get currentBehaviour(): DriverBehaviour {
    return this.behaviour;
  }

  /** Binds the listener (even in `refused` mode, to learn the port; it is then closed again). */
  async start(): Promise<void> {
    await this.listen(this.listenOn.port);
    if (this.behaviour.mode === 'refused') await this.closeListener();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue.catch(() => undefined);
    await this.closeListener();
  }

  setBehaviour(input: DriverBehaviourInput): Promise<void> {
    const next = parseDriverBehaviour('mock sensor driver behaviour', input);
    const run = async (): Promise<void> => {
      this.behaviour = next;
      this.failuresLeft = next.mode === 'error5xxThenServe' ? next.failures : 0;
      if (this.stopped || this.boundPort === undefined) return;
      if (next.mode === 'refused') await this.closeListener();
      else if (!this.listening) await this.listen(this.boundPort);
    };
    this.queue = this.queue.catch(() => undefined).then(run);
    return this.queue;
  }

  requests(): KernelObjectRequestCounts {
    return structuredClone(this.requestCounts);
  }

  resetRequests(): void {
    this.requestCounts = {};
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        this.server.off('listening', onListening);
        const target = formatHostPort(this.listenOn.host, port);
        reject(
          new RuntimeError(
            `mock sensor: cannot listen for HTTP on ${target}: ${err.message}`,
            { address: target },
            { cause: err },
          ),
        );
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        this.listening = true;
        this.boundPort = (this.server.address() as AddressInfo).port;
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen({ host: this.listenOn.host, port });
    });
  }

  /** Stops accepting, drops open connections (and delayed responses); resolves when the port is free. */
  private closeListener(): Promise<void> {
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
    if (!this.listening) {
      for (const s of this.sockets) s.destroy();
      return Promise.resolve();
    }
    this.listening = false;
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets would otherwise keep reaching a "refused" sensor.
      for (const s of this.sockets) s.destroy();
    });
  }

  private count(path: string, status: string): void {
    const entry = (this.requestCounts[path] ??= { total: 0, byStatus: {} });
    entry.total += 1;
    entry.byStatus[status] = (entry.byStatus[status] ?? 0) + 1;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    res.on('close', () => this.count(path, res.writableFinished ? String(res.statusCode) : 'aborted'));

    if (this.behaviour.mode === 'refused' || this.stopped) {
      // A request on a connection accepted before the listener closed: refuse it the only way
      // left, by dropping the connection.
      req.socket.destroy();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'only GET and HEAD are served\n', { Allow: 'GET, HEAD' });
      return;
    }
    const m = ROUTE.exec(path);
    const version = m?.[1] !== undefined ? safeDecode(m[1]) : undefined;
    const name = m?.[2] !== undefined ? safeDecode(m[2]) : undefined;
    if (!version || !name || !SAFE_SEGMENT.test(version) || !SAFE_SEGMENT.test(name)) {
      sendText(res, 404, 'not a kernel object path: expected /kernel-objects/<module-version>/<name>.gz\n');
      return;
    }

    const b = this.behaviour;
    if (b.mode === 'notFound') {
      sendText(res, 404, `no kernel object ${name}.gz for module version ${version}\n`);
    } else if (b.mode === 'error5xxThenServe' && this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      sendText(res, b.status, 'injected failure\n');
    } else if (b.mode === 'slow') {
      const t = setTimeout(() => {
        this.delayed.delete(t);
        void this.serveObject(req, res, version, name);
      }, b.delayMs);
      this.delayed.add(t);
    } else {
      void this.serveObject(req, res, version, name);
    }
  }

  private async serveObject(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    version: string,
    name: string,
  ): Promise<void> {
    try {
      const body = await this.findObject(version, name);
      if (res.destroyed) return;
      if (!body) {
        sendText(res, 404, `no kernel object ${name}.gz for module version ${version}\n`);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      if (!res.headersSent && !res.destroyed)
        sendText(res, 500, `mock sensor could not read the object: ${(err as Error).message}\n`);
    }
  }

  private async findObject(version: string, name: string): Promise<Buffer | undefined> {
    if (this.objectsDir === undefined) return undefined;
    for (const dir of [join(this.objectsDir, version), this.objectsDir]) {
      const gz = join(dir, `${name}.gz`);
      if (await isFile(gz)) return readFile(gz);
      const raw = join(dir, name);
      if (await isFile(raw)) return gzipAsync(await readFile(raw));
    }
    return undefined;
  }
}

function sendText(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
