/**
 * Main's history in a folder store, built from plain numbers: one stored result per session, a
 * minute apart, each with three counted runs whose window means average to the session's value.
 */
import { ObjectBaselineStore } from '../../src/baseline/store.js';
import { FolderBackend } from '../../src/baseline/folder-store.js';
import type { Environment, ResultFile } from '../../src/contracts/result.js';
import { MiB } from '../../src/units.js';
import { at, resultFile, STORE_ENV } from './result-files.js';

export interface SessionSpec {
  cpu: number;
  memMiB?: number;
  env?: Partial<Environment>;
}

/** The fake commit of session i: 40 hex digits that tell sessions apart. */
export function shaOf(i: number): string {
  return `${i.toString(16).padStart(4, '0')}c0ffee`.padEnd(40, '0');
}

/** Values a level apart by a fixed, repeating pattern of +-2% (noise without a seed to argue about). */
export function wobble(level: number, n: number): number[] {
  const pattern = [0, 0.02, -0.015, 0.01, -0.02, 0.015, -0.01, 0.005];
  return Array.from({ length: n }, (_, i) => level * (1 + pattern[i % pattern.length]));
}

/** Session i of a history: three runs around the session's value, a minute after session i - 1. */
export function sessionResult(i: number, s: SessionSpec, benchmark = 'default'): ResultFile {
  const mem = (s.memMiB ?? 40) * MiB;
  return resultFile({
    benchmark,
    createdAt: at(i),
    sha: shaOf(i),
    ref: 'refs/heads/main',
    env: { ...STORE_ENV, ...s.env },
    // Three runs around the session's value: their mean is the value.
    runs: [0.98, 1, 1.02].map((f) => ({ cpu: s.cpu * f, mem })),
    samplesPerRun: 3,
    seed: i + 1,
  });
}

/** Stores sessions first, first + 1, ... from main in a folder store. */
export async function storeSessions(dir: string, sessions: readonly SessionSpec[], benchmark = 'default', first = 0) {
  const store = new ObjectBaselineStore(new FolderBackend(dir));
  for (const [i, s] of sessions.entries()) {
    await store.put(sessionResult(first + i, s, benchmark), { fromMain: true });
  }
  return store;
}
