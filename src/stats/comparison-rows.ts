/**
 * A decided metric as a row of the comparison contract: the collector's own metrics go to
 * `metrics`, the agent-cost metrics to `agentCost` (their older, smaller row, extended in @2 with
 * the deciding test, the interval and the MDE).
 */
import type { AgentCostMetric } from '../contracts/agent-cost.js';
import type { AgentCostComparison, MetricComparison } from '../contracts/comparison.js';
import type { Decided } from './decide.js';
import { RUN_LEVEL_STATISTIC } from './metrics.js';

export function metricComparison(d: Decided): MetricComparison {
  return {
    metric: d.spec.metric as MetricComparison['metric'],
    unit: d.spec.unit as MetricComparison['unit'],
    statistic: d.spec.statistic ?? RUN_LEVEL_STATISTIC,
    envKey: d.envKey,
    baseline: d.baseline,
    candidate: d.candidate,
    change: d.change,
    interval: d.interval,
    floor: d.floor,
    decidingTest: d.decidingTest,
    adjustedPValue: d.adjustedPValue,
    mde: d.mde,
    mdeAbsolute: d.mdeAbsolute,
    planner: d.planner,
    paired: d.paired,
    history: d.history,
    diagnostics: d.diagnostics,
    verdict: d.verdict,
    reason: d.reason,
  };
}

export function agentCostComparison(d: Decided): AgentCostComparison {
  return {
    metric: d.spec.metric as AgentCostMetric,
    unit: d.spec.unit as AgentCostComparison['unit'],
    baseline: d.baseline,
    candidate: d.candidate,
    change: { absolute: d.change.absolute, relative: d.change.relative },
    welch: d.diagnostics.welch,
    adjustedPValue: d.adjustedPValue,
    floors: { absolute: d.floor.absolute, relative: d.floor.relative },
    effectiveFloor: d.floor.effective,
    decidingTest: d.decidingTest,
    interval: d.interval,
    mde: d.mde,
    mdeAbsolute: d.mdeAbsolute,
    verdict: d.verdict,
    reason: d.reason,
  };
}
