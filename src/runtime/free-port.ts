/** Loopback ports for what the harness starts beside itself (a scenario's collector, a duet's second arm). */
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A loopback TCP port free right now (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}
