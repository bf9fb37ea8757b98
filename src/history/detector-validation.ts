/**
 * `collector-bench validate history`: how well the change-point detector does at this machine's
 * session noise, on generated series (generate-series.ts): per condition the recall (series whose
 * change was found), the precision (reported change points that are the true change), false
 * change points, and the delay (sessions after the change until the history first shows it).
 *
 * A change point matches the truth when it lies within `tolerance` sessions of the step (a creep:
 * of any of its steps). The delay replays the history as CI grows it: the detector runs on every
 * prefix of the series, and the delay is how many sessions after the (first) step the first prefix
 * with a matching change point has.
 */
import { detectChangePoints, DEFAULT_CHANGE_POINT_OPTIONS, type ChangePointOptions } from '../stats/change-points.js';
import { median, quantileSorted, sortedCopy } from '../stats/descriptive.js';
import { generateSeries, type GeneratedSeries, type SeriesSettings, type SeriesShape } from './generate-series.js';

export interface DetectorCondition {
  name: string;
  shape: SeriesShape;
}

export const DETECTOR_CONDITIONS: readonly DetectorCondition[] = [
  { name: 'A/A', shape: { kind: 'none' } },
  { name: 'step +2%', shape: { kind: 'step', size: 0.02 } },
  { name: 'step +5%', shape: { kind: 'step', size: 0.05 } },
  { name: 'step +10%', shape: { kind: 'step', size: 0.1 } },
  { name: 'creep 10 x +1%', shape: { kind: 'creep', size: 0.01, steps: 10 } },
];

/**
 * Session-to-session SD of this machine: five `npm run bench` sessions of the same code gave CPU
 * means of 19.2, 18.9, 20.3, 22.5 and 20.8% (docs/architecture.md), an SD of 7.1% of their mean.
 */
export const MEASURED_SESSION_NOISE = 0.07;

export interface DetectorValidationSettings extends SeriesSettings {
  repetitions: number;
  seed: number;
  tolerance: number;
  options: ChangePointOptions;
}

export const DEFAULT_DETECTOR_VALIDATION: DetectorValidationSettings = {
  before: 20,
  after: 20,
  noise: MEASURED_SESSION_NOISE,
  level: 20,
  repetitions: 200,
  seed: 1,
  tolerance: 3,
  options: DEFAULT_CHANGE_POINT_OPTIONS,
};

export interface DetectorValidationRow {
  condition: string;
  series: number;
  sessions: number;
  /** Series whose change was found (null for A/A). */
  detected: number;
  recall: number | null;
  /** Change points reported, and those that match no true change. */
  reported: number;
  falseChangePoints: number;
  /** Series with at least one change point that matches no true change (every reporting series, for A/A). */
  seriesWithFalse: number;
  precision: number | null;
  /** Sessions after the change until the growing history showed it: median and 90th percentile of the detected series. */
  medianDelay: number | null;
  p90Delay: number | null;
}

export interface DetectorValidation {
  settings: DetectorValidationSettings;
  rows: DetectorValidationRow[];
}

function matches(index: number, truth: GeneratedSeries['truth'], tolerance: number): boolean {
  return truth !== null && index >= truth.start - tolerance && index <= truth.end + tolerance;
}

/** Sessions after the first step until a prefix of the series shows a matching change point; null: never. */
function delayOf(g: GeneratedSeries, s: DetectorValidationSettings): number | null {
  if (!g.truth) return null;
  for (let t = g.truth.start + s.options.minSegment; t <= g.values.length; t++) {
    const found = detectChangePoints(g.values.slice(0, t), undefined, s.options).changePoints;
    if (found.some((cp) => matches(cp.index, g.truth, s.tolerance))) return t - g.truth.start;
  }
  return null;
}

function conditionRow(c: DetectorCondition, ci: number, s: DetectorValidationSettings): DetectorValidationRow {
  let detected = 0;
  let reported = 0;
  let falseCps = 0;
  let seriesWithFalse = 0;
  let sessions = 0;
  const delays: number[] = [];
  for (let r = 0; r < s.repetitions; r++) {
    // One seed per (condition, repetition): a row does not depend on which other rows ran.
    const g = generateSeries(c.shape, s, s.seed * 1_000_003 + ci * 10_007 + r);
    sessions = g.values.length;
    const cps = detectChangePoints(g.values, undefined, s.options).changePoints;
    const hits = cps.filter((cp) => matches(cp.index, g.truth, s.tolerance)).length;
    reported += cps.length;
    falseCps += cps.length - hits;
    if (cps.length > hits) seriesWithFalse++;
    if (hits > 0) {
      detected++;
      const d = delayOf(g, s);
      if (d !== null) delays.push(d);
    }
  }
  const sorted = sortedCopy(delays);
  const hasTruth = c.shape.kind !== 'none';
  return {
    condition: c.name,
    series: s.repetitions,
    sessions,
    detected,
    recall: hasTruth ? detected / s.repetitions : null,
    reported,
    falseChangePoints: falseCps,
    seriesWithFalse,
    precision: hasTruth && reported > 0 ? (reported - falseCps) / reported : null,
    medianDelay: delays.length ? median(delays) : null,
    p90Delay: delays.length ? quantileSorted(sorted, 0.9) : null,
  };
}

export function validateDetector(
  settings: Partial<DetectorValidationSettings> = {},
  conditions: readonly DetectorCondition[] = DETECTOR_CONDITIONS,
): DetectorValidation {
  const s = { ...DEFAULT_DETECTOR_VALIDATION, ...settings };
  return { settings: s, rows: conditions.map((c, i) => conditionRow(c, i, s)) };
}
