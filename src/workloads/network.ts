/**
 * `network`: TCP connections on loopback that a collector sees open, carry data and close.
 *
 * - server: listens on address:target_port and answers every chunk it receives with "hello\n"
 *   (berserker's server answers every line).
 * - clients (per worker): `connections_static` connections held for the whole run, plus dynamic
 *   ones arriving as a Poisson process of `arrival_rate`, each living Exp(departure_rate) seconds,
 *   at most `connections_dyn_max` at once (at the limit: preempt closes a random one, else the
 *   arrival is skipped and counted).
 * - sending, as berserker: every `send_interval` ms ONE connection of the worker (round robin)
 *   sends "hello <i>\n", so the data rate stays low whatever the number of connections.
 * - conns_per_addr: berserker gives every group of conns_per_addr connections its own source
 *   address (on a tun device). Here, when the target is 127.x.y.z, each group binds its own source
 *   address in 127.0.0.0/8, which all lives on the loopback interface; other targets use the
 *   kernel's choice. Source ports are the kernel's ephemeral ones.
 * berserker runs either the server or the clients (`server` = true/false); with `server` omitted
 * this process runs both, so one command gives a self-contained workload.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { NetworkWorkload } from './config.js';
import { sampleExponential, seededRng } from './distributions.js';
import { round3, type NetworkReport, type RunnerContext } from './report.js';
import { runPoisson } from './schedule.js';
import { RuntimeError } from '../errors.js';

interface Counters {
  connectionsOpened: number;
  connectionsClosed: number;
  connectFailures: number;
  abandoned: number;
  dynamicOpened: number;
  dynamicSkipped: number;
  accepted: number;
  bytesSent: number;
  bytesReceived: number;
}

/** Source address for the connection with this index, or undefined to let the kernel choose. */
export function sourceAddress(target: string, connsPerAddr: number, worker: number, index: number): string | undefined {
  if (!/^127\./.test(target)) return undefined;
  const group = Math.floor(index / connsPerAddr) % 60000;
  // 127.<worker+1>.<hi>.<lo>: each worker has its own /16, lo avoids 0 and 255.
  return `127.${(worker + 1) % 256}.${Math.floor(group / 250) % 256}.${1 + (group % 250)}`;
}

function startServer(w: NetworkWorkload, c: Counters, sockets: Set<net.Socket>): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      c.accepted++;
      sockets.add(socket);
      socket.on('data', () => socket.write('hello\n'));
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    server.once('error', reject);
    server.listen({ host: w.address, port: w.target_port, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

async function runClient(w: NetworkWorkload, ctx: RunnerContext, c: Counters, worker: number): Promise<void> {
  const rng = seededRng(ctx.seed + worker * 7919);
  const open: net.Socket[] = [];
  const dynamic = new Set<net.Socket>();
  const timers = new Map<net.Socket, NodeJS.Timeout>();
  let index = 0;

  const connect = (isDynamic: boolean) => {
    const i = index++;
    const socket = net.connect({
      host: w.address,
      port: w.target_port,
      localAddress: sourceAddress(w.address, w.conns_per_addr, worker, i),
    });
    let connected = false;
    let failed = false;
    socket.on('connect', () => {
      connected = true;
      c.connectionsOpened++;
      open.push(socket);
    });
    socket.on('data', (d) => (c.bytesReceived += d.length));
    socket.on('error', () => {
      if (!connected && !failed) {
        failed = true;
        c.connectFailures++;
      }
    });
    socket.on('close', () => {
      if (connected) c.connectionsClosed++;
      else if (!failed) c.abandoned++;
      const at = open.indexOf(socket);
      if (at >= 0) open.splice(at, 1);
      dynamic.delete(socket);
      clearTimeout(timers.get(socket));
      timers.delete(socket);
    });
    if (isDynamic) {
      dynamic.add(socket);
      c.dynamicOpened++;
      timers.set(
        socket,
        setTimeout(() => socket.destroy(), sampleExponential(rng, w.departure_rate) * 1000),
      );
    }
  };

  for (let k = 0; k < w.connections_static; k++) connect(false);

  let turn = 0;
  const sender = setInterval(() => {
    if (open.length === 0) return;
    const socket = open[turn++ % open.length];
    const msg = `hello ${turn}\n`;
    if (socket.writable) {
      socket.write(msg);
      c.bytesSent += Buffer.byteLength(msg);
    }
  }, w.send_interval);

  await runPoisson(w.arrival_rate, rng, ctx.signal, () => {
    if (dynamic.size >= w.connections_dyn_max) {
      if (!w.preempt || dynamic.size === 0) {
        c.dynamicSkipped++;
        return;
      }
      const victims = [...dynamic];
      victims[Math.floor(rng() * victims.length)].destroy();
    }
    connect(true);
  });

  clearInterval(sender);
  for (const t of timers.values()) clearTimeout(t);
  const all = new Set<net.Socket>([...open, ...dynamic]);
  await Promise.all(
    [...all].map((s) => new Promise<void>((r) => (s.destroyed ? r() : (s.once('close', () => r()), s.destroy())))),
  );
}

export async function runNetwork(w: NetworkWorkload, ctx: RunnerContext): Promise<NetworkReport> {
  const mode = w.server === undefined ? 'both' : w.server ? 'server' : 'client';
  const c: Counters = {
    connectionsOpened: 0,
    connectionsClosed: 0,
    connectFailures: 0,
    abandoned: 0,
    dynamicOpened: 0,
    dynamicSkipped: 0,
    accepted: 0,
    bytesSent: 0,
    bytesReceived: 0,
  };
  const serverSockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  if (mode !== 'client') {
    try {
      server = await startServer(w, c, serverSockets);
    } catch (e) {
      const msg = `network: cannot listen on ${w.address}:${w.target_port}: ${(e as Error).message}`;
      if (mode === 'server') throw new RuntimeError(msg, { address: w.address, port: w.target_port }, { cause: e });
      ctx.log(`${msg}; clients will use whatever listens there`);
    }
  }

  const t0 = performance.now();
  ctx.log(
    `network: ${mode}, ${w.address}:${w.target_port}` +
      (mode === 'server'
        ? ''
        : `, ${ctx.workers} client worker(s) x (${w.connections_static} static + Poisson ${w.arrival_rate}/s up to ${w.connections_dyn_max} dynamic)`),
  );
  let durationS = 0;
  ctx.signal.addEventListener('abort', () => (durationS = (performance.now() - t0) / 1000), { once: true });
  if (mode === 'server') {
    await new Promise<void>((r) =>
      ctx.signal.aborted ? r() : ctx.signal.addEventListener('abort', () => r(), { once: true }),
    );
  } else {
    await Promise.all(Array.from({ length: ctx.workers }, (_, i) => runClient(w, ctx, c, i)));
  }
  if (durationS === 0) durationS = (performance.now() - t0) / 1000;
  if (server) {
    for (const s of serverSockets) s.destroy();
    await new Promise<void>((r) => server!.close(() => r()));
  }
  if (c.connectFailures > 0) ctx.log(`network: ${c.connectFailures} connection(s) failed`);

  return {
    type: 'network',
    durationS: round3(durationS),
    workers: mode === 'server' ? 1 : ctx.workers,
    mode,
    ...c,
    rate: round3(c.dynamicOpened / durationS),
    targetRate: mode === 'server' ? 0 : w.arrival_rate * ctx.workers,
  };
}
