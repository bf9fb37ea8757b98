/** A plan that grows by pairs (`run --budget`): the same pairs, seeds and order as the fixed A/B plan, one at a time. */
import { describe, expect, it } from 'vitest';
import {
  abPlan,
  duetPlan,
  growingAbPlan,
  interleavedPlan,
  seedSchedule,
  type PlanProgress,
  type Slot,
} from '../../src/run/plans.js';

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

  it('knows its most runs once the growth knows its most pairs', () => {
    let most: number | null = null;
    const plan = growingAbPlan({ warmupRuns: 1, seeds, keepGoing: () => true, maxPairs: () => most });
    expect(plan.maxRuns!()).toBeNull();
    most = 9;
    expect(plan.maxRuns!()).toBe(2 + 9 * 2);
  });

  it("as a duet, runs the warm-ups and every pair with both arms in one slot, in duetPlan's start order", () => {
    let asked = 0;
    const plan = growingAbPlan({ warmupRuns: 1, seeds, duet: true, keepGoing: () => ++asked <= 4, maxPairs: () => 4 });
    const fixed = duetPlan({ pairs: 4, warmupRuns: 1, seeds });
    expect(plan.duet).toBe(true);
    expect(plan.slots).toEqual(fixed.slots.slice(0, 1));
    const grown: Slot[] = [];
    for (let next = plan.more!(none); next; next = plan.more!(none)) grown.push(...next);
    expect(grown).toEqual(fixed.slots.slice(1));
    // Every slot runs two collectors: 1 warm-up duet and 4 pairs are 10 runs.
    expect(plan.maxRuns!()).toBe(10);
  });

  it('falls back to interleaved as it grows, each duet slot run one arm after the other', () => {
    let asked = 0;
    const duet = growingAbPlan({ warmupRuns: 1, seeds, duet: true, keepGoing: () => ++asked <= 4 });
    const plan = interleavedPlan(duet);
    const grown: Slot[] = [...plan.slots];
    for (let next = plan.more!(none); next; next = plan.more!(none)) grown.push(...next);
    expect(grown.map((s) => s.kind)).not.toContain('duet');
    expect(grown.slice(2)).toEqual(abPlan({ runsPerArm: 4, warmupRuns: 0, seeds }).slots);
  });
});
