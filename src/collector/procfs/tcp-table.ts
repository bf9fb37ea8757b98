/**
 * Reading /proc/net/tcp and /proc/net/tcp6 cheaply. At 5 Hz with thousands of sockets, the table
 * is diffed on raw substrings (the hex "local remote" pair as key, the two-digit state as value);
 * only rows that changed are decoded into readable addresses.
 *
 * Row layout (net/ipv4/tcp_ipv4.c): `%4d: %08X:%04X %08X:%04X %02X ...`, IPv6 rows carry 32 hex
 * digits per address. The slot number is right-aligned and grows past 4 digits, so the fixed
 * offsets are taken from the first ':' of each row.
 */
export type TcpFamily = 4 | 6;

/** Key = hex "local remote" pair; value = hex state (e.g. "0A" = LISTEN). */
export type TcpSnapshot = Map<string, string>;

const ADDR_CHARS: Record<TcpFamily, number> = { 4: 8, 6: 32 };

export function parseTcpTable(text: string, family: TcpFamily): TcpSnapshot {
  const endpointLen = ADDR_CHARS[family] + 5; // address ':' port(4)
  const pairLen = endpointLen * 2 + 1;
  const out: TcpSnapshot = new Map();
  let pos = text.indexOf('\n'); // skip the header row
  while (pos !== -1 && pos < text.length - 1) {
    const lineStart = pos + 1;
    const next = text.indexOf('\n', lineStart);
    const colon = text.indexOf(':', lineStart);
    if (colon === -1 || (next !== -1 && colon > next)) break;
    const start = colon + 2;
    if (start + pairLen + 3 <= (next === -1 ? text.length : next)) {
      out.set(text.substr(start, pairLen), text.substr(start + pairLen + 1, 2));
    }
    pos = next;
  }
  return out;
}

export interface TcpChange {
  pair: string;
  /** New hex state, or null when the pair disappeared. */
  state: string | null;
  previousState: string | null;
}

/** Pairs that are new or changed state (state set) and pairs that are gone (state null). */
export function diffTcpSnapshots(prev: TcpSnapshot, cur: TcpSnapshot): TcpChange[] {
  const changes: TcpChange[] = [];
  for (const [pair, state] of cur) {
    const before = prev.get(pair);
    if (before !== state) changes.push({ pair, state, previousState: before ?? null });
  }
  for (const [pair, state] of prev) {
    if (!cur.has(pair)) changes.push({ pair, state: null, previousState: state });
  }
  return changes;
}

/** "0100007F:1F90" -> "127.0.0.1:8080"; IPv6 addresses are four little-endian 32-bit words. */
export function decodeEndpoint(hex: string, family: TcpFamily): string {
  const [addrHex, portHex] = hex.split(':');
  const port = parseInt(portHex, 16);
  if (family === 4) {
    const b = [6, 4, 2, 0].map((i) => parseInt(addrHex.substr(i, 2), 16));
    return `${b.join('.')}:${port}`;
  }
  const groups: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = addrHex.substr(w * 8, 8);
    // Each word is stored in host (little-endian) order: reverse its bytes.
    const bytes = [6, 4, 2, 0].map((i) => word.substr(i, 2)).join('');
    groups.push(bytes.substr(0, 4), bytes.substr(4, 4));
  }
  const addr = groups.map((g) => parseInt(g, 16).toString(16)).join(':');
  return `[${compressIpv6(addr)}]:${port}`;
}

function compressIpv6(addr: string): string {
  const parts = addr.split(':');
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < parts.length;) {
    if (parts[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < parts.length && parts[j] === '0') j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) return parts.join(':');
  const head = parts.slice(0, bestStart).join(':');
  const tail = parts.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

export function splitPair(pair: string, family: TcpFamily): { local: string; remote: string } {
  const len = ADDR_CHARS[family] + 5;
  return {
    local: decodeEndpoint(pair.substr(0, len), family),
    remote: decodeEndpoint(pair.substr(len + 1, len), family),
  };
}
