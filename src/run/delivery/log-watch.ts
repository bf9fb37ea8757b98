/** One subscription to a collector's output that canary waiters, a line counter and the arrival tally share (onLine has no unsubscribe). */
import type { Started } from '../../runtime/types.js';
import { ArrivalTally } from './output-buffering.js';

export class LogWatch {
  private readonly waiters = new Set<{ re: RegExp; resolve: (atMs: number) => void }>();
  /** Lines matching `counting` since it was set. */
  counted = 0;
  counting: RegExp | null = null;
  /** Every line since the watch began. */
  lines = 0;
  /** When each line arrived, for the block-buffering rule. */
  readonly arrivals = new ArrivalTally();

  constructor(collector: Pick<Started, 'onLine'>) {
    collector.onLine((line) => {
      const at = Date.now();
      this.lines++;
      this.arrivals.add({ atMs: at, bytes: Buffer.byteLength(line) + 1 });
      if (this.counting?.test(line)) this.counted++;
      for (const w of this.waiters)
        if (w.re.test(line)) {
          this.waiters.delete(w);
          w.resolve(at);
        }
    });
  }

  /** Resolves with the arrival time of the next line matching `re`; rejects after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const waiter = {
        re,
        resolve: (at: number) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no line matched ${re.source}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
