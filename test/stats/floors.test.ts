/** The floors: one definition, read by the comparison options and by the config file alike. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { effectiveFloor, FloorsSchema } from '../../src/stats/floors.js';
import { parseCompareOptions } from '../../src/stats/options.js';
import { MiB } from '../../src/units.js';
import { invalidInputOf } from '../support/errors.js';

function configIn(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'cb-floors-'));
  writeFileSync(join(dir, 'bench.config.yaml'), yaml);
  return loadConfig({}, undefined, {}, dir).config;
}

describe('the floors', () => {
  it('give every compared metric a floor, with the documented defaults', () => {
    expect(FloorsSchema.parse({})).toEqual({
      cpu: { absolute: 1, relative: 0.05 },
      memory: { absoluteBytes: 10 * MiB, relative: 0.05 },
      bpfCpu: { absolute: 1, relative: 0.05 },
      hostCpuOverhead: { absolute: 1, relative: 0.05 },
      cpuPer1000Events: { absolute: 1, relative: 0.05 },
      bpfNsPerEvent: { absolute: 10, relative: 0.05 },
      memoryGrowth: { absoluteMiBPerMinute: 1 },
    });
  });

  it('are the larger of the absolute floor and the relative floor of the baseline level', () => {
    expect(effectiveFloor({ absolute: 1, relative: 0.05 }, 10)).toBe(1);
    expect(effectiveFloor({ absolute: 1, relative: 0.05 }, 40)).toBe(2);
    expect(effectiveFloor({ absolute: 1, relative: 0.05 }, null)).toBeNull();
  });

  it('come from the config file as the comparison options read them: one schema for both', () => {
    const config = configIn(
      'compare:\n  floors:\n    bpfCpu:\n      absolute: 0.5\n    memoryGrowth:\n      absoluteMiBPerMinute: 2\n',
    );
    const options = parseCompareOptions({
      floors: { bpfCpu: { absolute: 0.5 }, memoryGrowth: { absoluteMiBPerMinute: 2 } },
    });
    expect(config.compare.floors).toEqual(options.floors);
    expect(config.compare.floors.bpfCpu).toEqual({ absolute: 0.5, relative: 0.05 });
  });

  it('refuses a floor key it does not know, naming it', () => {
    // The flat keys of earlier versions (compare.cpuFloorPercentPoints, ...) are among them.
    expect(invalidInputOf(() => configIn('compare:\n  cpuFloorPercentPoints: 2\n')).message).toContain(
      'cpuFloorPercentPoints',
    );
  });
});
