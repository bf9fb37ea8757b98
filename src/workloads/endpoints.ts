/**
 * `endpoints`: each worker listens on a contiguous range of TCP ports whose size is drawn from
 * Zipf(n_ports, exponent) or Uniform(lower, upper), holds it for restart_interval seconds, closes
 * it, and draws again. A collector sees the listen endpoints appear and disappear.
 *
 * berserker draws each worker's range once and stacks the ranges (the next worker starts where the
 * previous ended). Because we redraw every interval, each worker gets a fixed base instead:
 * 1024 + worker x (largest possible size), so workers never collide whatever they draw.
 * Ports listen on 127.0.0.1 (berserker uses 0.0.0.0): this project keeps everything on loopback.
 * A port that is already in use is skipped and counted, not retried.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { EndpointsWorkload } from './config.js';
import { sampleUniformInt, seededRng, zipfSampler, type Rng } from './distributions.js';
import { round3, type EndpointsReport, type RunnerContext } from './report.js';
import { sleep } from './schedule.js';

export const FIRST_PORT = 1024;
const LAST_PORT = 65535;

/** Largest range a draw can give (the per-worker stride). */
export function maxRangeSize(w: EndpointsWorkload): number {
  return w.distribution === 'zipf' ? w.n_ports : w.upper - 1;
}

export function rangeSampler(w: EndpointsWorkload): (rng: Rng) => number {
  if (w.distribution === 'zipf') return zipfSampler(w.n_ports, w.exponent);
  return (rng) => sampleUniformInt(rng, w.lower, w.upper);
}

function listenOn(port: number): Promise<net.Server | string> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', (e: NodeJS.ErrnoException) => {
      server.close();
      resolve(e.code ?? e.message);
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true, backlog: 16 }, () => resolve(server));
  });
}

function closeAll(servers: net.Server[]): Promise<void> {
  return Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
}

export async function runEndpoints(w: EndpointsWorkload, ctx: RunnerContext): Promise<EndpointsReport> {
  const stride = maxRangeSize(w);
  const draw = rangeSampler(w);
  let portsBound = 0;
  let bindFailures = 0;
  let draws = 0;
  let drawnTotal = 0;
  let listening = 0;
  let maxListening = 0;
  const failureCodes = new Map<string, number>();

  const worker = async (index: number) => {
    const rng = seededRng(ctx.seed + index * 7919);
    const base = ctx.firstPort + index * stride;
    while (!ctx.signal.aborted) {
      const size = draw(rng);
      draws++;
      drawnTotal += size;
      const ports = Array.from({ length: size }, (_, k) => base + k);
      const results = await Promise.all(
        ports.map((p) => (p > LAST_PORT ? Promise.resolve('PORT_OUT_OF_RANGE') : listenOn(p))),
      );
      const servers: net.Server[] = [];
      for (const r of results) {
        if (typeof r === 'string') {
          bindFailures++;
          failureCodes.set(r, (failureCodes.get(r) ?? 0) + 1);
        } else servers.push(r);
      }
      portsBound += servers.length;
      listening += servers.length;
      maxListening = Math.max(maxListening, listening);
      await sleep(ctx.restartIntervalS * 1000, ctx.signal);
      await closeAll(servers);
      listening -= servers.length;
    }
  };

  const t0 = performance.now();
  ctx.log(
    `endpoints: ${ctx.workers} worker(s), ${w.distribution}, ranges from port ${ctx.firstPort} with stride ${stride}, held ${ctx.restartIntervalS}s`,
  );
  let durationS = 0;
  ctx.signal.addEventListener('abort', () => (durationS = (performance.now() - t0) / 1000), { once: true });
  await Promise.all(Array.from({ length: ctx.workers }, (_, i) => worker(i)));
  if (durationS === 0) durationS = (performance.now() - t0) / 1000;
  if (bindFailures > 0)
    ctx.log(
      `endpoints: ${bindFailures} port(s) not bound: ${[...failureCodes].map(([c, n]) => `${c} x${n}`).join(', ')}`,
    );

  return {
    type: 'endpoints',
    durationS: round3(durationS),
    workers: ctx.workers,
    portsBound,
    bindFailures,
    bindFailureCodes: Object.fromEntries(failureCodes),
    draws,
    redraws: Math.max(0, draws - ctx.workers),
    maxListening,
    meanRangeSize: draws ? round3(drawnTotal / draws) : 0,
    rate: round3(portsBound / durationS),
  };
}
