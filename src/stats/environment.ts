/**
 * Which environment differences make two results incomparable. A collector's cost depends on the
 * kernel (major.minor: patch releases rarely change the BPF paths), the collection method, the
 * number of CPUs (per-CPU buffers, workload workers per core) and the architecture. Everything else
 * (OS name, CPU model string, memory size, image id) is reported but not gated on.
 */
import type { Environment } from '../contracts/result.js';

/** "5.15.0-1047-gcp" -> "5.15"; unparsable strings are compared whole. */
export function kernelMajorMinor(kernel: string): string {
  const m = /^(\d+)\.(\d+)/.exec(kernel.trim());
  return m ? `${m[1]}.${m[2]}` : kernel.trim();
}

/** The gated keys of an environment, as compared. */
export function comparableEnvironment(env: Environment): Record<string, string> {
  return {
    kernel: kernelMajorMinor(env.kernel),
    collectionMethod: env.collectionMethod,
    cpus: String(env.cpus),
    arch: env.arch,
  };
}

/**
 * Differences between each baseline environment and the candidate's, one line per key and value,
 * e.g. "kernel: baseline 5.15, candidate 6.1". Empty when everything matches.
 */
export function environmentMismatches(baselines: readonly Environment[], candidate: Environment): string[] {
  const cand = comparableEnvironment(candidate);
  const lines: string[] = [];
  for (const key of Object.keys(cand)) {
    const seen = [...new Set(baselines.map((b) => comparableEnvironment(b)[key]))].filter((v) => v !== cand[key]);
    if (seen.length > 0) lines.push(`${key}: baseline ${seen.join(', ')}, candidate ${cand[key]}`);
  }
  return lines;
}
