/** How a use case talks to its user: the command line passes its stderr printer (cli/output.ts). */
export interface Printer {
  info(msg: string): void;
  warn(msg: string): void;
  /** Whether text reports may use colour. */
  color: boolean;
}

/** A long use case's progress; the command line passes its terminal renderer (cli/progress.ts). */
export type { Progress } from '../run/progress.js';
