/**
 * What a CI step hands to the workflow through `@actions/core`: step outputs, one error annotation
 * per regression, and the job summary. Outside Actions (a local rehearsal) core writes outputs and
 * annotations as workflow commands on stdout and there is no summary file, which is reported.
 */
import * as core from '@actions/core';
import type { Comparison } from '../contracts/comparison.js';
import { metricLabel } from '../report/format.js';

export interface StepOutputs {
  verdict: Comparison['overall'];
  regressions: number;
  reportPath: string;
  [name: string]: string | number | boolean;
}

export function setStepOutputs(outputs: StepOutputs): void {
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(
      name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
      value,
    );
  }
}

/** Regressed metrics, in report order. */
export function regressionsOf(c: Comparison): Comparison['metrics'] {
  return c.metrics.filter((m) => m.verdict === 'regression');
}

/** One `::error` annotation per regressed metric, titled with the benchmark, metric and environment. */
export function annotateRegressions(c: Comparison): number {
  const regressions = regressionsOf(c);
  for (const m of regressions) {
    core.error(m.reason, { title: `${c.benchmark}: ${metricLabel(m)} regressed on ${m.envKey}` });
  }
  return regressions.length;
}

export function warnAnnotation(message: string, title?: string): void {
  core.warning(message, title ? { title } : undefined);
}

/** Appends Markdown to the job summary; false when this is not an Actions job (no GITHUB_STEP_SUMMARY). */
export async function writeJobSummary(markdown: string): Promise<boolean> {
  if (!process.env.GITHUB_STEP_SUMMARY) return false;
  await core.summary.addRaw(markdown, true).write();
  return true;
}
