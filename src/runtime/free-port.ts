/** Loopback ports for what the harness starts beside itself (a scenario's collector, a duet's second arm). */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Lowest port handed out: below it sit the well-known and registered services people run. */
const LOWEST = 20_000;
/** Start of Linux's default ephemeral range, used where the kernel's own setting cannot be read. */
const DEFAULT_EPHEMERAL_START = 32_768;

/**
 * Where free ports are drawn from: below the kernel's ephemeral range. A port the kernel picked for
 * `listen(0)` lies inside that range, so between our probe closing it and the agent binding it,
 * any outgoing connection on the machine could be given it as its source port (CI lost a run to
 * exactly that: the scenario's collector failed with EADDRINUSE). Below the range only an explicit
 * bind can take it.
 */
export function portRange(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): { low: number; high: number } {
  let start = DEFAULT_EPHEMERAL_START;
  try {
    const first = Number(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > LOWEST + 1_000) start = first;
  } catch {
    // not Linux, or /proc hidden: the default range
  }
  return { low: LOWEST, high: start - 1 };
}

/** Ports this process has handed out: two calls in a row must not return the same one. */
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolveBindable) => {
    const srv = createServer();
    srv.once('error', () => resolveBindable(false));
    srv.listen(port, LOOPBACK, () => srv.close(() => resolveBindable(true)));
  });
}

/** A loopback TCP port free right now (bound and released), outside the ephemeral range. */
export async function freePort(): Promise<number> {
  const { low, high } = portRange();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port found in ${low}-${high} after 200 tries`);
}
