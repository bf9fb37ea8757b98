/** Advice a comparison carries for its reader, from the decided metrics. */
import type { Decided } from './decide.js';
import type { AbDesign } from '../contracts/ab.js';
import { METRIC_NAME as NAME, formatMde } from '../contracts/figures.js';

/**
 * The note of an A/B comparison whose pairs ran as a duet: what each arm's figures are, and what no
 * arm is charged with.
 */
export function designNotes(design: AbDesign): string[] {
  if (design.design !== 'duet') return [];
  return [
    "Duet: both arms ran at once on one workload; each arm's CPU and memory come from its own cgroup (or process tree) " +
      'and its BPF time from the programs its own processes hold. Host and harness CPU are shared by both arms and ' +
      'attributed to neither.',
  ];
}

/** The note a history report carries for each metric whose sessions alone vary as much as its floor. */
export function historyNotes(metrics: readonly Decided[]): string[] {
  const notes: string[] = [];
  for (const m of metrics) {
    const cv = m.history?.sessionCv;
    const floor = m.floor.effective;
    if (cv === null || cv === undefined || floor === null || m.mdeAbsolute === null || m.mdeAbsolute <= floor) continue;
    notes.push(
      `${NAME[m.spec.metric]}: the baseline sessions themselves vary by ${(cv * 100).toFixed(1)}% ` +
        `(MDE ${formatMde(m.mde)} against a floor of ${formatMde(floor / (m.baseline.mean ?? floor))}); ` +
        `history mode cannot decide at that spread. The same-machine A/B mode (both collectors ` +
        `interleaved in one session) can.`,
    );
  }
  return notes;
}
