/**
 * Typed errors that carry the context a user needs to act: which file, which key, what was given,
 * what is allowed. The CLI prints `message` and exits with `exitCode`.
 */
export class BenchError extends Error {
  readonly code: string;
  readonly context: Record<string, unknown>;
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    context: Record<string, unknown> = {},
    exitCode = 2,
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
    const shown = value === undefined ? '(missing)' : JSON.stringify(value);
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
    super('RUNTIME', message, context, 3, options);
    this.name = 'RuntimeError';
  }
}

/** A baseline store (folder or bucket) refused or failed an operation. */
export class StoreError extends BenchError {
  constructor(code: string, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, message, context, 4, options);
    this.name = 'StoreError';
  }
}

export function isBenchError(e: unknown): e is BenchError {
  return e instanceof BenchError;
}
