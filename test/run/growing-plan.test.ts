/** A plan that grows by pairs (`run --budget`): the same pairs, seeds and order as the fixed A/B plan, one at a time. */
import { describe, expect, it } from 'vitest';
import { abPlan, growingAbPlan, seedSchedule, type PlanProgress, type Slot } from '../../src/run/plans.js';

const seeds = seedSchedule(7);
const none: PlanProgress = { done: [], files: [] };

describe('growingAbPlan', () => {
  it('starts with the warm-ups of each arm and adds the pairs of abPlan one at a time while asked to', () => {
    let asked = 0;
    const plan = growingAbPlan({ warmupRuns: 1, seeds, keepGoing: () => ++asked <= 4 });
    expect(plan.slots.map((s) => [s.kind, s.arm])).toEqual([
      ['warm-up', 0],
      ['warm-up', 1],
    ]);
    const grown: Slot[] = [];
    for (let next = plan.more!(none); next; next = plan.more!(none)) grown.push(...next);
    const fixed = abPlan({ runsPerArm: 4, warmupRuns: 1, seeds });
    expect(grown).toEqual(fixed.slots.slice(2));
    expect(asked).toBe(5);
  });

  it('knows its most slots once the growth knows its most pairs, and takes the slots of a pair from pairSlots', () => {
    let most: number | null = null;
    const plan = growingAbPlan({
      warmupRuns: 0,
      seeds,
      keepGoing: () => true,
      maxPairs: () => most,
      pairSlots: (pair) => [{ kind: 'measured', arm: 0, pair, seed: seeds.seedOf(pair) }],
    });
    expect(plan.maxSlots!()).toBeNull();
    most = 9;
    expect(plan.maxSlots!()).toBe(9);
    expect(plan.more!(none)).toEqual([{ kind: 'measured', arm: 0, pair: 1, seed: seeds.seedOf(1) }]);
  });
});
