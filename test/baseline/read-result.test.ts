import { describe, expect, it } from 'vitest';
import { parseResultBytes, parseResultValue } from '../../src/baseline/read-result.js';
import { RESULT_SCHEMA } from '../../src/contracts/result.js';
import { RESULT_SCHEMA_V1 } from '../../src/contracts/result-v1.js';
import { InvalidInputError } from '../../src/errors.js';
import { compareResults } from '../../src/stats/compare.js';
import { steadyStateSamples, windowMeans } from '../../src/stats/summary.js';
import { resultFile } from '../support/result-files.js';

/** The same file as result@1 wrote it: per-sample statistics only, no window, no value. */
function asV1(file: ReturnType<typeof resultFile>): Record<string, unknown> {
  const json = JSON.parse(JSON.stringify(file)) as Record<string, unknown> & { runs: Record<string, unknown>[] };
  json.schema = RESULT_SCHEMA_V1;
  for (const run of json.runs) {
    const summary = run.summary as Record<string, Record<string, unknown>> | null;
    if (!summary) continue;
    delete summary.window;
    for (const metric of Object.values(summary)) {
      delete metric.windowMean;
      delete metric.end;
    }
  }
  return json;
}

const runs = [10, 11, 12].map((cpu) => ({ cpu, mem: 50 * 2 ** 20 }));

describe('reading result files', () => {
  it('reads a result@1 file as result@2, with the window mean derived from its samples', () => {
    const v2 = resultFile({ runs });
    const upgraded = parseResultValue(asV1(v2), 'old.json');
    expect(upgraded.schema).toBe(RESULT_SCHEMA);
    for (const [i, run] of upgraded.runs.entries()) {
      const durationMs = run.loadWindow.endMs - run.loadWindow.startMs;
      const expected = windowMeans(steadyStateSamples(run.samples, durationMs))!;
      expect(run.summary!.cpuPercent.windowMean).toBeCloseTo(expected.cpuPercent, 12);
      expect(run.summary!.memoryBytes.windowMean).toBeCloseTo(expected.memoryBytes, 6);
      expect(run.summary).toEqual(v2.runs[i].summary); // the same as a file written today
    }
  });

  it('compares an old baseline with a new candidate', () => {
    const baseline = parseResultValue(asV1(resultFile({ runs, seed: 2 })), 'old.json');
    const candidate = resultFile({ runs, seed: 3 });
    const comparison = compareResults([baseline], candidate);
    expect(comparison.metrics.map((m) => m.baseline.values)).toEqual(comparison.metrics.map((m) => m.candidate.values));
  });

  it('names the file, the key and the versions it accepts for a file of neither version', () => {
    const bad = Buffer.from(JSON.stringify({ ...resultFile({ runs }), schema: 'collector-bench/result@9' }));
    const err = (() => {
      try {
        parseResultBytes(bad, 'future.json');
      } catch (e) {
        return e as InvalidInputError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain('future.json');
    expect(err.message).toContain('schema');
    expect(err.message).toContain(RESULT_SCHEMA);
  });
});
