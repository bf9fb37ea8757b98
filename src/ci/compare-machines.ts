/**
 * The report workflow's comparison: every machine's results against their own baseline (the other
 * arm of a same-machine A/B file, or the stored history for that machine's environment key), in
 * one Holm family across all machines and benchmarks, then merged into one report per benchmark.
 */
import { selectBaseline } from '../baseline/select.js';
import type { BaselineStore } from '../baseline/store.js';
import type { Comparison } from '../contracts/comparison.js';
import { InvalidInputError } from '../errors.js';
import { compareResultSets, type ComparisonInput, type CompareOptionsInput } from '../stats/compare.js';
import type { MachineArtifacts } from './artifacts.js';
import { mergeComparisons } from './merge-comparisons.js';

export interface MachineInput {
  machine: string;
  file: string;
  mode: 'ab' | 'history';
  input: ComparisonInput;
}

export interface MachineReport {
  benchmark: string;
  comparison: Comparison;
  machines: MachineInput[];
}

async function inputsFor(machines: readonly MachineArtifacts[], store: BaselineStore | null): Promise<MachineInput[]> {
  const inputs: MachineInput[] = [];
  for (const m of machines) {
    for (const r of m.results) {
      if (r.arms) {
        // An A/B file (`mode: "ab"`) carries its own baseline arm: the paired analysis reads its pairs.
        inputs.push({
          machine: m.machine,
          file: r.file,
          mode: 'ab',
          input: {
            baseline: [],
            candidate: r.result,
            baselineSource: 'same-machine A/B',
            candidateFile: r.file,
            baselineIds: [],
          },
        });
        continue;
      }
      if (!store) {
        throw new InvalidInputError(
          r.file,
          'mode',
          r.result.mode ?? 'single',
          'an A/B file (mode "ab"), or a baseline store for history mode (--baseline)',
        );
      }
      const selected = await selectBaseline(store, r.result);
      inputs.push({
        machine: m.machine,
        file: r.file,
        mode: 'history',
        input: {
          baseline: selected.results,
          candidate: r.result,
          baselineSource: store.location,
          candidateFile: r.file,
          baselineIds: selected.refs.map((ref) => ref.key),
          envKey: selected.envKey,
        },
      });
    }
  }
  return inputs;
}

export async function compareMachines(
  machines: readonly MachineArtifacts[],
  store: BaselineStore | null,
  options: CompareOptionsInput,
): Promise<MachineReport[]> {
  const inputs = await inputsFor(machines, store);
  const comparisons = compareResultSets(
    inputs.map((i) => i.input),
    options,
  );
  const benchmarks = [...new Set(comparisons.map((c) => c.benchmark))];
  return benchmarks.map((benchmark) => {
    const idx = comparisons.map((c, i) => (c.benchmark === benchmark ? i : -1)).filter((i) => i >= 0);
    const parts = idx.map((i) => ({ machine: inputs[i].machine, comparison: comparisons[i] }));
    // Two results files of one benchmark on one machine would make two tables with one heading.
    const seen = new Set<string>();
    for (const p of parts) {
      if (seen.has(p.machine)) {
        throw new InvalidInputError(
          inputs[idx[0]].file,
          'benchmark',
          benchmark,
          `one results file of "${benchmark}" per machine (${p.machine} has several)`,
        );
      }
      seen.add(p.machine);
    }
    return {
      benchmark,
      comparison: mergeComparisons(parts),
      machines: idx.map((i) => inputs[i]),
    };
  });
}
