/**
 * Where a long benchmark reports its progress: run i of N, phase, seconds left, samples taken. The
 * command line renders it on the terminal (cli/progress.ts).
 */
export interface Progress {
  update(state: { run: number; runs: number; phase: string; secondsLeft?: number; samples?: number }): void;
  line(msg: string): void;
  done(): void;
}
