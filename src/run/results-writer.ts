/** Where results files go, and how one is written (checked, then atomically: see atomic-json.ts). */
import { writeJsonAtomically } from '../atomic-json.js';
import { ResultFileSchema, type ResultFile } from '../contracts/result.js';

export function writeResultsAtomically(file: string, result: ResultFile): void {
  writeJsonAtomically(file, ResultFileSchema.parse(result)); // never write a file our own readers would reject
}

export function defaultResultsPath(benchmark: string, createdAt: Date, dir = 'results'): string {
  const stamp = createdAt
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  return `${dir}/${benchmark}-${stamp}.json`;
}
