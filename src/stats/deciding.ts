/**
 * THE rule that forms a comparison's overall verdict from its metrics' verdicts (compare.ts and the
 * multi-machine merge both call it). Every compared metric is tested and shown (compare.ts: the
 * deciding and watched metrics in one Holm family, the shown-only ones in another); the overall
 * verdict reads the verdicts of the deciding ones:
 * - a metric with no per-event alternative decides (memory, host overhead), memory growth aside;
 * - of a rate metric and its per-event alternative (metrics.ts `perEventOf`), one decides and the
 *   other is shown only. For the collector's CPU (CPU % of a core, CPU ms per 1,000 delivered
 *   events) `compare.deciding` chooses. For BPF kernel time the rate decides (BPF CPU %) and BPF ns
 *   per event is shown beside it, whatever `compare.deciding` says: their floors differ by an order
 *   of magnitude (1 point of a core is ±83% of the ~1.2% the reference agent's programs use here,
 *   5% of its ns per event is ±5%); BPF ns per event read `inconclusive` in 10 of the 11
 *   comparisons of docs/validate-record.jsonl, so with it deciding hardly a PR could read
 *   `unchanged`. Where the deciding one of a pair was not compared (delivery not counted, older
 *   files), the other decides and the record says so: a CPU regression is never left out of the
 *   overall verdict for want of a figure.
 * - memory growth is watched, not deciding: its regression turns the overall verdict to regression,
 *   but its being unresolved never holds back `unchanged`. The slope of a run's working set over a
 *   short steady window (14 s by default) varies from pair to pair far more than its 1 MiB/min floor
 *   (measured: a 10-minute duet A/A left it at ±3.7 MiB/min after 18 pairs, "about 148 pairs
 *   would"), so as a deciding metric it made every PR `inconclusive`; a leak that small is what
 *   `run --soak` (one long window) measures. It stays in the deciding Holm family, since its verdict
 *   can still raise the alarm.
 * Then verdict.ts's `overallVerdict` combines them (regression if any, else inconclusive if any, ...).
 */
import type { Deciding, DecidingMetric, Verdict } from '../contracts/comparison.js';
import { METRICS, type ComparedMetric } from './metrics.js';
import { overallVerdict } from './verdict.js';

/**
 * CPU % of a core decides a comparison unless `compare.deciding` says otherwise. A budgeted A/B run
 * chooses its own default (app/budgeted-ab.ts `budgetMetric`: CPU per 1,000 events where events are
 * counted, the design `validate pr` measured) and records it, and `compare` follows the record.
 */
export const DEFAULT_DECIDING: DecidingMetric = 'cpuPercent';

/** Metrics whose regression counts but whose inconclusive verdict does not (above). */
export const WATCHED: ReadonlySet<ComparedMetric> = new Set(['memoryGrowthMiBPerMinute']);

/** The one per-event metric `compare.deciding` can make decide (above). */
const CHOOSABLE_PER_EVENT: ComparedMetric = 'cpuMsPer1000Events';

/** Which of `present` enter the overall verdict when `deciding` is chosen (watched ones aside). */
export function decidingMetrics(present: readonly ComparedMetric[], deciding: DecidingMetric): Set<ComparedMetric> {
  const perEvent = deciding === 'cpuMsPer1000Events';
  const has = new Set(present);
  const out = new Set<ComparedMetric>();
  for (const metric of present) {
    if (WATCHED.has(metric)) continue;
    const spec = METRICS.find((s) => s.metric === metric);
    const alternative = METRICS.find((s) => s.perEventOf === metric && has.has(s.metric));
    if (spec?.perEventOf) {
      const chosen = perEvent && metric === CHOOSABLE_PER_EVENT;
      if (chosen || !has.has(spec.perEventOf)) out.add(metric);
    } else if (!(perEvent && alternative?.metric === CHOOSABLE_PER_EVENT)) out.add(metric);
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
  const decided = overallVerdict(rows.filter((r) => chosen.has(r.metric)).map((r) => r.verdict));
  const alarm = rows.some((r) => WATCHED.has(r.metric) && r.verdict === 'regression');
  return {
    overall: alarm ? 'regression' : decided,
    deciding: {
      metric: cpuMetric,
      requested: deciding,
      decidedBy: present.filter((m) => chosen.has(m)),
      shownOnly: present.filter((m) => !chosen.has(m) && !WATCHED.has(m)),
      watched: present.filter((m) => WATCHED.has(m)),
    },
  };
}
