/**
 * The one A/B model. A same-machine A/B results file (`mode: "ab"`) holds both arms, run
 * interleaved in one session: every measured run carries `arm` and `pair`, and `arms` says what
 * each arm ran. This module owns what such a file means, so the run, stats, ci and report layers
 * agree on it:
 * - `Arm` and "is this an A/B file" (ONE rule: the file's mode; result@2 introduced `mode` and the
 *   runs' `arm` together, so no stored file carries arms without saying `mode: "ab"`);
 * - the pairs of a file (a pair counts only when both its runs count and neither fell short of
 *   its workload target);
 * - an arm's runs as a single-arm results file, with the choice of runs explicit: the runs of
 *   complete pairs (what a paired analysis sees) or every run of the arm (what the baseline store
 *   keeps of an approved PR);
 * - the arms a user asked for with the A/B options (`--baseline-image`, `--candidate-env`, ...).
 * Plain functions over parsed files; no CLI library, no statistics.
 */
import { InvalidInputError } from '../errors.js';
import { countedRuns, type ResultFile, type Run } from './result.js';

/** The two arms of an A/B file; the wire format is the results schema's `arm` enum. */
export type Arm = NonNullable<Run['arm']>;
export const ARMS: readonly Arm[] = ['baseline', 'candidate'];

/** Whether a results file is a same-machine A/B file. The only rule: its mode. */
export function isAbResult(result: ResultFile): boolean {
  return result.mode === 'ab';
}

/** Every measured (non-warm-up) run of an A/B file names its arm; `where` names the file in the error. */
function checkArms(result: ResultFile, where: string): void {
  result.runs.forEach((run, i) => {
    if (run.warmupRun || run.arm !== undefined) return;
    throw new InvalidInputError(
      where,
      `runs.${i}.arm`,
      run.arm,
      '"baseline" | "candidate" (every measured run of an A/B file has one)',
    );
  });
}

export interface RunPair {
  pair: number;
  baseline: Run;
  candidate: Run;
}

export interface Pairing {
  pairs: RunPair[];
  /** Pairs left out, each with why (e.g. "pair 3: candidate run #7 invalid"). */
  dropped: string[];
  /** Pairs kept though flagged, each with why (a duet's shortfall fell on both arms alike). */
  kept: string[];
}

/**
 * The complete pairs of an A/B file, in pair order: one baseline and one candidate run with the
 * same pair number, both counted (valid, with a summary) and neither flagged short of its
 * workload target (`Run.shortfall`). Dropping one run of a pair but keeping
 * the other would bring back the drift that pairing removes, so an incomplete pair is dropped whole.
 */
export function abPairs(result: ResultFile, where: string): Pairing {
  checkArms(result, where);
  const counted = new Set(countedRuns(result));
  const byPair = new Map<number, Run[]>();
  result.runs.forEach((run, i) => {
    if (run.warmupRun) return;
    if (typeof run.pair !== 'number') {
      throw new InvalidInputError(
        where,
        `runs.${i}.pair`,
        run.pair,
        'an integer >= 1 (every non-warm-up run of an A/B file)',
      );
    }
    byPair.set(run.pair, [...(byPair.get(run.pair) ?? []), run]);
  });
  const pairs: RunPair[] = [];
  const dropped: string[] = [];
  const kept: string[] = [];
  for (const [pair, runs] of [...byPair].sort((a, b) => a[0] - b[0])) {
    const baseline = runs.filter((r) => r.arm === 'baseline');
    const candidate = runs.filter((r) => r.arm === 'candidate');
    if (baseline.length > 1 || candidate.length > 1) {
      const i = result.runs.indexOf(runs[runs.length - 1]);
      throw new InvalidInputError(
        where,
        `runs.${i}.pair`,
        pair,
        'each pair number on one baseline and one candidate run',
      );
    }
    if (baseline.length === 0 || candidate.length === 0) {
      dropped.push(`pair ${pair}: no ${baseline.length === 0 ? 'baseline' : 'candidate'} run`);
      continue;
    }
    const missing = [baseline[0], candidate[0]].filter((r) => !counted.has(r));
    if (missing.length > 0) {
      dropped.push(
        `pair ${pair}: ${missing.map((r) => `${r.arm} run #${r.index + 1} ${r.valid ? 'has no steady state' : 'invalid'}`).join(', ')}`,
      );
      continue;
    }
    // A run whose workload fell well short measured a lighter load than its partner: the pair's
    // difference would carry the load, not the agent (the flag and its threshold: workloads/reach.ts).
    // An arm that itself slows the workload loses its pairs this way, visibly: the dropped list
    // names its runs, and too few pairs leave the verdict inconclusive, never a lighter "unchanged".
    const short = [baseline[0], candidate[0]].filter((r) => r.shortfall);
    // A duet pair ran both arms in one load window on one workload: a shortfall is the window's,
    // not an arm's, and falls on both alike, so the pair still compares like with like.
    const oneWindow = baseline[0].loadWindow.startMs === candidate[0].loadWindow.startMs;
    if (short.length === 2 && oneWindow) {
      kept.push(
        `pair ${pair}: both arms in one load window fell short of the workload target alike (${short[0].shortfall!.reason}); kept`,
      );
    } else if (short.length > 0) {
      dropped.push(
        `pair ${pair}: ${short.map((r) => `${r.arm} run #${r.index + 1} fell short of its workload target (${r.shortfall!.reason})`).join(', ')}`,
      );
      continue;
    }
    pairs.push({ pair, baseline: baseline[0], candidate: candidate[0] });
  }
  return { pairs, dropped, kept };
}

/**
 * Which runs of an arm to keep: `complete-pairs`, the arm's runs of the pairs in which both runs
 * count (the sides stay paired, as the paired analysis sees them); `all-runs`, every run the arm
 * made, warm-ups and invalid runs included (a single-arm file as if the arm had run alone).
 */
export type ArmRunChoice = 'complete-pairs' | 'all-runs';

/**
 * One arm of an A/B file as an ordinary single-arm results file: mode "single", no `arms`, the
 * arm's image as the environment's collector image, runs without `arm`/`pair` and renumbered
 * from 0 in their order (pair order for complete pairs).
 */
export function armResult(result: ResultFile, arm: Arm, choice: ArmRunChoice, where: string): ResultFile {
  const chosen =
    choice === 'complete-pairs'
      ? abPairs(result, where).pairs.map((p) => p[arm])
      : (checkArms(result, where), result.runs.filter((r) => r.arm === arm));
  const runs = chosen.map(({ arm: _arm, pair: _pair, ...run }, index) => ({ ...run, index }));
  const info = result.arms?.[arm];
  const { arms: _arms, ...rest } = result;
  return {
    ...rest,
    mode: 'single',
    runs,
    environment: {
      ...result.environment,
      collectorImage: info?.image ?? result.environment.collectorImage,
      collectorImageId: info?.imageId ?? result.environment.collectorImageId,
    },
  };
}

/** Both arms of an A/B file, every run of each (`all-runs`); null for an ordinary single-arm file. */
export function splitArms(result: ResultFile, where: string): Record<Arm, ResultFile> | null {
  if (!isAbResult(result)) return null;
  const [baseline, candidate] = ARMS.map((arm) => {
    const one = armResult(result, arm, 'all-runs', where);
    if (one.runs.length === 0) throw new InvalidInputError(where, 'runs', `no ${arm} runs`, 'runs of both arms');
    return one;
  });
  return { baseline, candidate };
}

/** How an A/B file's pairs ran: both arms at once (`duet`) or one after the other, and why a duet asked for ran interleaved. */
export interface AbDesign {
  design: 'duet' | 'interleaved';
  reason: string | null;
}

/** The design an A/B file records (`config.ab.design`, `config.ab.designReason`); files from before it ran interleaved. */
export function abDesign(result: ResultFile): AbDesign {
  const ab = (result.config as { ab?: { design?: unknown; designReason?: unknown } }).ab;
  return {
    design: ab?.design === 'duet' ? 'duet' : 'interleaved',
    reason: typeof ab?.designReason === 'string' ? ab.designReason : null,
  };
}

/** The A/B options as given (CLI flags, a workflow input): each arm's image or command and extra env. */
export interface AbFlags {
  baselineImage?: string;
  candidateImage?: string;
  baselineCommand?: string;
  candidateCommand?: string;
  baselineEnv?: string[];
  candidateEnv?: string[];
  /** Both arms at once in every load window (issue 18's duet), rather than one after the other. */
  duet?: boolean;
}

/** What an arm runs: the collector part of the config that differs between arms. */
export interface ArmCollector {
  image: string | null;
  command: string[] | null;
  env: Record<string, string>;
}

/** Whether the options ask for an A/B run at all. */
export function wantsAb(flags: AbFlags): boolean {
  return Boolean(
    flags.baselineImage ||
    flags.candidateImage ||
    flags.baselineCommand ||
    flags.candidateCommand ||
    flags.baselineEnv?.length ||
    flags.candidateEnv?.length,
  );
}

/** `K=V` assignments of a repeatable option (`flag` names it in the error) as an environment. */
export function parseEnvAssignments(flag: string, values: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of values) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(raw);
    if (!m) throw new InvalidInputError(`flag --${flag}`, flag, raw, 'KEY=VALUE, KEY made of letters, digits and _');
    env[m[1]] = m[2];
  }
  return env;
}

/** A command given as one string: split on whitespace (no shell quoting). */
function argvOf(command: string | undefined): string[] | null {
  if (command === undefined) return null;
  const argv = command.trim().split(/\s+/).filter(Boolean);
  return argv.length ? argv : null;
}

/**
 * The two arms from the options and the configured collector. Each arm runs its own image or
 * command when given, else the configured one (null = the reference collector); a candidate with
 * neither runs the baseline arm's collector, so `--candidate-env K=V` alone A/Bs a knob of one
 * collector. The candidate starts from the configured env, not from the baseline arm's extra env.
 */
export function armsFromFlags(configured: ArmCollector, flags: AbFlags): Record<Arm, ArmCollector> {
  const arm = (
    image: string | undefined,
    command: string | undefined,
    env: Record<string, string>,
    from: ArmCollector,
  ) => {
    const argv = argvOf(command);
    return {
      image: image ?? (argv ? null : from.image),
      command: argv ?? (image ? null : from.command),
      env: { ...configured.env, ...env },
    };
  };
  const baseline = arm(
    flags.baselineImage,
    flags.baselineCommand,
    parseEnvAssignments('baseline-env', flags.baselineEnv),
    configured,
  );
  const candidate = arm(
    flags.candidateImage,
    flags.candidateCommand,
    parseEnvAssignments('candidate-env', flags.candidateEnv),
    baseline,
  );
  return { baseline, candidate };
}
