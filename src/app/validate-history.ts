/** `validate history`: the change-point detector's precision, recall and delay on generated series (history/detector-validation.ts). */
import { DEFAULT_DETECTOR_VALIDATION, validateDetector } from '../history/detector-validation.js';
import { changePointFlags, type ChangePointFlags } from './history.js';

/** The generated series; an unset figure keeps its default (DEFAULT_DETECTOR_VALIDATION). */
export interface DetectorSeriesSettings {
  noise?: number;
  repetitions?: number;
  before?: number;
  after?: number;
  seed?: number;
  tolerance?: number;
}

export function validateHistory(series: DetectorSeriesSettings, detector: ChangePointFlags) {
  const d = DEFAULT_DETECTOR_VALIDATION;
  return validateDetector({
    noise: series.noise ?? d.noise,
    repetitions: series.repetitions ?? d.repetitions,
    before: series.before ?? d.before,
    after: series.after ?? d.after,
    seed: series.seed ?? d.seed,
    tolerance: series.tolerance ?? d.tolerance,
    options: { ...d.options, ...changePointFlags(detector) },
  });
}
