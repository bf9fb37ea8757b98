/**
 * `validate pr`: the default PR mode validated as users run it (issue 18, part 5). Each repetition
 * runs real A/B comparisons of the reference collector against itself (A/A) and against itself with
 * its CPU knob raised (+5%, +10%, +25%), through THE A/B use case (app/benchmark.ts, what
 * `run --candidate-env` runs), once per design of the design table. Designs and conditions are
 * interleaved in time, their order rotated every repetition, so the machine's drift falls on all
 * of them alike. Every finished comparison is appended at once to the validate record; the table
 * (`validate table`) is computed from the whole record, gathered over as many invocations as it
 * takes. Noisy neighbours (CPU hogs at a set duty cycle, `--neighbour none,50x2`) are one more
 * condition interleaved in time: each is started for its comparisons only, its CPU measured over
 * each of them.
 */
import { join } from 'node:path';
import type { Comparison } from '../contracts/comparison.js';
import type { Config } from '../config/schema.js';
import {
  INJECTED_CPU,
  VALIDATE_RECORD_SCHEMA,
  ValidateConditionSchema,
  type ValidateCondition,
  type ValidateRecordLine,
} from '../contracts/validate-record.js';
import { gatherHostFacts, type HostFacts } from '../diagnostics/host-facts.js';
import { InvalidInputError } from '../errors.js';
import { appendRecordLine } from '../run/validate-record.js';
import type { Progress } from '../run/progress.js';
import {
  coresBetween,
  neighbourLabel,
  startNeighbour,
  parseNeighbour,
  type NeighbourSpec,
} from '../workloads/noisy-neighbour.js';
import { benchmark, type BenchmarkOutcome } from './benchmark.js';
import { DEFAULT_KNOBS, positiveInt, requireReferenceCollector } from './gate.js';
import type { Printer } from './printer.js';
import { DESIGNS } from './validate-designs.js';
import { validateTable } from './validate-table.js';

export interface ValidatePrRequest {
  /** The user's PR-run config (timings, runs = pairs); the knobs are added per condition. */
  config: Config;
  configFile: string | null;
  designs: string[];
  conditions: ValidateCondition[];
  repetitions: number;
  /** Work factor of the baseline arm and of each condition's candidate arm. */
  workFactors: Record<ValidateCondition, number> & { base: number };
  /** Each a condition of its own, interleaved with the others (null: no neighbour). */
  neighbours: Array<NeighbourSpec | null>;
  record: string;
  outDir: string;
}

export interface ValidatePrReport {
  appended: ValidateRecordLine[];
  record: string;
}

/** The command line's options of `validate pr`, as typed. */
export interface ValidatePrOptions {
  designs?: string;
  conditions?: string;
  repetitions?: string;
  neighbour?: string;
  record?: string;
  outDir?: string;
  baseWorkFactor?: string;
  cpu5WorkFactor?: string;
  cpu10WorkFactor?: string;
  cpu25WorkFactor?: string;
  /** Whether `--runs` was given: it sets the pairs of the fixed designs only. */
  runsGiven?: boolean;
}

/** The request from the options: every value checked before anything starts (exit 2 naming the flag). */
export function validatePrRequest(
  opts: ValidatePrOptions,
  config: Config,
  configFile: string | null,
): ValidatePrRequest {
  const base = positiveInt('base-work-factor', opts.baseWorkFactor, DEFAULT_KNOBS.baseWorkFactor, 0);
  const knob = (flag: string, raw: string | undefined, dflt: number) => {
    const w = positiveInt(flag, raw, dflt);
    if (w <= base)
      throw new InvalidInputError(`flag --${flag}`, flag, String(w), `a work factor above the base's ${base}`);
    return w;
  };
  const designs = parseDesigns(opts.designs);
  const budgeted = designs.filter((d) => DESIGNS[d].budgeted);
  if (opts.runsGiven && budgeted.length > 0) {
    throw new InvalidInputError(
      'flags --runs and --designs',
      'designs',
      budgeted.join(','),
      `designs with a fixed number of pairs (${Object.keys(DESIGNS)
        .filter((d) => !DESIGNS[d].budgeted)
        .join(', ')}) with --runs`,
      'a budgeted design picks its own number of pairs, so --runs would be dropped without a word',
    );
  }
  return {
    config,
    configFile,
    designs,
    conditions: parseConditions(opts.conditions),
    repetitions: positiveInt('repetitions', opts.repetitions, 1),
    workFactors: {
      base,
      aa: base,
      cpu5: knob('cpu5-work-factor', opts.cpu5WorkFactor, DEFAULT_KNOBS.cpu5WorkFactor),
      cpu10: knob('cpu10-work-factor', opts.cpu10WorkFactor, DEFAULT_KNOBS.cpu10WorkFactor),
      cpu25: knob('cpu25-work-factor', opts.cpu25WorkFactor, DEFAULT_KNOBS.cpu25WorkFactor),
    },
    neighbours: parseNeighbours(opts.neighbour),
    record: opts.record ?? 'validate-record.jsonl',
    outDir: opts.outDir ?? 'results',
  };
}

/** How many pairs the designs run: fixed ones `runs`, budgeted ones what their budget buys. */
function pairsSaid(designs: readonly string[], runs: number): string {
  const fixed = designs.filter((d) => !DESIGNS[d].budgeted).length;
  if (fixed === designs.length) return `${runs} pairs each`;
  if (fixed === 0) return 'pairs chosen by each budget';
  return `${runs} pairs in the fixed designs, chosen by the budget in the others`;
}

/** `--neighbour`: a comma list of `none`, `50`, `50x2`, ... (default none). */
export function parseNeighbours(raw: string | undefined): Array<NeighbourSpec | null> {
  const specs = (raw ?? 'none').split(',').map((n) => parseNeighbour(n));
  return specs.filter((n, i) => specs.findIndex((m) => neighbourLabel(m) === neighbourLabel(n)) === i);
}

/** `--designs` as names of the design table; every name unknown to it is refused (exit 2). */
export function parseDesigns(raw: string | undefined): string[] {
  const names = (raw ?? Object.keys(DESIGNS).join(',')).split(',').map((d) => d.trim());
  const bad = names.find((d) => !(d in DESIGNS));
  if (bad !== undefined || names.length === 0)
    throw new InvalidInputError('flag --designs', 'designs', raw, `a comma list of ${Object.keys(DESIGNS).join(', ')}`);
  return [...new Set(names)];
}

/** `--conditions` (default all: aa, cpu5, cpu10, cpu25). */
export function parseConditions(raw: string | undefined): ValidateCondition[] {
  const all = ValidateConditionSchema.options;
  const names = (raw ?? all.join(',')).split(',').map((c) => c.trim());
  const bad = names.find((c) => !all.includes(c as ValidateCondition));
  if (bad !== undefined || names.length === 0)
    throw new InvalidInputError('flag --conditions', 'conditions', raw, `a comma list of ${all.join(', ')}`);
  return [...new Set(names)] as ValidateCondition[];
}

interface Cell {
  design: string;
  condition: ValidateCondition;
  neighbour: NeighbourSpec | null;
}

/**
 * The comparisons of repetition `rep` (1-based) in the order they run: every design within every
 * condition within every neighbour, the whole list rotated by one more place each repetition, so
 * no cell always runs first (cold) or last (after the longest drift).
 */
export function repetitionOrder(
  designs: readonly string[],
  conditions: readonly ValidateCondition[],
  neighbours: ReadonlyArray<NeighbourSpec | null>,
  rep: number,
): Cell[] {
  const cells = neighbours.flatMap((neighbour) =>
    conditions.flatMap((condition) => designs.map((design) => ({ design, condition, neighbour }))),
  );
  const shift = (rep - 1) % cells.length;
  return [...cells.slice(shift), ...cells.slice(0, shift)];
}

function withWorkFactor(config: Config, workFactor: number): Config {
  return {
    ...config,
    collector: { ...config.collector, env: { ...config.collector.env, REF_COLLECTOR_WORK_FACTOR: String(workFactor) } },
  };
}

function recordLine(
  o: {
    session: string;
    repetition: number;
    cell: Cell;
    facts: HostFacts;
    req: ValidatePrRequest;
    neighbourCores: number | null;
    minutes: number;
  },
  outcome: BenchmarkOutcome,
): ValidateRecordLine {
  const { cell, facts, req } = o;
  const comparison: Comparison | null = outcome.comparison;
  const cpu = comparison?.metrics.find((m) => m.metric === 'cpuPercent');
  const decidingMetric = comparison?.deciding?.metric ?? null;
  const decided = decidingMetric ? comparison?.metrics.find((m) => m.metric === decidingMetric) : undefined;
  const reference = cpu?.change.reference;
  const relative = (x: number) => (reference ? x / reference : null);
  const low = cpu?.interval ? relative(cpu.interval.low) : null;
  const high = cpu?.interval ? relative(cpu.interval.high) : null;
  const env = outcome.result.environment;
  return {
    schema: VALIDATE_RECORD_SCHEMA,
    recordedAt: new Date().toISOString(),
    session: o.session,
    repetition: o.repetition,
    git: { sha: outcome.result.git.sha },
    machine: {
      hostname: facts.hostname,
      kernel: facts.kernel,
      os: facts.os,
      cpus: facts.cpus,
      cpuModel: facts.cpuModel,
      memoryBytes: facts.memoryBytes,
      cgroupVersion: facts.cgroupVersion,
      // `docker 20.10`, `process (node v20)`: the process runtime's version already names it.
      runtime: env.runtime.version.startsWith(env.runtime.kind)
        ? env.runtime.version
        : `${env.runtime.kind} ${env.runtime.version}`,
      collectionMethod: env.collectionMethod,
    },
    design: cell.design,
    ranAs: comparison?.design?.design ?? null,
    condition: cell.condition,
    injected: {
      cpuRelative: INJECTED_CPU[cell.condition],
      baselineWorkFactor: req.workFactors.base,
      candidateWorkFactor: req.workFactors[cell.condition],
    },
    neighbour: {
      label: neighbourLabel(cell.neighbour),
      dutyPercent: cell.neighbour?.dutyPercent ?? null,
      processes: cell.neighbour?.processes ?? 0,
      measuredCores: o.neighbourCores,
    },
    measured: {
      cpuChange: cpu?.change.relative ?? null,
      cpuInterval: cpu?.interval && low !== null && high !== null ? { level: cpu.interval.level, low, high } : null,
      cpuMde: cpu?.mde ?? null,
      // No comparison at all (no valid pair) is what the user would get: an undecided PR.
      cpuVerdict: cpu?.verdict ?? 'inconclusive',
      overall: comparison?.overall ?? 'inconclusive',
      verdicts: Object.fromEntries(
        [...(comparison?.metrics ?? []), ...(comparison?.agentCost ?? [])].map((m) => [m.metric, m.verdict]),
      ),
    },
    deciding:
      decidingMetric === null
        ? null
        : {
            metric: decidingMetric,
            change: decided?.change.relative ?? null,
            mde: decided?.mde ?? null,
            verdict: decided?.verdict ?? 'inconclusive',
          },
    pairs: cpu?.paired?.pairs ?? 0,
    minutes: o.minutes,
    resultsFile: outcome.file,
  };
}

/**
 * Runs one comparison with its neighbour beside it (started before, stopped after, also when the
 * comparison throws or Ctrl-C comes), and the cores the neighbour used meanwhile.
 */
async function withNeighbour(
  spec: NeighbourSpec | null,
  progress: Progress,
  compare: () => Promise<BenchmarkOutcome>,
): Promise<{ outcome: BenchmarkOutcome; neighbourCores: number | null }> {
  if (spec === null) return { outcome: await compare(), neighbourCores: null };
  const neighbour = startNeighbour(spec);
  try {
    progress.line(`› noisy neighbour ${neighbourLabel(spec)}: pid(s) ${neighbour.pids.join(', ')}`);
    const before = neighbour.read();
    const outcome = await compare();
    return { outcome, neighbourCores: coresBetween(before, neighbour.read()) };
  } finally {
    await neighbour.stop();
  }
}

/** Runs every repetition, appending each comparison to the record as it finishes; prints the table at the end. */
export async function validatePr(
  req: ValidatePrRequest,
  print: Printer,
  progress: Progress,
): Promise<ValidatePrReport> {
  requireReferenceCollector(req.config);
  const facts = await gatherHostFacts();
  const started = new Date();
  const session = `${facts.hostname}-${started.toISOString()}-${process.pid}`;
  const base = withWorkFactor({ ...req.config, benchmark: 'validate-pr' }, req.workFactors.base);
  const total = req.repetitions * req.designs.length * req.conditions.length * req.neighbours.length;
  print.info(
    `validate pr: ${req.repetitions} repetition(s) x ${req.designs.length} design(s) x ${req.conditions.length} condition(s) x ` +
      `${req.neighbours.length} neighbour(s) (${req.neighbours.map(neighbourLabel).join(', ')}) = ${total} A/B comparison(s) ` +
      `(${pairsSaid(req.designs, base.run.runs)}, ${base.run.loadSeconds} s load); appending to ${req.record}`,
  );
  const appended: ValidateRecordLine[] = [];
  for (let rep = 1; rep <= req.repetitions; rep++) {
    for (const cell of repetitionOrder(req.designs, req.conditions, req.neighbours, rep)) {
      const n = appended.length + 1;
      progress.line(
        `› comparison ${n}/${total}: repetition ${rep}, design ${cell.design}, condition ${cell.condition}, neighbour ${neighbourLabel(cell.neighbour)}`,
      );
      const out = join(
        req.outDir,
        `validate-pr-${started.getTime()}-${rep}-${cell.design}-${cell.condition}-${neighbourLabel(cell.neighbour).replace('%', '')}.json`,
      );
      const request = DESIGNS[cell.design].apply({
        config: { ...base, out },
        configFile: req.configFile,
        ab: { candidateEnv: [`REF_COLLECTOR_WORK_FACTOR=${req.workFactors[cell.condition]}`] },
        compare: true,
        updateBaseline: false,
      });
      const t0 = Date.now();
      const { outcome, neighbourCores } = await withNeighbour(cell.neighbour, progress, () =>
        benchmark(request, print, progress),
      );
      const minutes = (Date.now() - t0) / 60_000;
      const line = recordLine({ session, repetition: rep, cell, facts, req, neighbourCores, minutes }, outcome);
      appendRecordLine(req.record, line);
      appended.push(line);
      progress.line(
        `${n}/${total} ${cell.design} ${cell.condition}: overall ${line.measured.overall}, CPU ${line.measured.cpuVerdict} ` +
          `(${line.pairs} pairs, ${minutes.toFixed(1)} min${neighbourCores === null ? '' : `, neighbour ${neighbourCores.toFixed(2)} cores`}) -> ${req.record}`,
      );
    }
  }
  print.info('');
  print.info(`The whole record (${req.record}):`);
  print.info(validateTable(req.record, 'text').text);
  return { appended, record: req.record };
}
