/**
 * Synthetic histories for measuring the change-point detector: session values around a level with
 * Gaussian session-to-session noise, and either nothing (A/A), one step, or a creep of small steps
 * one session apart. Seeded (mulberry32), so a table is reproduced exactly by its command.
 */
import { mulberry32, normalDraw } from '../stats/prng.js';

export type SeriesShape =
  { kind: 'none' } | { kind: 'step'; size: number } | { kind: 'creep'; size: number; steps: number };

export interface SeriesSettings {
  /** Sessions before the first step. */
  before: number;
  /** Sessions after the last step. */
  after: number;
  /** Session-to-session SD relative to the level (0.07 = 7%). */
  noise: number;
  level: number;
}

export interface GeneratedSeries {
  values: number[];
  /** Where the change starts and ends (index of the first session after the first and the last step); null for A/A. */
  truth: { start: number; end: number } | null;
}

/** The relative shift of session i: 0 before the change, then one `size` per step taken. */
function shiftAt(shape: SeriesShape, i: number, start: number): number {
  if (shape.kind === 'none' || i < start) return 0;
  if (shape.kind === 'step') return shape.size;
  return shape.size * Math.min(shape.steps, i - start + 1);
}

export function generateSeries(shape: SeriesShape, s: SeriesSettings, seed: number): GeneratedSeries {
  const random = mulberry32(seed);
  const steps = shape.kind === 'creep' ? shape.steps : shape.kind === 'step' ? 1 : 0;
  const length = s.before + Math.max(0, steps - 1) + s.after;
  const values = Array.from(
    { length },
    (_, i) => s.level * (1 + shiftAt(shape, i, s.before)) + s.level * s.noise * normalDraw(random),
  );
  return { values, truth: steps === 0 ? null : { start: s.before, end: s.before + steps - 1 } };
}
