/** How a use case talks to its user: the command line passes its stderr printer (cli/output.ts). */
export interface Printer {
  info(msg: string): void;
  warn(msg: string): void;
  /** Whether text reports may use colour. */
  color: boolean;
}
