/**
 * Progress of a long benchmark on stderr: run i of N, phase, seconds left, samples taken. On a TTY
 * the line is rewritten in place; otherwise a line every few seconds, so CI logs stay readable.
 * The terminal's renderer of the Progress the engine reports to (run/progress.ts).
 */
import type { Progress } from '../app/printer.js';

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  const tty = !!stream.isTTY;
  let last = '';
  let lastPrintedAt = 0;
  let lastPhase = '';
  const clear = () => {
    if (tty && last) stream.write('\r\x1b[2K');
  };
  return {
    update({ run, runs, phase, secondsLeft, samples }) {
      if (quiet) return;
      const parts = [`run ${run}/${runs}`, phase];
      if (secondsLeft !== undefined) parts.push(`${Math.max(0, Math.ceil(secondsLeft))} s left`);
      if (samples !== undefined) parts.push(`${samples} samples`);
      const text = parts.join(' · ');
      if (tty) {
        clear();
        stream.write(text);
        last = text;
        return;
      }
      const now = Date.now();
      if (phase !== lastPhase || now - lastPrintedAt >= 5000) {
        stream.write(`${text}\n`);
        lastPrintedAt = now;
        lastPhase = phase;
      }
    },
    line(msg) {
      if (quiet) return;
      clear();
      stream.write(`${msg}\n`);
      if (tty && last) stream.write(last);
    },
    done() {
      clear();
      last = '';
    },
  };
}
