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

/**
 * The reach below which a measured run fell well short of its target. 0.95, the ramp's default
 * machine limit, and why it suits a compared run too: with the generator's account (processes),
 * a generator that kept up spawns every arrival it drew (ratio 1, whatever Poisson drew), so
 * any shortfall is arrivals it skipped or failed, and the agent's CPU follows its events about in
 * proportion; 5% fewer events is a load change as large as the CPU floor's 5% (stats/floors.ts),
 * which a pair's difference would then carry as if the agent had changed. Workloads reporting
 * only a rate (network, syscalls) keep the Poisson allowance of `judgeReach`, so a 20 s window at
 * 400/s is short only below both 95% and the one-sided p 0.001 count. The run reached
 * 235/s of 400/s (59%).
 */
export const RUN_REACH_RATIO = 0.95;

/** Why a run's load fell short: the lowest reach among its workloads and, per short workload, what it rests on. */
export interface RunShortfall {
  ratio: number | null;
  reason: string;
}

/**
 * A run's workloads judged against their own targets (`targetRate` and `durationS` of each
 * closing report); null when every workload with a target reached it. Workloads without a target
 * (endpoints, a tight loop, a network server) and silent ones (no report: judged elsewhere) pass.
 */
export function judgeRunReach(
  workloads: ReadonlyArray<{ name: string; achieved: Record<string, unknown> | null }>,
  reachRatio = RUN_REACH_RATIO,
): RunShortfall | null {
  const short: Array<{ name: string; judgement: ReachJudgement }> = [];
  for (const w of workloads) {
    const target = num(w.achieved?.targetRate);
    const seconds = num(w.achieved?.durationS);
    if (!w.achieved || target === null || target <= 0 || seconds === null || seconds <= 0) continue;
    const judgement = judgeReach(w.achieved, target, seconds, reachRatio);
    if (!judgement.keptUp) short.push({ name: w.name, judgement });
  }
  if (short.length === 0) return null;
  const ratios = short.map((s) => s.judgement.ratio).filter((r): r is number => r !== null);
  return {
    ratio: ratios.length > 0 ? Math.min(...ratios) : null,
    reason: short.map((s) => `${s.name} ${s.judgement.basis}`).join('; '),
  };
}
