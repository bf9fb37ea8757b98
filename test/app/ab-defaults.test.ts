/**
 * The default A/B design (issue 18): an A/B run given neither `--runs` nor `--budget` is the
 * budgeted design `validate pr` measures as `budget-per-event-adjusted-overall`: a 10-minute budget
 * whose looks decide on CPU per 1,000 delivered events, adjusted for the workloads' own CPU, and
 * that does not stop on an early CPU verdict while memory is still open (compare.stopWhen: overall). `--runs N` keeps a fixed number of pairs; a config that
 * names `compare.deciding` keeps its choice; delivery `none` (no events counted) looks at CPU %.
 */
import { describe, expect, it } from 'vitest';
import { abDefaults, budgetMetric, DEFAULT_AB_BUDGET_MINUTES, stopRule } from '../../src/app/budgeted-ab.js';
import type { BenchmarkRequest } from '../../src/app/benchmark.js';
import { DEFAULT_DESIGN, DESIGNS } from '../../src/app/validate-designs.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';

const defaults = (): Config => loadConfig({}, undefined, {}, '/nonexistent').config;

describe('the default A/B design', () => {
  it('is a 10-minute budget for an A/B run given neither --runs nor --budget, and says so', () => {
    const { config, said } = abDefaults(defaults(), { ab: true, runsGiven: false });
    expect(DEFAULT_AB_BUDGET_MINUTES).toBe(10);
    expect(config.run.budgetMinutes).toBe(10);
    expect(said).toContain('--budget 10');
    expect(said).toContain('--runs N');
  });

  it('leaves a run with --runs at its fixed number of pairs', () => {
    const { config, said } = abDefaults(defaults(), { ab: true, runsGiven: true });
    expect(config.run.budgetMinutes).toBeNull();
    expect(said).toBeNull();
  });

  it('leaves a budget the user gave as it is', () => {
    const given = { ...defaults(), run: { ...defaults().run, budgetMinutes: 4 } };
    const { config, said } = abDefaults(given, { ab: true, runsGiven: false });
    expect(config.run.budgetMinutes).toBe(4);
    expect(said).toBeNull();
  });

  it('never gives a single (history-mode) run a budget', () => {
    expect(abDefaults(defaults(), { ab: false, runsGiven: false }).config.run.budgetMinutes).toBeNull();
  });

  it('is the design validate pr measures as the default, so the README table speaks of what users run', () => {
    const request: BenchmarkRequest = {
      config: defaults(),
      configFile: null,
      ab: { candidateEnv: ['REF_COLLECTOR_WORK_FACTOR=100'] },
      compare: true,
      updateBaseline: false,
    };
    const measured = DESIGNS[DEFAULT_DESIGN].apply(request);
    const users = abDefaults(request.config, { ab: true, runsGiven: false }).config;
    expect(users.run.budgetMinutes).toBe(measured.config.run.budgetMinutes);
    expect(budgetMetric(users).metric).toBe(measured.config.compare.deciding);
    expect(users.compare.covariate).toBe(measured.config.compare.covariate);
    expect(stopRule(users)).toBe(measured.config.compare.stopWhen);
    expect(measured.ab.duet ?? false).toBe(false);
    expect(measured.runsGiven).toBe(false);
  });
});

describe("the metric a budget's looks decide on", () => {
  it('is CPU per 1,000 delivered events by default, where the delivery counts events', () => {
    expect(budgetMetric(defaults())).toEqual({
      metric: 'cpuMsPer1000Events',
      why: 'the default where delivery counts events',
    });
  });

  it('is CPU % of a core by default with delivery none, which counts no events', () => {
    const none: Config = { ...defaults(), collector: { ...defaults().collector, delivery: { via: 'none' } } };
    expect(budgetMetric(none).metric).toBe('cpuPercent');
  });

  it('is what compare.deciding names when the config sets it', () => {
    const chosen: Config = { ...defaults(), compare: { ...defaults().compare, deciding: 'cpuPercent' } };
    expect(budgetMetric(chosen)).toEqual({ metric: 'cpuPercent', why: 'compare.deciding' });
  });
});
