/**
 * A budgeted A/B run for real (`run --candidate-env ... --budget <minutes>` through the use case):
 * the reference collector as a local process, tiny load windows, looks from 2 pairs on so a few
 * pairs can decide. A knob that makes the candidate several times as expensive stops the run at the
 * first look that decides, before the most pairs its budget bought; a change of nothing runs until
 * the budget (or its last look) and ends inconclusive. `compare` on the file it wrote gives the
 * same CPU verdict, from the same looks.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmark } from '../../src/app/benchmark.js';
import { compareResultsFile } from '../../src/app/compare.js';
import { loadConfig } from '../../src/config/load.js';
import type { Floor } from '../../src/stats/floors.js';

const TINY = {
  runtime: 'process',
  warmupRuns: '0',
  warmupSeconds: '1',
  loadSeconds: '5',
  rampSeconds: '1',
  collectionMethod: 'procfs',
  delivery: 'none',
};

async function budgeted(minutes: number, candidateEnv: string[], firstLook = 2, cpuFloor?: Floor) {
  const out = join(mkdtempSync(join(tmpdir(), 'cb-budget-')), 'result.json');
  const { config } = loadConfig({ ...TINY, budget: String(minutes), out });
  if (cpuFloor) config.compare.floors.cpu = cpuFloor;
  const lines: string[] = [];
  const printer = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), color: false };
  const progress = { update: () => undefined, line: (m: string) => lines.push(m), done: () => undefined };
  const startedAt = Date.now();
  const outcome = await benchmark(
    {
      config,
      configFile: null,
      ab: { candidateEnv },
      compare: true,
      updateBaseline: false,
      budget: { firstLook, lookEvery: 1 },
    },
    printer,
    progress,
  );
  return { outcome, lines, config, seconds: (Date.now() - startedAt) / 1000 };
}

describe('a budgeted A/B run with the process runtime', () => {
  it('stops at the first look that decides when a knob makes the candidate far more expensive', async () => {
    // The procfs method sees few events, so the work per event must be large for the candidate to be
    // many times as expensive: at 1000 units it came out only +20% here and, with one outlier pair,
    // the 3-minute budget ran out undecided (CI, 2026-12-07). The budget must also buy room to stop
    // early: under the full suite's load a pair took ~30 s, 3 minutes bought only 5 pairs and a
    // +738% change decided at the last of them (looks at 2-3 pairs, df 1-2, cannot decide). Five
    // minutes buy ~10 pairs under that load; a run that decides stops long before, so the test
    // takes no longer unless the rule fails.
    const { outcome, lines, config } = await budgeted(5, ['REF_COLLECTOR_WORK_FACTOR=20000'], 3);
    const log = lines.join('\n');
    const record = outcome.result.sequential!;
    expect(record.stop, log).toMatchObject({ reason: 'decided' });
    expect(record.stop!.pairs, log).toBeLessThan(record.maxPairs);
    expect(record.looks.at(-1)!.verdict, log).toBe('regression');
    const cpu = outcome.comparison!.metrics.find((m) => m.metric === 'cpuPercent')!;
    expect(cpu.verdict).toBe('regression');
    // The design was fixed and said so before any look; every look was shown as it was taken.
    expect(lines.join('\n')).toMatch(/budget: 5 min; .* at most \d+ pairs, looks after 3, 4, /);
    // It stopped at the first look that decided: every earlier look said to go on.
    expect(
      record.looks.slice(0, -1).every((l) => l.verdict === 'continue'),
      log,
    ).toBe(true);
    expect(lines.filter((l) => /^look \d+ of \d+ \(\d+ pairs\): CPU /.test(l))).toHaveLength(record.looks.length);
    expect(lines.at(-1) ?? '').not.toMatch(/continuing/);
    expect(lines.join('\n')).toMatch(/regression, stopping/);
    expect(lines.join('\n')).toMatch(
      /decided at look \d+ of \d+ after \d+ pairs \(\d\.\d min of the 5\.0 min budget\)/,
    );
    // `compare` on the file recomputes the same verdict from the same looks.
    const again = await compareResultsFile({ results: outcome.file }, config);
    expect(again.comparison.metrics.find((m) => m.metric === 'cpuPercent')!.verdict).toBe('regression');
    expect(again.comparison.sequential).toEqual(outcome.comparison!.sequential);
  }, 600_000);

  it('runs to its budget when nothing changes but the floor is finer than the budget can resolve, and ends inconclusive with the MDE it reached', async () => {
    // The default CPU floor (1 point of a core) is some 18% of this procfs collector's few percent,
    // so an A/A can rightly read `unchanged` at 3 pairs (CI, 2026-12-08: interval -5.5% ... +3.7%).
    // A 0.1% floor cannot be resolved by the few pairs 1.5 minutes buy: the run must spend its budget.
    const { outcome, lines, seconds } = await budgeted(1.5, ['REF_COLLECTOR_WORK_FACTOR=0'], 2, {
      absolute: 0,
      relative: 0.001,
    });
    const record = outcome.result.sequential!;
    expect(['last look', 'budget spent'], lines.join('\n')).toContain(record.stop!.reason);
    expect(outcome.comparison!.metrics[0]).toMatchObject({ metric: 'cpuPercent', verdict: 'inconclusive' });
    // No pair started that the budget could not pay for (at the cost measured so far).
    expect(record.stop!.elapsedSeconds).toBeLessThanOrEqual(90 + record.pairSeconds);
    expect(seconds).toBeLessThan(90 + 2 * record.pairSeconds + 30);
    expect(lines.join('\n')).toMatch(
      /budget spent, inconclusive; MDE reached ±\d+(\.\d)?% \(look \d+ of \d+, \d+ pairs, /,
    );
  }, 400_000);
});
