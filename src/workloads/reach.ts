/**
 * Did the processes generator keep up with its target? Arrivals are Poisson, so a 10 s step at
 * 100/s draws about 1,000 +/- 32 of them: a generator that ran every arrival it drew can still land
 * at 91/s by chance (one ramp here stopped at its first step that way). So the generator's own
 * account decides: the arrivals it drew are the ones it spawned, failed to spawn or skipped
 * because it fell more than a second behind (`dropped`); it kept up when it spawned at least
 * `reachRatio` of them. A report without that account (older generators) falls back to the
 * achieved rate, allowing the Poisson shortfall of a kept-up generator (one-sided z 3.09, p 0.001).
 */
export interface ReachJudgement {
  keptUp: boolean;
  /** spawned / drawn arrivals, or achieved / target rate for a report without the account. */
  ratio: number | null;
  /** What the judgement rests on, in words for the step's or run's reason. */
  basis: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const Z_ONE_SIDED_0_001 = 3.09;

export function judgeReach(
  achieved: Record<string, unknown> | null | undefined,
  targetRate: number,
  seconds: number,
  reachRatio: number,
): ReachJudgement {
  const rate = num(achieved?.rate);
  const spawned = num(achieved?.spawned);
  const failed = num(achieved?.failed);
  const dropped = num(achieved?.dropped);
  if (spawned !== null && failed !== null && dropped !== null && spawned + failed + dropped > 0) {
    const drawn = spawned + failed + dropped;
    const ratio = spawned / drawn;
    const rateText = rate === null ? '' : ` (${rate.toFixed(0)}/s of ${targetRate}/s)`;
    return {
      keptUp: ratio >= reachRatio,
      ratio,
      basis: `spawned ${spawned} of the ${drawn} arrivals it drew${rateText}`,
    };
  }
  if (rate === null) return { keptUp: false, ratio: null, basis: `no achieved rate of ${targetRate}/s` };
  const expected = targetRate * seconds;
  const poissonFloor = expected > 0 ? (expected - Z_ONE_SIDED_0_001 * Math.sqrt(expected)) / seconds : 0;
  const ratio = targetRate > 0 ? rate / targetRate : null;
  const keptUp = ratio === null || ratio >= reachRatio || rate >= poissonFloor;
  return { keptUp, ratio, basis: `${rate.toFixed(0)}/s of ${targetRate}/s` };
}
