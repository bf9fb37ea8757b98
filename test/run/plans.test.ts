/** Session plans: every interleaving, and the seed schedule that makes sessions comparable. */
import { describe, expect, it } from 'vitest';
import {
  abbaOrder,
  abPlan,
  blockOrder,
  blockPlan,
  duetPlan,
  interleavedPlan,
  pairsOf,
  runsOfSlot,
  seedSchedule,
  singlePlan,
  type Slot,
} from '../../src/run/plans.js';

const positions = (order: string[], arm: string) => order.flatMap((a, i) => (a === arm ? [i] : []));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('interleaving two arms (ABBA BAAB ...)', () => {
  it('starts A B, B A, B A, A B and continues the Thue-Morse order', () => {
    expect(abbaOrder(4).join('')).toBe('ABBABAAB');
    expect(abbaOrder(8).join('')).toBe('ABBABAABBAABABBA');
  });

  for (let n = 1; n <= 12; n++) {
    it(`with ${n} run(s) a side: one A and one B per pair, and the mean slot positions ${n % 2 === 0 ? 'equal' : 'as close as possible'}`, () => {
      const order = abbaOrder(n);
      expect(order).toHaveLength(2 * n);
      for (let p = 0; p < n; p++)
        expect(
          order
            .slice(2 * p, 2 * p + 2)
            .sort()
            .join(''),
        ).toBe('AB');
      const a = positions(order, 'A');
      const b = positions(order, 'B');
      expect(a).toHaveLength(n);
      expect(b).toHaveLength(n);
      // Slots 0..2n-1 add up to n(2n-1): even for even n, so the arms can split it exactly; odd for
      // odd n, where the best possible split differs by one slot.
      expect(Math.abs(sum(a) - sum(b))).toBe(n % 2 === 0 ? 0 : 1);
      if (n % 4 === 0) expect(sum(a.map((x) => x * x))).toBe(sum(b.map((x) => x * x)));
    });
  }
});

describe('pairing the interleaved slots', () => {
  it('splits the order into pairs of one slot of each arm', () => {
    for (let n = 1; n <= 12; n++) {
      const pairs = pairsOf(abbaOrder(n));
      expect(pairs).toHaveLength(n);
      for (const p of pairs) expect([...p].sort()).toEqual(['A', 'B']);
    }
  });

  it('refuses an order whose pair holds one arm twice', () => {
    expect(() => pairsOf(['A', 'A', 'B', 'B'])).toThrow(/slots 1 and 2/);
  });
});

describe('the block order of an A/B gate session', () => {
  it('runs every arm once per block', () => {
    for (let b = 0; b < 12; b++) expect([...blockOrder(5, b)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives every arm the same mean position for an even block count, and within (arms - 1) / blocks for an odd one', () => {
    for (const arms of [2, 3, 5]) {
      for (let blocks = 1; blocks <= 12; blocks++) {
        const mean = (arm: number) =>
          Array.from({ length: blocks }, (_, b) => blockOrder(arms, b).indexOf(arm)).reduce((a, x) => a + x, 0) /
          blocks;
        for (let arm = 1; arm < arms; arm++) {
          const gap = Math.abs(mean(arm) - mean(0));
          if (blocks % 2 === 0) expect(gap).toBeCloseTo(0, 12);
          else expect(gap).toBeLessThanOrEqual((arms - 1) / blocks + 1e-12);
        }
      }
    }
  });

  it('moves the baseline through the positions rather than always running it first', () => {
    expect(Array.from({ length: 6 }, (_, b) => blockOrder(5, b).indexOf(0))).toEqual([0, 4, 4, 0, 3, 1]);
  });
});

const letters = (slots: Slot[]) =>
  slots.map((s) => (s.kind === 'warm-up' ? 'W' : s.kind === 'no-agent' ? 'N' : String(s.arm))).join('');

describe('the seed schedule', () => {
  it('gives run k of every session with the same base the same seed, and different runs different seeds', () => {
    const a = seedSchedule(42);
    const b = seedSchedule(42);
    expect([1, 2, 3].map(a.seedOf)).toEqual([1, 2, 3].map(b.seedOf));
    expect(new Set([1, 2, 3].map(a.seedOf)).size).toBe(3);
    expect(a.seedOf(null)).toBeUndefined();
    expect(seedSchedule(43).seedOf(1)).not.toBe(a.seedOf(1));
  });

  it('draws a base per session when none is configured, and says which', () => {
    const s = seedSchedule(null);
    expect(Number.isInteger(s.base)).toBe(true);
    expect(s.seedOf(1)).toBe(s.base + 1_000_003);
  });
});

describe('the plan of one collector', () => {
  const seeds = seedSchedule(7);

  it('runs the warm-ups (free draws), then run k with seed k', () => {
    const plan = singlePlan({ runs: 3, warmupRuns: 1, overhead: false, seeds });
    expect(letters(plan.slots)).toBe('W000');
    expect(plan.slots.map((s) => s.seed)).toEqual([undefined, seeds.seedOf(1), seeds.seedOf(2), seeds.seedOf(3)]);
    expect(plan.output).toBe('single');
  });

  it('with overhead, gives every measured run a no-agent neighbour in the A/B order (A = no agent), the two sharing pair and seed', () => {
    const plan = singlePlan({ runs: 3, warmupRuns: 1, overhead: true, seeds });
    expect(letters(plan.slots)).toBe(
      `W${abbaOrder(3)
        .map((a) => (a === 'A' ? 'N' : '0'))
        .join('')}`,
    );
    expect(plan.slots.map((s) => s.pair)).toEqual([null, 1, 1, 2, 2, 3, 3]);
    for (const pair of [1, 2, 3]) {
      const two = plan.slots.filter((s) => s.pair === pair);
      expect(two.map((s) => s.kind).sort()).toEqual(['measured', 'no-agent']);
      expect(two[0].seed).toBe(two[1].seed);
    }
  });
});

describe('the plan of an A/B session', () => {
  it('warms up each arm, then runs the pairs in ABBA order, both runs of a pair drawing the same seed', () => {
    const seeds = seedSchedule(7);
    const plan = abPlan({ runsPerArm: 4, warmupRuns: 1, seeds });
    expect(letters(plan.slots)).toBe(
      'WW' +
        abbaOrder(4)
          .map((a) => (a === 'A' ? '0' : '1'))
          .join(''),
    );
    expect(plan.slots.slice(0, 2).map((s) => s.arm)).toEqual([0, 1]);
    expect(plan.slots.slice(2).map((s) => s.pair)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(plan.slots.slice(2).map((s) => s.seed)).toEqual([1, 1, 2, 2, 3, 3, 4, 4].map(seeds.seedOf));
    expect(plan).toMatchObject({ output: 'ab', order: 'ABBABAAB' });
  });
});

describe('the plan of a gate session', () => {
  it('warms up the baseline arm, then runs every arm once per block, block k drawing seed k', () => {
    const seeds = seedSchedule(7);
    const plan = blockPlan({ arms: 3, blocks: 2, warmupRuns: 1, seeds });
    expect(letters(plan.slots)).toBe('W012210');
    expect(plan.slots.slice(1).map((s) => s.seed)).toEqual([1, 1, 1, 2, 2, 2].map(seeds.seedOf));
  });
});

describe('both arms at once (duetPlan)', () => {
  const seeds = seedSchedule(7);

  it('runs both arms in every slot, the first to start alternating by the Thue-Morse rule', () => {
    const plan = duetPlan({ pairs: 8, warmupRuns: 0, seeds });
    expect(plan.output).toBe('ab');
    expect(plan.slots.every((s) => s.kind === 'duet' && [...s.arms!].sort().join() === '0,1')).toBe(true);
    const starts = plan.slots.map((s) => (s.arms![0] === 0 ? 'A' : 'B')).join('');
    expect(starts).toBe('ABBABAAB');
    expect(plan.slots.map((s) => s.arm)).toEqual(plan.slots.map((s) => s.arms![0]));
    expect(plan.order).toBe('duet ABBABAABBAABABBA (start order)');
  });

  it('for every even number of pairs each arm starts first equally often', () => {
    for (let n = 2; n <= 12; n += 2) {
      const firsts = duetPlan({ pairs: n, warmupRuns: 0, seeds }).slots.map((s) => s.arms![0]);
      expect(firsts.filter((a) => a === 0)).toHaveLength(n / 2);
    }
  });

  it('gives pair k seed k, and warm-up duets (first, alternating too) no pair and no seed', () => {
    const plan = duetPlan({ pairs: 3, warmupRuns: 2, seeds });
    expect(plan.slots.map((s) => [s.pair, s.seed, s.arms])).toEqual([
      [null, undefined, [0, 1]],
      [null, undefined, [1, 0]],
      [1, seeds.seedOf(1), [0, 1]],
      [2, seeds.seedOf(2), [1, 0]],
      [3, seeds.seedOf(3), [1, 0]],
    ]);
  });

  it('records each arm of a slot as a run of its own: pair k holds one run of each arm', () => {
    const plan = duetPlan({ pairs: 2, warmupRuns: 1, seeds });
    const runs = plan.slots.flatMap(runsOfSlot);
    expect(runs.map((r) => [r.kind, r.arm, r.pair])).toEqual([
      ['warm-up', 0, null],
      ['warm-up', 1, null],
      ['measured', 0, 1],
      ['measured', 1, 1],
      ['measured', 1, 2],
      ['measured', 0, 2],
    ]);
  });

  it("run one arm after the other (the fallback) it is abPlan's ABBA interleaving with the same pairs and seeds", () => {
    const duet = duetPlan({ pairs: 4, warmupRuns: 0, seeds });
    const interleaved = interleavedPlan(duet);
    const ab = abPlan({ runsPerArm: 4, warmupRuns: 0, seeds });
    expect(interleaved.slots).toEqual(ab.slots);
    expect(interleaved.order).toBe(ab.order);
    expect(interleaved.output).toBe('ab');
  });

  it('leaves a slot that is not a duet as its one run', () => {
    const slot: Slot = { kind: 'measured', arm: 1, pair: 2, seed: 5 };
    expect(runsOfSlot(slot)).toEqual([slot]);
  });
});
