import { describe, expect, it } from 'vitest';
import { decodeEndpoint, diffTcpSnapshots, parseTcpTable, splitPair } from '../../src/collector/procfs/tcp-table.js';

const HEADER4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const TAIL = ' 00000000:00000000 00:00000000 00000000     0        0 60321 1 000000009c958af3 100 0 0 10 0\n';

function row4(sl: number, local: string, remote: string, st: string): string {
  return `${String(sl).padStart(4)}: ${local} ${remote} ${st}${TAIL}`;
}

describe('parseTcpTable', () => {
  it('keys IPv4 rows by the hex local/remote pair and keeps the hex state', () => {
    const text =
      HEADER4 + row4(0, '0100007F:1F90', '00000000:0000', '0A') + row4(1, '0100007F:A2B4', '0100007F:1F90', '01');
    const snap = parseTcpTable(text, 4);
    expect([...snap]).toEqual([
      ['0100007F:1F90 00000000:0000', '0A'],
      ['0100007F:A2B4 0100007F:1F90', '01'],
    ]);
  });

  it('handles slot numbers wider than four digits', () => {
    const text = HEADER4 + row4(12345, '0100007F:0050', '00000000:0000', '0A');
    expect([...parseTcpTable(text, 4)]).toEqual([['0100007F:0050 00000000:0000', '0A']]);
  });

  it('parses IPv6 rows (32 hex digits per address)', () => {
    const header = '  sl  local_address                         remote_address                        st tx_queue\n';
    const text = `${header}   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A${TAIL}`;
    const snap = parseTcpTable(text, 6);
    expect([...snap]).toEqual([['00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000', '0A']]);
  });

  it('returns an empty snapshot for a header-only or empty table', () => {
    expect(parseTcpTable(HEADER4, 4).size).toBe(0);
    expect(parseTcpTable('', 4).size).toBe(0);
  });
});

describe('diffTcpSnapshots', () => {
  it('reports new pairs, state changes and vanished pairs', () => {
    const prev = new Map([
      ['A', '0A'],
      ['B', '01'],
      ['C', '01'],
    ]);
    const cur = new Map([
      ['A', '0A'],
      ['B', '06'],
      ['D', '02'],
    ]);
    expect(diffTcpSnapshots(prev, cur)).toEqual([
      { pair: 'B', state: '06', previousState: '01' },
      { pair: 'D', state: '02', previousState: null },
      { pair: 'C', state: null, previousState: '01' },
    ]);
  });
});

describe('decodeEndpoint', () => {
  it('decodes little-endian IPv4 addresses and hex ports', () => {
    expect(decodeEndpoint('0100007F:1F90', 4)).toBe('127.0.0.1:8080');
    expect(decodeEndpoint('00000000:0000', 4)).toBe('0.0.0.0:0');
  });

  it('decodes IPv6 as four little-endian words and compresses zero runs', () => {
    expect(decodeEndpoint('00000000000000000000000001000000:0050', 6)).toBe('[::1]:80');
    expect(decodeEndpoint('B80D0120000000000000000001000000:01BB', 6)).toBe('[2001:db8::1]:443');
    expect(decodeEndpoint('00000000000000000000000000000000:0000', 6)).toBe('[::]:0');
    expect(decodeEndpoint('0000000000000000FFFF00000100007F:0016', 6)).toBe('[::ffff:7f00:1]:22');
  });

  it('splits a pair key into readable local and remote endpoints', () => {
    expect(splitPair('0100007F:A2B4 0100007F:1F90', 4)).toEqual({ local: '127.0.0.1:41652', remote: '127.0.0.1:8080' });
  });
});
