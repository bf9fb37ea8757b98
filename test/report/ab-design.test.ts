/**
 * An A/B comparison says how its pairs ran: a duet (both arms at once), interleaved, or interleaved
 * because a duet was asked for and two instances could not coexist (with why), in the line that
 * names the deciding test of every report.
 */
import { describe, expect, it } from 'vitest';
import type { ResultFile } from '../../src/contracts/result.js';
import { renderReport } from '../../src/report/index.js';
import { comparePaired } from '../../src/stats/compare.js';
import { MiB } from '../../src/units.js';
import { abResultFile } from '../support/result-files.js';

const FAST = { createdAt: '2026-02-01T12:00:00.000Z', bootstrapResamples: 200 } as const;

function abFile(ab: Record<string, unknown> | undefined): ResultFile {
  const file = abResultFile({
    pairs: [10, 11, 9.5, 10.4].map((cpu) => ({
      baseline: { cpu, mem: 100 * MiB },
      candidate: { cpu: cpu * 1.01, mem: 100 * MiB },
    })),
  });
  return ab ? { ...file, config: { ...file.config, ab } } : file;
}

describe('the design of an A/B comparison', () => {
  it('a duet: named in the deciding line of the terminal and Markdown reports, with what each arm is charged with', () => {
    const c = comparePaired(abFile({ design: 'duet', designReason: null }), FAST);
    expect(c.design).toEqual({ design: 'duet', reason: null });
    expect(renderReport('text', c)).toContain('decided by A/B mode: paired t-test on 4 duet pairs (both arms at once)');
    const md = renderReport('markdown', c);
    expect(md).toContain('Decided by A/B mode: paired t-test on 4 duet pairs (both arms at once)');
    expect(c.notes.join(' ')).toMatch(/Host and harness CPU are shared by both arms and attributed to neither/);
  });

  it('a duet that fell back: interleaved, with the reason', () => {
    const reason = 'arm 2 cannot run beside arm 1: port 8080 is fixed';
    const c = comparePaired(abFile({ design: 'interleaved', designReason: reason }), FAST);
    expect(c.design).toEqual({ design: 'interleaved', reason });
    expect(renderReport('text', c)).toContain(`4 interleaved pairs (a duet was asked for: ${reason})`);
    expect(c.notes).toEqual([]);
  });

  it('a file from before designs were recorded ran interleaved', () => {
    const c = comparePaired(abFile(undefined), FAST);
    expect(c.design).toEqual({ design: 'interleaved', reason: null });
    expect(renderReport('text', c)).toContain('paired t-test on 4 interleaved pairs (decides)');
  });
});
