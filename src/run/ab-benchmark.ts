/**
 * Same-machine A/B: the baseline and the candidate collector measured in one session, their runs
 * interleaved A B B A B A A B ... so that drift over time (heat, a neighbour's load, page cache)
 * falls on both arms alike instead of on whichever ran second. Consecutive counted slots form a
 * pair (one run of each arm); the paired differences are what the A/B comparison tests. Everything
 * goes into ONE results file (`mode: "ab"`, runs carrying `arm` and `pair`), rewritten after every run.
 */
import type { Config } from '../config/schema.js';
import type { ArmInfo, ResultFile, Run } from '../contracts/result.js';
import { RuntimeError } from '../errors.js';
import {
  newResultFile,
  resultPaths,
  sessionRunContext,
  withBenchmarkSession,
  type BenchmarkOptions,
} from './benchmark.js';
import type { CollectorTarget } from './collector-target.js';
import { writeResultsAtomically } from './results-writer.js';
import { runOnce } from './run-once.js';
import { pairSeed, sessionSeed } from './workload-target.js';

export type Arm = 'A' | 'B';
export type ArmName = 'baseline' | 'candidate';
const ARM_NAME: Record<Arm, ArmName> = { A: 'baseline', B: 'candidate' };

/**
 * Slots of `runsPerArm` pairs, pair k in the order of the Thue-Morse sequence (popcount of k even: A B,
 * odd: B A), i.e. AB BA BA AB BA AB AB BA ... = ABBA BAAB ... Every two pairs cancel a linear drift,
 * so for every even n both arms have the same mean slot position (and for n a multiple of 4 the same
 * mean squared position: a curved drift cancels too). For odd n exact balance is impossible (the
 * slot positions 0..2n-1 add up to an odd number); the order then leaves the least imbalance there
 * is, one slot in total.
 */
export function abbaOrder(runsPerArm: number): Arm[] {
  const order: Arm[] = [];
  for (let pair = 0; pair < runsPerArm; pair++) {
    let bits = 0;
    for (let k = pair; k > 0; k >>= 1) bits += k & 1;
    order.push(...((bits % 2 === 0 ? ['A', 'B'] : ['B', 'A']) as Arm[]));
  }
  return order;
}

/** The order split into pairs; every pair must hold one slot of each arm, or pairing means nothing. */
export function pairsOf(order: readonly Arm[]): [Arm, Arm][] {
  const pairs: [Arm, Arm][] = [];
  for (let i = 0; i + 1 < order.length; i += 2) {
    if (order[i] === order[i + 1])
      throw new RuntimeError(`interleaving ${order.join('')}: slots ${i + 1} and ${i + 2} are both arm ${order[i]}`);
    pairs.push([order[i], order[i + 1]]);
  }
  return pairs;
}

export interface AbArms {
  baseline: Config;
  candidate: Config;
}

export interface AbOptions extends Omit<BenchmarkOptions, 'onRun'> {
  runsPerArm: number;
  /** Called after every slot with the run and the file as written so far. */
  onRun?: (run: Run, result: ResultFile, slot: { done: number; total: number }) => void;
}

/** What an arm ran, for the file: image or command, and the environment the user set. */
export function armInfo(config: Config, collector: CollectorTarget, label: string): ArmInfo {
  return {
    label,
    image: collector.image,
    imageId: collector.imageId,
    command: collector.spec.argv && !collector.reference ? collector.spec.argv.join(' ') : null,
    env: { ...config.collector.env },
  };
}

/** A short label for an arm: its image or command, plus the environment that sets it apart. */
export function armLabel(config: Config, other: Config): string {
  const c = config.collector;
  const what = c.image ?? c.command?.join(' ') ?? 'reference collector';
  const own = Object.entries(c.env).filter(([k, v]) => other.collector.env[k] !== v);
  return own.length ? `${what} ${own.map(([k, v]) => `${k}=${v}`).join(' ')}` : what;
}

/**
 * Runs both arms interleaved: the warm-up runs of each arm first (a cold start of either image is
 * not compared), then `runsPerArm` slots per arm in `abbaOrder`; both runs of a pair draw the same workload
 * (common random numbers, see seededSpec). Settings other than the collector
 * (workloads, timings, sensor, output) come from the baseline arm's config.
 */
export async function runAbBenchmark(arms: AbArms, opts: AbOptions): Promise<{ result: ResultFile; file: string }> {
  const config = arms.baseline;
  const order = abbaOrder(opts.runsPerArm);
  const pairs = pairsOf(order);
  return withBenchmarkSession([arms.baseline, arms.candidate], opts, async (session) => {
    const { runtime } = session;
    const collectors: Record<Arm, CollectorTarget> = { A: session.collectors[0], B: session.collectors[1] };
    const createdAt = new Date();
    const { file, logsDir } = resultPaths(config, createdAt);
    const result = await newResultFile(config, runtime, collectors.A, createdAt, session.delivery);
    result.mode = 'ab';
    result.arms = {
      baseline: armInfo(arms.baseline, collectors.A, armLabel(arms.baseline, arms.candidate)),
      candidate: armInfo(arms.candidate, collectors.B, armLabel(arms.candidate, arms.baseline)),
    };
    result.config = { ...result.config, ab: { runsPerArm: opts.runsPerArm, order: order.join('') } };

    const slots: { arm: Arm; pair: number | null }[] = [
      ...(['A', 'B'] as Arm[]).flatMap((arm) =>
        Array.from({ length: config.run.warmupRuns }, () => ({ arm, pair: null })),
      ),
      ...pairs.flatMap(([first, second], i) => [
        { arm: first, pair: i + 1 },
        { arm: second, pair: i + 1 },
      ]),
    ];
    const seed = sessionSeed();
    for (const [index, slot] of slots.entries()) {
      const ctx = sessionRunContext(session, opts, {
        config: slot.arm === 'A' ? arms.baseline : arms.candidate,
        arm: slot.arm === 'A' ? 0 : 1,
        logsDir,
        totalRuns: slots.length,
        workloadSeed: pairSeed(seed, slot.pair),
      });
      const run = await runOnce(ctx, index, slot.pair === null);
      run.arm = ARM_NAME[slot.arm];
      run.pair = slot.pair;
      result.runs.push(run);
      writeResultsAtomically(file, result);
      opts.onRun?.(run, result, { done: index + 1, total: slots.length });
    }
    result.complete = true;
    writeResultsAtomically(file, result);
    return { result, file };
  });
}

/**
 * One arm of an A/B file as a single-arm results file: its runs of the pairs in which both runs
 * count (a pair with an invalid run is dropped whole, so the two sides stay paired).
 */
export function armResult(ab: ResultFile, arm: ArmName): ResultFile {
  const counts = (r: Run) => r.valid && !r.warmupRun && r.summary !== null;
  const completePairs = new Set<number>();
  const byPair = new Map<number, Run[]>();
  for (const r of ab.runs) if (r.pair) byPair.set(r.pair, [...(byPair.get(r.pair) ?? []), r]);
  for (const [pair, runs] of byPair) if (runs.length === 2 && runs.every(counts)) completePairs.add(pair);
  const runs = ab.runs
    .filter((r) => r.arm === arm && r.pair && completePairs.has(r.pair))
    .sort((a, b) => a.pair! - b.pair!);
  const info = ab.arms?.[arm];
  return {
    ...ab,
    mode: 'single',
    arms: undefined,
    runs,
    environment: { ...ab.environment, collectorImage: info?.image ?? null, collectorImageId: info?.imageId ?? null },
  };
}
