/**
 * Log lines in the StackRox collector's format, `[LEVEL YYYY/MM/DD HH:MM:SS] message`, so the
 * scenario checks written against real collector logs parse ours too. Timestamps are UTC.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'FATAL';

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatTimestamp(d: Date): string {
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function formatLogLine(level: LogLevel, message: string, at: Date = new Date()): string {
  return message === '' ? `[${level} ${formatTimestamp(at)}]` : `[${level} ${formatTimestamp(at)}] ${message}`;
}

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  fatal(msg: string): void;
  /** Banner lines are printed without the bracketed prefix, as the real collector does before its logger starts. */
  raw(msg: string): void;
  /** A warning printed at most once per `intervalS` per key, prefixed `[Throttled] `. */
  throttledWarn(key: string, intervalS: number, msg: string): void;
}

export function createLogger(
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  now: () => Date = () => new Date(),
): Logger {
  const lastThrottled = new Map<string, number>();
  const emit = (level: LogLevel) => (msg: string) => write(formatLogLine(level, msg, now()));
  return {
    debug: process.env.REF_COLLECTOR_DEBUG === '1' ? emit('DEBUG') : () => {},
    info: emit('INFO'),
    warn: emit('WARNING'),
    error: emit('ERROR'),
    fatal: emit('FATAL'),
    raw: (msg) => write(msg),
    throttledWarn(key, intervalS, msg) {
      const t = now().getTime();
      const last = lastThrottled.get(key);
      if (last !== undefined && t - last < intervalS * 1000) return;
      lastThrottled.set(key, t);
      write(formatLogLine('WARNING', `[Throttled] ${msg}`, now()));
    },
  };
}
