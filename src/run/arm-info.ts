/** What an arm of a session ran, for its results file and the report's header. */
import type { Config } from '../config/schema.js';
import type { ArmInfo } from '../contracts/result.js';
import type { CollectorTarget } from './collector-target.js';

/** What an arm ran, for the file: image or command, and the environment the user set. */
export function armInfo(config: Config, collector: CollectorTarget, label: string): ArmInfo {
  return {
    label,
    image: collector.image,
    imageId: collector.imageId,
    command: collector.spec.argv && !collector.reference ? collector.spec.argv.join(' ') : null,
    env: { ...config.collector.env },
  };
}

/** A short label for an arm: its image or command, plus the environment that sets it apart. */
export function armLabel(config: Config, other: Config): string {
  const c = config.collector;
  const what = c.image ?? c.command?.join(' ') ?? 'reference collector';
  const own = Object.entries(c.env).filter(([k, v]) => other.collector.env[k] !== v);
  return own.length ? `${what} ${own.map(([k, v]) => `${k}=${v}`).join(' ')}` : what;
}
