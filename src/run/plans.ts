/**
 * Session plans: what a session runs, slot by slot, before anything starts. A slot is one run of
 * the protocol: its kind (a warm-up run, a measured run, or a run with no agent at all), the arm
 * whose collector it runs (an index into the session's arms), the pair it belongs to (the slots that
 * are compared with each other: both arms of an A/B pair, the agent run and its no-agent
 * neighbour, one block of the gate's arms) and its workload seed. Every interleaving lives here;
 * the engine (engine.ts) runs any plan the same way. A new way of running arms (both arms at the
 * same time, say) is a new builder and slot kind here, not a new loop.
 */
import type { ResultFile, Run } from '../contracts/result.js';
import { RuntimeError } from '../errors.js';

/** A `duet` slot runs every arm in `arms` at once, in one load window; its pair is null for a warm-up. */
export type SlotKind = 'warm-up' | 'measured' | 'no-agent' | 'duet';

export interface Slot {
  kind: SlotKind;
  /** Index of the session's arm (its config and collector); a no-agent slot names the arm it neighbours; a duet the arm that starts first. */
  arm: number;
  /** A duet: the arms it runs at once, in the order their collectors start. */
  arms?: number[];
  /** 1-based pair (or block) of slots compared with each other; null for warm-ups and unpaired runs. */
  pair: number | null;
  /** Seed of the workloads' draws; undefined draws freely (warm-ups). */
  seed: number | undefined;
}

/**
 * How the runs of a plan are written: `single` one results file with every run in order; `ab` one
 * A/B file per candidate arm (arm 0 is the baseline of each, arm i >= 1 its candidate).
 */
export type PlanOutput = 'single' | 'ab';

/** What a growing plan sees when its slots are used up: the runs so far and the files as written. */
export interface PlanProgress {
  done: ReadonlyArray<{ slot: Slot; run: Run }>;
  files: ReadonlyArray<{ file: string; result: ResultFile }>;
}

export interface Plan {
  slots: Slot[];
  output: PlanOutput;
  /** The interleaving, for the results file and the log (e.g. "ABBABAAB"). */
  order: string;
  /**
   * A plan that grows (a budgeted A/B run adds pairs while its verdict is open): called whenever
   * its slots are used up, it gives the slots to run next, or null to end the session. The engine
   * keeps its one loop; what to add is the plan's business.
   */
  more?: (progress: PlanProgress) => Slot[] | null;
  /** The most runs a growing plan can reach so far as it knows, for progress ("run 7/24"). */
  maxRuns?: () => number | null;
  /** Both arms at once (duet slots, now or as it grows): the engine checks that they can coexist. */
  duet?: boolean;
}

/**
 * The seed schedule: the k-th measured run (or pair, or block) of every session draws with the same
 * seed, `base + k * 1,000,003`, so that sessions compared with each other (history mode, CI's
 * stored results) draw the same workloads, as the two runs of an A/B pair always did (common
 * random numbers; one large Zipf draw of the endpoints workload alone moves a run's CPU by many
 * points). The base is `run.seed` of the config (a fixed default, `--seed` to change it); null
 * draws a new base per session, as every session did before.
 */
export interface SeedSchedule {
  base: number;
  seedOf(pair: number | null): number | undefined;
}

export function seedSchedule(configured: number | null): SeedSchedule {
  const base = configured ?? Math.floor(Math.random() * 1_000_000_000);
  return { base, seedOf: (pair) => (pair === null ? undefined : base + pair * 1_000_003) };
}

/** Warm-up runs are not compared: they draw freely. */
function warmups(count: number, arms: readonly number[]): Slot[] {
  return arms.flatMap((arm) =>
    Array.from({ length: count }, (): Slot => ({ kind: 'warm-up', arm, pair: null, seed: undefined })),
  );
}

/**
 * Slots of `n` pairs, pair k in the order of the Thue-Morse sequence (popcount of k even: A B,
 * odd: B A), i.e. AB BA BA AB BA AB AB BA ... = ABBA BAAB ... Every two pairs cancel a linear drift,
 * so for every even n both sides have the same mean slot position (and for n a multiple of 4 the
 * same mean squared position: a curved drift cancels too). For odd n exact balance is impossible
 * (the slot positions 0..2n-1 add up to an odd number); the order then leaves the least imbalance
 * there is, one slot in total.
 */
export function abbaOrder(n: number): Array<'A' | 'B'> {
  return Array.from({ length: n }, (_, pair) => pairOrder(pair)).flat();
}

/** The sides of pair `pair` (0-based) in the Thue-Morse order of abbaOrder. */
function pairOrder(pair: number): Array<'A' | 'B'> {
  let bits = 0;
  for (let k = pair; k > 0; k >>= 1) bits += k & 1;
  return bits % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
}

/** The order split into pairs; every pair must hold one slot of each side, or pairing means nothing. */
export function pairsOf(order: ReadonlyArray<'A' | 'B'>): Array<['A' | 'B', 'A' | 'B']> {
  const pairs: Array<['A' | 'B', 'A' | 'B']> = [];
  for (let i = 0; i + 1 < order.length; i += 2) {
    if (order[i] === order[i + 1])
      throw new RuntimeError(`interleaving ${order.join('')}: slots ${i + 1} and ${i + 2} are both ${order[i]}`);
    pairs.push([order[i], order[i + 1]]);
  }
  return pairs;
}

/**
 * The arm order of block `block` (0-based) of `arms` arms: blocks come in mirrored twos (0 1 2 3 4,
 * then 4 3 2 1 0), each two rotated by one arm from the last. In every mirrored two each arm's
 * positions add up to the same total, so a linear drift over the session falls on every arm alike:
 * for an even block count all arms have the same mean position, for an odd count they differ by at
 * most (arms - 1) / blocks slots.
 */
export function blockOrder(arms: number, block: number): number[] {
  const shift = Math.floor(block / 2);
  const order = Array.from({ length: arms }, (_, i) => (i + shift) % arms);
  return block % 2 === 1 ? order.reverse() : order;
}

/**
 * One arm: warm-up runs, then `runs` measured runs, run k drawing seed k. With `overhead` every
 * measured run gets a no-agent neighbour drawing the same seed, the two in ABBA order (A = no
 * agent) so drift over the session falls on both alike; pair k is the k-th such two.
 */
export function singlePlan(opts: { runs: number; warmupRuns: number; overhead: boolean; seeds: SeedSchedule }): Plan {
  const { runs, seeds } = opts;
  const warm = warmups(opts.warmupRuns, [0]);
  if (!opts.overhead) {
    const measured = Array.from({ length: runs }, (_, i): Slot => ({
      kind: 'measured',
      arm: 0,
      pair: null,
      seed: seeds.seedOf(i + 1),
    }));
    return { slots: [...warm, ...measured], output: 'single', order: 'single' };
  }
  const order = abbaOrder(runs);
  const slots = order.map((side, i): Slot => {
    const pair = Math.floor(i / 2) + 1;
    return { kind: side === 'A' ? 'no-agent' : 'measured', arm: 0, pair, seed: seeds.seedOf(pair) };
  });
  return { slots: [...warm, ...slots], output: 'single', order: `overhead ${order.join('')} (A = no agent)` };
}

/**
 * Two arms interleaved: the warm-up runs of each arm first (a cold start of either image is not
 * compared), then `runsPerArm` pairs in `abbaOrder`, both runs of a pair drawing the same seed.
 */
export function abPlan(opts: { runsPerArm: number; warmupRuns: number; seeds: SeedSchedule }): Plan {
  const order = abbaOrder(opts.runsPerArm);
  const measured = pairsOf(order).flatMap((_, i) => abPairSlots(i + 1, opts.seeds));
  return {
    slots: [...warmups(opts.warmupRuns, [0, 1]), ...measured],
    output: 'ab',
    order: order.join(''),
  };
}

/** The slots of pair `pair` (1-based) of an interleaved A/B plan, in abbaOrder, both drawing the pair's seed. */
export function abPairSlots(pair: number, seeds: SeedSchedule): Slot[] {
  return pairOrder(pair - 1).map((side): Slot => ({
    kind: 'measured',
    arm: side === 'A' ? 0 : 1,
    pair,
    seed: seeds.seedOf(pair),
  }));
}

/**
 * An A/B plan that grows by whole pairs (`--budget`): the warm-up runs of each arm, then one pair
 * at a time for as long as `keepGoing` says so, asked after the warm-ups and after every pair. It
 * decides on complete pairs only, so any way of running a pair fits: `pairSlots` gives pair k's
 * slots (interleaved by default; both arms at once in one slot for a duet).
 */
export function growingAbPlan(opts: {
  warmupRuns: number;
  seeds: SeedSchedule;
  keepGoing: (progress: PlanProgress) => boolean;
  /** Both arms at once in every window (duetPairSlots), warm-ups too. */
  duet?: boolean;
  /** The most pairs, once known (a budget's design is fixed after the warm-ups). */
  maxPairs?: () => number | null;
}): Plan {
  const pairSlots = (pair: number) => (opts.duet ? duetPairSlots(pair, opts.seeds) : abPairSlots(pair, opts.seeds));
  const start = opts.duet
    ? duetPlan({ pairs: 0, warmupRuns: opts.warmupRuns, seeds: opts.seeds }).slots
    : warmups(opts.warmupRuns, [0, 1]);
  const runs = (slots: readonly Slot[]) => slots.flatMap(runsOfSlot).length;
  let pairs = 0;
  return {
    slots: start,
    output: 'ab',
    order: `${opts.duet ? 'duet ' : ''}Thue-Morse pairs (ABBA BAAB ...), added one at a time while the verdict is open`,
    more: (progress) => (opts.keepGoing(progress) ? pairSlots(++pairs) : null),
    maxRuns: () => {
      const most = opts.maxPairs?.() ?? null;
      return most === null ? null : runs(start) + most * runs(pairSlots(1));
    },
    ...(opts.duet ? { duet: true } : {}),
  };
}

/** Pair `pair` (1-based) of a duet: one slot running both arms, the first to start by the Thue-Morse rule. */
export function duetPairSlots(pair: number, seeds: SeedSchedule): Slot[] {
  const arms = pairOrder(pair - 1).map((side) => (side === 'A' ? 0 : 1));
  return [{ kind: 'duet', arm: arms[0], arms, pair, seed: seeds.seedOf(pair) }];
}

/**
 * Both arms at once ("duet", issue 18): every slot runs both collectors in one load window on one
 * workload, so the pair's two runs share the machine's moment instead of following each other.
 * Start order alternates by the same Thue-Morse rule as `abPlan` (pair k starts A first when
 * popcount(k) is even): whichever collector starts first gets a head start on its warm-up and
 * page cache, and no arm may always have it. Warm-up duets come first (a cold start of either image
 * is not compared), alternating too. Pair k draws seed k, as an interleaved pair does.
 */
export function duetPlan(opts: { pairs: number; warmupRuns: number; seeds: SeedSchedule }): Plan {
  const starts = (n: number) => pairsOf(abbaOrder(n)).map((p) => p.map((side) => (side === 'A' ? 0 : 1)));
  const warm = starts(opts.warmupRuns).map((arms): Slot => ({
    kind: 'duet',
    arm: arms[0],
    arms,
    pair: null,
    seed: undefined,
  }));
  const measured = Array.from({ length: opts.pairs }, (_, i) => duetPairSlots(i + 1, opts.seeds)).flat();
  return {
    slots: [...warm, ...measured],
    output: 'ab',
    order: `duet ${abbaOrder(opts.pairs).join('')} (start order)`,
    duet: true,
  };
}

/**
 * One run of each arm a duet slot holds, as the slots the engine records them by: a measured run
 * of the slot's pair, or a warm-up. Any other slot is its own one run.
 */
export function runsOfSlot(slot: Slot): Slot[] {
  if (slot.kind !== 'duet') return [slot];
  return (slot.arms ?? [slot.arm]).map((arm): Slot => ({
    kind: slot.pair === null ? 'warm-up' : 'measured',
    arm,
    pair: slot.pair,
    seed: slot.seed,
  }));
}

/**
 * A duet plan run one arm after the other (the fallback when two instances cannot coexist): each
 * slot's arms in its start order, so the Thue-Morse start order becomes `abPlan`'s ABBA interleaving
 * with the same pairs and seeds.
 */
export function interleavedPlan(duet: Plan): Plan {
  const slots = duet.slots.flatMap(runsOfSlot);
  const order = slots
    .filter((s) => s.kind === 'measured')
    .map((s) => (s.arm === 0 ? 'A' : 'B'))
    .join('');
  const grow = duet.more;
  return {
    slots,
    output: duet.output,
    order: grow ? duet.order.replace(/^duet /, '') : order,
    // A growing duet grows the same way, each new duet slot run one arm after the other.
    ...(grow ? { more: (progress: PlanProgress) => grow(progress)?.flatMap(runsOfSlot) ?? null } : {}),
    ...(duet.maxRuns ? { maxRuns: duet.maxRuns } : {}),
  };
}

/**
 * Many arms in blocks (the gate's validation): warm-up runs of arm 0, then `blocks` blocks in
 * `blockOrder`, every arm once per block, all runs of block k drawing seed k. Arm 0 is the baseline
 * of every other arm: each arm's run of block k pairs with arm 0's, so one comparison costs one run
 * per pair instead of two.
 */
export function blockPlan(opts: { arms: number; blocks: number; warmupRuns: number; seeds: SeedSchedule }): Plan {
  const measured = Array.from({ length: opts.blocks }, (_, b) =>
    blockOrder(opts.arms, b).map((arm): Slot => ({
      kind: 'measured',
      arm,
      pair: b + 1,
      seed: opts.seeds.seedOf(b + 1),
    })),
  ).flat();
  return {
    slots: [...warmups(opts.warmupRuns, [0]), ...measured],
    output: 'ab',
    order: 'gate blocks',
  };
}
