/**
 * THE rule that forms a comparison's overall verdict from its metrics' verdicts (compare.ts and the
 * multi-machine merge both call it). Every compared metric is tested in the report's one Holm family
 * and shown; the overall verdict reads the verdicts of the deciding ones:
 * - a metric with no per-event alternative always decides (memory, memory growth, host overhead);
 * - of a rate metric and its per-event alternative (metrics.ts `perEventOf`: CPU % of a core and CPU
 *   ms per 1,000 delivered events; BPF CPU % and BPF ns per event), the one `compare.deciding`
 *   chooses decides and the other is shown only. Where the chosen one of a pair was not compared
 *   (delivery not counted, older files), the other decides and the record says so: a CPU
 *   regression is never left out of the overall verdict for want of a figure.
 * Then verdict.ts's `overallVerdict` combines them (regression if any, else inconclusive if any, ...).
 */
import type { Deciding, DecidingMetric, Verdict } from '../contracts/comparison.js';
import { METRICS, type ComparedMetric } from './metrics.js';
import { overallVerdict } from './verdict.js';

/** Until validate's measurements say otherwise, CPU % of a core decides (issue 18, part 2). */
export const DEFAULT_DECIDING: DecidingMetric = 'cpuPercent';

/** Which of `present` enter the overall verdict when `deciding` is chosen. */
export function decidingMetrics(present: readonly ComparedMetric[], deciding: DecidingMetric): Set<ComparedMetric> {
  const perEvent = deciding === 'cpuMsPer1000Events';
  const has = new Set(present);
  const out = new Set<ComparedMetric>();
  for (const metric of present) {
    const spec = METRICS.find((s) => s.metric === metric);
    const alternative = METRICS.find((s) => s.perEventOf === metric && has.has(s.metric));
    if (spec?.perEventOf) {
      if (perEvent || !has.has(spec.perEventOf)) out.add(metric);
    } else if (!alternative || !perEvent) out.add(metric);
  }
  return out;
}

/** The overall verdict of the rows and how it was formed. No deciding verdict at all is inconclusive. */
export function overallOf(
  rows: ReadonlyArray<{ metric: ComparedMetric; verdict: Verdict }>,
  deciding: DecidingMetric,
): { overall: Verdict; deciding: Deciding } {
  const present = rows.map((r) => r.metric);
  const chosen = decidingMetrics(present, deciding);
  const cpuMetric: DecidingMetric = chosen.has('cpuMsPer1000Events') ? 'cpuMsPer1000Events' : 'cpuPercent';
  return {
    overall: overallVerdict(rows.filter((r) => chosen.has(r.metric)).map((r) => r.verdict)),
    deciding: {
      metric: cpuMetric,
      requested: deciding,
      decidedBy: present.filter((m) => chosen.has(m)),
      shownOnly: present.filter((m) => !chosen.has(m)),
    },
  };
}
