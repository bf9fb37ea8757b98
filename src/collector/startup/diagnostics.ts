/**
 * The startup banner and the `== Collector Startup Diagnostics: ==` block in the two formats the
 * real collector has printed: `old` (three true/false lines) and `new` (driver candidates, and a
 * `Driver loaded into kernel: <name>` line only when a driver loaded).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { CollectorConfig } from '../config.js';
import type { Logger } from '../log.js';

export interface StartupDiagnostics {
  method: CollectorConfig['collectionMethod'];
  connectedToSensor: boolean;
  driverAvailable: boolean;
  driverLoaded: boolean;
}

/** PRETTY_NAME from os-release (host's copy first when the host root is mounted), else the OS type. */
export function osDescription(candidates = ['/host/etc/os-release', '/etc/os-release']): string {
  for (const f of candidates) {
    try {
      const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(fs.readFileSync(f, 'utf8'));
      if (m) return m[1];
    } catch {
      // try the next candidate
    }
  }
  return `${os.type()} ${os.release()}`;
}

export function printBanner(cfg: CollectorConfig, log: Logger): void {
  log.raw(`Collector Version: ${cfg.collectorVersion}`);
  log.raw(`OS: ${osDescription()}`);
  log.raw(`Kernel Version: ${cfg.kernelVersion}`);
  log.raw('Starting StackRox Collector...');
  log.info(`Hostname: '${cfg.hostname}'`);
  log.info(`Collection method: ${cfg.collectionMethod}`);
}

export function diagnosticsLines(format: 'new' | 'old', d: StartupDiagnostics): string[] {
  const lines = ['', '== Collector Startup Diagnostics: ==', `Connected to Sensor? ${d.connectedToSensor}`];
  if (format === 'old') {
    lines.push(`Kernel driver available? ${d.driverAvailable}`, `Driver loaded into kernel? ${d.driverLoaded}`);
  } else {
    lines.push('Kernel driver candidates:');
    // Only the candidate that was looked at is listed; before the Sensor connection none was.
    if (d.connectedToSensor || d.driverAvailable)
      lines.push(`  ${d.method} (${d.driverAvailable ? 'available' : 'unavailable'})`);
    if (d.driverLoaded) lines.push(`Driver loaded into kernel: ${d.method}`);
  }
  lines.push('====================================', '');
  return lines;
}

export function printDiagnostics(cfg: CollectorConfig, log: Logger, d: StartupDiagnostics): void {
  for (const l of diagnosticsLines(cfg.diagnosticsFormat, d)) log.info(l);
}
