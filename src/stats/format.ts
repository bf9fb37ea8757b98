/** Number formatting for one-line verdict reasons: short, signed where a change is shown. */
import { MiB } from '../units.js';

/** Up to `digits` decimals, trailing zeros dropped: 1 -> "1", 0.05 -> "0.05". */
export function trim(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}

export function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : value < 0 && !text.startsWith('-') ? `-${text}` : text;
}

/** 0.123 -> "+12.3%". */
export function percentChange(relative: number): string {
  return signed(`${Math.abs(relative * 100).toFixed(1)}%`, relative);
}

export function absoluteChange(value: number, unit: 'percent' | 'bytes'): string {
  if (unit === 'percent') return signed(`${Math.abs(value).toFixed(2)} pp`, value);
  return signed(`${(Math.abs(value) / MiB).toFixed(1)} MiB`, value);
}

/** p-values: two significant digits, scientific below 0.001 so tiny values stay readable. */
export function pValue(p: number): string {
  if (p === 0) return '0';
  if (p < 0.001) return p.toExponential(1);
  return String(Number(p.toPrecision(2)));
}

export function floorsText(floors: { absolute: number; relative: number }, unit: 'percent' | 'bytes'): string {
  const absolute = unit === 'percent' ? `${trim(floors.absolute)} pp` : `${trim(floors.absolute / MiB, 1)} MiB`;
  return `${absolute} / ${trim(floors.relative * 100, 1)}%`;
}
