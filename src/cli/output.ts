/** Human output goes to stderr, so that `--json` leaves stdout machine-readable. */
import pc from 'picocolors';

export const color = !!process.stderr.isTTY && !process.env.NO_COLOR;

export function info(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

export function warn(msg: string): void {
  process.stderr.write(`${color ? pc.yellow('warning') : 'warning'}: ${msg}\n`);
}

/** The use cases' printer (app/printer.ts): stderr, coloured on a terminal. */
export const printer = { info, warn, color };
