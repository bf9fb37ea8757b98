/**
 * Re-reads one small kernel file (cgroupfs, procfs) through a file descriptor kept open, so a
 * sampling tick costs one pread instead of open + read + close. Kernel seq files regenerate
 * their content on every read at offset 0, which is what makes re-reading an open fd valid.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export class SmallFile {
  private fd: number | null;
  private buf: Buffer;

  constructor(
    readonly path: string,
    initialBytes = 4096,
  ) {
    this.fd = openSync(path, 'r');
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** The whole current content. Grows the buffer when a file does not fit (memory.stat can exceed 4 KiB). */
  read(): string {
    if (this.fd === null) throw new Error(`${this.path}: read after close`);
    for (;;) {
      let total = 0;
      // A seq file may hand its content out in several chunks; read until EOF or the buffer is full.
      for (;;) {
        const n = readSync(this.fd, this.buf, total, this.buf.length - total, total);
        if (n === 0) break;
        total += n;
        if (total === this.buf.length) break;
      }
      if (total < this.buf.length) return this.buf.toString('utf8', 0, total);
      this.buf = Buffer.allocUnsafe(this.buf.length * 2);
    }
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/** Parses "key value" lines (memory.stat, cpu.stat) into numbers; lines that are not two fields are ignored. */
export function parseKeyValueLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 2) continue;
    const v = Number(parts[1]);
    if (Number.isFinite(v)) out.set(parts[0], v);
  }
  return out;
}
