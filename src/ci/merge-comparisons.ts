/**
 * Several machines' comparisons of one benchmark as ONE report: one verdict table per environment
 * (the Markdown report groups metrics by environment key, so each metric's key is prefixed with
 * the machine it was measured on), and one overall verdict. The comparisons must come from one
 * `compareResultSets` call so that Holm already ran over every metric of every machine.
 */
import { ComparisonSchema, type Comparison } from '../contracts/comparison.js';
import { InvalidInputError } from '../errors.js';
import { DEFAULT_DECIDING, overallOf } from '../stats/deciding.js';

export interface MachineComparison {
  machine: string;
  comparison: Comparison;
}

/** The heading of a machine's table: `ubuntu-24.04 · linux-6.8_core_bpf_4cpu_x86_64`. */
export function machineEnvKey(machine: string, envKey: string): string {
  return `${machine} · ${envKey}`;
}

export function mergeComparisons(parts: readonly MachineComparison[]): Comparison {
  if (parts.length === 0) throw new InvalidInputError('merge', 'comparisons', [], 'at least one comparison');
  const [first] = parts;
  for (const p of parts) {
    if (p.comparison.benchmark !== first.comparison.benchmark) {
      throw new InvalidInputError(
        `machine ${p.machine}`,
        'benchmark',
        p.comparison.benchmark,
        `"${first.comparison.benchmark}" (one report per benchmark)`,
      );
    }
  }
  const metrics = parts.flatMap((p) =>
    p.comparison.metrics.map((m) => ({ ...m, envKey: machineEnvKey(p.machine, m.envKey) })),
  );
  const shas = [...new Set(parts.map((p) => p.comparison.candidate.sha))];
  // One rule for the overall verdict (stats/deciding.ts): the same metrics decide as on each machine.
  const { overall, deciding } = overallOf(
    [...metrics, ...parts.flatMap((p) => p.comparison.agentCost)],
    first.comparison.deciding?.requested ?? DEFAULT_DECIDING,
  );
  const merged: Comparison = {
    ...first.comparison,
    baselineSource: [...new Set(parts.map((p) => p.comparison.baselineSource))].join(', '),
    baselineResults: parts.flatMap((p) =>
      p.comparison.baselineResults.map((b) => ({ ...b, id: `${p.machine}: ${b.id}` })),
    ),
    candidate: {
      file: parts.length === 1 ? first.comparison.candidate.file : null,
      sha: shas.length === 1 ? shas[0] : null,
      createdAt: parts.map((p) => p.comparison.candidate.createdAt).sort()[0],
    },
    environmentMismatch: parts.flatMap((p) => p.comparison.environmentMismatch.map((e) => `${p.machine}: ${e}`)),
    droppedPairs: parts.flatMap((p) => p.comparison.droppedPairs.map((d) => `${p.machine}: ${d}`)),
    shortRuns: parts.flatMap((p) => p.comparison.shortRuns.map((r) => `${p.machine}: ${r}`)),
    metrics,
    agentCost: parts.flatMap((p) => p.comparison.agentCost),
    overall,
    deciding,
  };
  return ComparisonSchema.parse(merged);
}
