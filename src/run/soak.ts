/**
 * `--soak <minutes>`: leak hunting. One run with one long load window and no warm-up run, since
 * what matters is the working set's slope over a long time, not the spread between runs.
 */
import type { Config } from '../config/schema.js';

export function withSoak(config: Config, log: (m: string) => void): Config {
  const minutes = config.run.soakMinutes;
  if (minutes === null) return config;
  log(`soak: one run with a ${minutes}-minute load window; the report gives the working set's slope`);
  return { ...config, run: { ...config.run, runs: 1, warmupRuns: 0, overhead: false, loadSeconds: minutes * 60 } };
}
