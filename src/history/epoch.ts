/**
 * Which environment changes start a new epoch of a history. The environment key (contracts/env-key.ts)
 * groups results by kernel line, method, cores and architecture; inside one key a patch kernel, a new
 * runner image (its OS release) or another core count still moves every figure at once. Such a step
 * is the machine's, not the code's: the detector never lets a segment span two epochs.
 * The CPU model is left out on purpose: hosted runners draw one of several models per job, and
 * making each draw an epoch would leave no segment long enough to test.
 */
import type { Environment } from '../contracts/result.js';

export const EPOCH_FIELDS = ['kernel', 'collectionMethod', 'cpus', 'os'] as const;

export type EpochEnvironment = Record<(typeof EPOCH_FIELDS)[number], string | number>;

export function epochEnvironment(env: Environment): EpochEnvironment {
  return { kernel: env.kernel, collectionMethod: env.collectionMethod, cpus: env.cpus, os: env.os };
}

/** Labels each environment (oldest first) with its epoch: 0, and +1 whenever an epoch field changes. */
export function epochLabels(envs: readonly Environment[]): number[] {
  const labels: number[] = [];
  let prev: string | null = null;
  for (const env of envs) {
    const id = JSON.stringify(epochEnvironment(env));
    const last = labels.length === 0 ? -1 : labels[labels.length - 1];
    labels.push(prev === null || id === prev ? Math.max(0, last) : last + 1);
    prev = id;
  }
  return labels;
}
