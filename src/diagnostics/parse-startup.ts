/**
 * Reads what a collector said about its own startup from its log: the banner, the Sensor address,
 * the download attempts and the `== Collector Startup Diagnostics: ==` block, in either format
 * the StackRox collector has printed:
 *   old: `Connected to Sensor? true`, `Kernel driver available? true`, `Driver loaded into kernel? false`
 *   new: `Connected to Sensor? true`, `Kernel driver candidates:` then lines like `  core_bpf (available)`,
 *        and `Driver loaded into kernel: core_bpf` only when a driver loaded.
 * Logs come from crashing agents, so anything unexpected yields nulls: this never throws.
 */

export interface DriverCandidate {
  name: string;
  available: boolean;
}

export interface StartupReport {
  banner: { version: string | null; os: string | null; kernel: string | null } | null;
  sensorAddress: string | null;
  /** From the diagnostics block; null when no block was printed. */
  connected: boolean | null;
  /** Old format: the `available?` line. New format: whether any candidate is available. */
  driverAvailable: boolean | null;
  /** New format only (null in the old one). */
  candidates: DriverCandidate[] | null;
  /** Old format: true/false. New format: the loaded driver's name, or false when the block names none. */
  driverLoaded: boolean | string | null;
  format: 'old' | 'new' | null;
  /** Message of the last FATAL line. */
  fatal: string | null;
  /** From `Attempted to download <name> N time(s)`; null when the collector did not print it. */
  downloadAttempts: number | null;
  /** `Unexpected HTTP request failure (HTTP 404)` warnings (throttling hides some: a lower bound). */
  http404Warnings: number;
  /** All `Unexpected HTTP request failure` warnings, whatever the status or error. */
  httpFailureWarnings: number;
  /** Did the collector say it finished starting (`Collector is ready`)? */
  readyLine: boolean;
}

const PREFIX = /^\s*\[(DEBUG|INFO|WARNING|WARN|ERROR|FATAL)\s[^\]]*\]\s?(.*)$/;

interface LogLine {
  level: string | null;
  text: string;
}

function splitLines(log: unknown): LogLine[] {
  if (typeof log !== 'string') return [];
  return log.split(/\r?\n/).map((raw) => {
    const m = PREFIX.exec(raw);
    return m
      ? { level: m[1] === 'WARN' ? 'WARNING' : m[1], text: m[2].trimEnd() }
      : { level: null, text: raw.trimEnd() };
  });
}

function bool(text: string | undefined): boolean | null {
  if (text === undefined) return null;
  const t = text.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : null;
}

const BLOCK_START = /^==\s*Collector Startup Diagnostics:\s*==$/;
const BLOCK_END = /^={5,}$/;

interface Block {
  connected: boolean | null;
  driverAvailable: boolean | null;
  candidates: DriverCandidate[] | null;
  driverLoaded: boolean | string | null;
  format: 'old' | 'new' | null;
}

function parseBlock(lines: string[], complete: boolean): Block {
  const b: Block = { connected: null, driverAvailable: null, candidates: null, driverLoaded: null, format: null };
  let inCandidates = false;
  for (const raw of lines) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^Connected to Sensor\?\s*(\S+)$/.exec(line))) {
      b.connected = bool(m[1]);
      inCandidates = false;
    } else if ((m = /^Kernel driver available\?\s*(\S+)$/.exec(line))) {
      b.driverAvailable = bool(m[1]);
      b.format = 'old';
      inCandidates = false;
    } else if ((m = /^Driver loaded into kernel\?\s*(\S+)$/.exec(line))) {
      b.driverLoaded = bool(m[1]);
      b.format ??= 'old';
      inCandidates = false;
    } else if (/^Kernel driver candidates:?$/.test(line)) {
      b.candidates = [];
      b.format = 'new';
      inCandidates = true;
    } else if ((m = /^Driver loaded into kernel:\s*(\S.*)$/.exec(line))) {
      b.driverLoaded = m[1].trim();
      b.format = 'new';
      inCandidates = false;
    } else if (inCandidates && (m = /^(\S+)\s*\((available|unavailable|not available)\)$/i.exec(line))) {
      b.candidates!.push({ name: m[1], available: m[2].toLowerCase() === 'available' });
    } else if (line !== '') {
      inCandidates = false;
    }
  }
  if (b.format === 'new') {
    b.driverAvailable = b.candidates ? b.candidates.some((c) => c.available) : null;
    // The new format prints the "loaded" line only on success: its absence in a complete block means none loaded.
    if (b.driverLoaded === null && complete) b.driverLoaded = false;
  }
  return b;
}

export function parseStartupLog(log: unknown): StartupReport {
  const report: StartupReport = {
    banner: null,
    sensorAddress: null,
    connected: null,
    driverAvailable: null,
    candidates: null,
    driverLoaded: null,
    format: null,
    fatal: null,
    downloadAttempts: null,
    http404Warnings: 0,
    httpFailureWarnings: 0,
    readyLine: false,
  };
  try {
    const lines = splitLines(log);
    const banner = { version: null as string | null, os: null as string | null, kernel: null as string | null };
    let lastBlock: string[] | null = null;
    let current: string[] | null = null;
    for (const { level, text } of lines) {
      let m: RegExpExecArray | null;
      if (current) {
        if (BLOCK_END.test(text.trim())) {
          lastBlock = current;
          current = null;
        } else current.push(text);
        continue;
      }
      if (BLOCK_START.test(text.trim())) {
        current = [];
        continue;
      }
      if (level === null) {
        // The banner is printed before the logger starts, without the bracketed prefix.
        if ((m = /^Collector Version:\s*(.+)$/.exec(text.trim()))) banner.version = m[1].trim();
        else if ((m = /^OS:\s*(.+)$/.exec(text.trim()))) banner.os = m[1].trim();
        else if ((m = /^Kernel Version:\s*(.+)$/.exec(text.trim()))) banner.kernel = m[1].trim();
        continue;
      }
      if (level === 'FATAL') report.fatal = text.trim();
      if ((m = /^Sensor configured at address:\s*(\S+)/.exec(text))) report.sensorAddress = m[1];
      if ((m = /Attempted to download \S+ (\d+) time\(s\)/.exec(text))) report.downloadAttempts = Number(m[1]);
      if (/Unexpected HTTP request failure/.test(text)) {
        report.httpFailureWarnings += 1;
        if (/\(HTTP 404\)/.test(text)) report.http404Warnings += 1;
      }
      if (/^Collector is ready\b/.test(text)) report.readyLine = true;
    }
    // A block cut off by a crash still tells what was printed.
    const block = lastBlock ?? current;
    if (block) Object.assign(report, parseBlock(block, lastBlock !== null));
    if (banner.version !== null || banner.os !== null || banner.kernel !== null) report.banner = banner;
  } catch {
    // Never throw on a log: whatever was gathered so far stands.
  }
  return report;
}
