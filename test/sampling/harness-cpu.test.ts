import { describe, expect, it } from 'vitest';
import { startHarnessCpu } from '../../src/sampling/harness-cpu.js';

describe("the harness's own CPU", () => {
  it('reads a busy loop as most of a core and a wait as almost none, measured in the same test', async () => {
    const busy = startHarnessCpu();
    for (const end = Date.now() + 300; Date.now() < end;);
    const busyPercent = busy.stop();
    const idle = startHarnessCpu();
    await new Promise((r) => setTimeout(r, 300));
    const idlePercent = idle.stop();
    // A preempted loop reads lower (the other test files share these 2 cores), never above one core.
    expect(busyPercent).toBeGreaterThan(25);
    expect(busyPercent).toBeLessThan(110);
    expect(idlePercent).toBeLessThan(busyPercent / 2);
  });
});
