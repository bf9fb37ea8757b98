/**
 * The harness only ever listens on loopback (see design: nothing targets an address outside it).
 * Host:port parsing and checks shared by the gRPC and HTTP listeners and the CLI entry.
 */
import { InvalidInputError } from '../errors.js';

export interface HostPort {
  host: string;
  port: number;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function assertLoopbackListen(source: string, key: string, hp: HostPort): void {
  if (!isLoopbackHost(hp.host)) {
    throw new InvalidInputError(source, key, hp.host, 'a loopback host (127.x.x.x, ::1 or localhost)');
  }
  if (!Number.isInteger(hp.port) || hp.port < 0 || hp.port > 65535) {
    throw new InvalidInputError(source, key, hp.port, 'an integer port 0..65535 (0 picks a free port)');
  }
}

/** Formats host:port, bracketing IPv6 literals. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Parses "127.0.0.1:9999", "[::1]:9999" or "localhost:0". */
export function parseHostPort(source: string, key: string, text: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) throw new InvalidInputError(source, key, text, 'host:port such as 127.0.0.1:9999 or [::1]:9999');
  const hp = { host: (m[1] ?? m[2]) as string, port: Number(m[3]) };
  assertLoopbackListen(source, key, hp);
  return hp;
}
