import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../src/runtime/types.js';

function linesOf(buffer: LineBuffer, chunks: string[]): string[] {
  const lines: string[] = [];
  buffer.onLine((l) => lines.push(l));
  for (const c of chunks) buffer.push(c);
  buffer.flush();
  return lines;
}

describe('the line buffer', () => {
  it('hands out complete lines as they complete, and the last partial one on flush', () => {
    const b = new LineBuffer();
    expect(linesOf(b, ['a\nb', 'c\nd'])).toEqual(['a', 'bc', 'd']);
    expect(b.all()).toBe('a\nbc\nd');
  });

  it("reads a terminal's CR LF line ends as LF, also when a chunk ends between CR and LF", () => {
    const b = new LineBuffer({ terminal: true });
    expect(linesOf(b, ['ready\r\nexec 1\r', '\nexec 2\r\n', 'bare\rcr\r'])).toEqual([
      'ready',
      'exec 1',
      'exec 2',
      'bare\rcr\r',
    ]);
    expect(b.all()).toBe('ready\nexec 1\nexec 2\nbare\rcr\r');
  });

  it('keeps CRs of a program without a terminal as they came', () => {
    expect(linesOf(new LineBuffer(), ['x\r\n'])).toEqual(['x\r']);
  });
});
