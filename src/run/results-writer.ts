/**
 * Results are written after every run, atomically (temp file + rename), so an interrupted benchmark
 * keeps every run it finished and a reader never sees half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ResultFileSchema, type ResultFile } from '../contracts/result.js';

export function writeResultsAtomically(file: string, result: ResultFile): void {
  const checked = ResultFileSchema.parse(result); // never write a file our own readers would reject
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`);
  renameSync(tmp, file);
}

export function defaultResultsPath(benchmark: string, createdAt: Date, dir = 'results'): string {
  const stamp = createdAt
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  return `${dir}/${benchmark}-${stamp}.json`;
}
