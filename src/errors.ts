/**
 * Typed errors that carry the context a user needs to act: which file, which key, what was given,
 * what is allowed. The CLI prints `message` and exits with `exitCode`, one of EXIT_CODES.
 */

/**
 * Every exit code of the CLI, defined here only (README "Exit codes" lists the same table), so a CI
 * gate can tell "the collector regressed" from "the harness broke". When several apply to one
 * `run`, the first in its order wins: no valid run, then the comparison, then the baseline update.
 */
export const EXIT_CODES = {
  /** Done: nothing the command checks failed. */
  ok: 0,
  /** The command's check failed: a regression (`compare --fail-on-regression`), a failed scenario, a validate figure out of tolerance. */
  checkFailed: 1,
  /** Bad input: a config, flag, results or workload file that does not validate (the message names file, key, value, allowed). */
  badInput: 2,
  /** The container engine or a local process could not be started, reached or stopped. */
  runtime: 3,
  /** The baseline store (folder or bucket) refused or failed an operation. */
  store: 4,
  /** `run` measured no valid run (the collector exited, never became ready, or gave no samples). */
  noValidRun: 5,
  /** An unexpected error: a bug in collector-bench (the stack trace is printed). */
  unexpected: 70,
  /** Interrupted by Ctrl-C (SIGINT): 128 + 2; everything started was removed first. */
  interrupted: 130,
  /** Stopped by SIGTERM (e.g. a CI timeout) or SIGHUP: 128 + 15; everything started was removed first. */
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export class BenchError extends Error {
  readonly code: string;
  readonly context: Record<string, unknown>;
  readonly exitCode: ExitCode;

  constructor(
    code: string,
    message: string,
    context: Record<string, unknown> = {},
    exitCode: ExitCode = EXIT_CODES.badInput,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BenchError';
    this.code = code;
    this.context = context;
    this.exitCode = exitCode;
  }
}

/** A config, TOML, results or baseline file that does not validate. */
export class InvalidInputError extends BenchError {
  constructor(file: string, key: string, value: unknown, allowed: string, detail?: string) {
    // A value from a crafted file can be megabytes (a whole array of samples): show its start.
    const full = value === undefined ? '(missing)' : (JSON.stringify(value) ?? String(value));
    const shown = full.length > 200 ? `${full.slice(0, 200)}… (${full.length} characters)` : full;
    super(
      'INVALID_INPUT',
      `${file}: key "${key}" has value ${shown}; allowed: ${allowed}${detail ? ` (${detail})` : ''}`,
      { file, key, value, allowed },
    );
    this.name = 'InvalidInputError';
  }
}

/** The container engine or a process could not be started, reached or stopped. */
export class RuntimeError extends BenchError {
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('RUNTIME', message, context, EXIT_CODES.runtime, options);
    this.name = 'RuntimeError';
  }
}

/** A baseline store (folder or bucket) refused or failed an operation. */
export class StoreError extends BenchError {
  constructor(code: string, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, message, context, EXIT_CODES.store, options);
    this.name = 'StoreError';
  }
}

export function isBenchError(e: unknown): e is BenchError {
  return e instanceof BenchError;
}
