/**
 * Every file the harness writes while it works (results after each run, a ramp after each step, the
 * scenarios' results) is written atomically: a temp file beside it, then a rename, so an
 * interrupted benchmark keeps what it finished and a reader never sees half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}
