/**
 * The diagnostic bundle: one `.tar.gz` holding what a person needs to debug a collector that failed
 * to start or died mid-benchmark without shell access to the machine: its logs (this start and the
 * previous one, like `kubectl logs --previous`), the container state, the parsed startup
 * diagnostics, the config used and host facts, with a README saying what each file is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tar from 'tar';
import type { ExitInfo, StateInfo } from '../runtime/types.js';
import { gatherHostFacts, type HostFacts } from './host-facts.js';
import { parseStartupLog, type StartupReport } from './parse-startup.js';

export interface BundleInput {
  /** Folder the `.tar.gz` is written to (created when missing). */
  dir: string;
  /** Stem of the file and of the folder inside it, e.g. `scenario-driver-404` or `run-3`. */
  name: string;
  /** One line: why this bundle exists (the failed expectation, the invalid run's reason). */
  reason: string;
  /** The collector's output of the start that failed. */
  currentLog: string;
  /** The collector's output of the start before it, when there was one. */
  previousLog?: string | null;
  /** From Started.state() (or the exit info when the container is already gone). */
  state?: Partial<StateInfo> | ExitInfo | null;
  /** Parsed from `currentLog` when not given. */
  diagnostics?: StartupReport;
  /** The configuration the collector was started with (harness config, env, scenario). */
  config: unknown;
  /** Anything else worth keeping (the scenario result, the run record). */
  context?: Record<string, unknown>;
  /** Gathered here when not given. */
  host?: HostFacts;
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

function readme(input: BundleInput, files: string[]): string {
  const describe: Record<string, string> = {
    'collector.log': 'Everything the collector printed (stdout and stderr) in the start that failed.',
    'collector.previous.log': 'What it printed in the start before that one (as `kubectl logs --previous`).',
    'container-state.json': 'Exit code, signal, OOMKilled, engine error, restart count, start and finish times.',
    'diagnostics.json':
      'collector.log parsed: banner, Sensor address, connected, driver candidates/available/loaded, diagnostics format, FATAL line, download attempts, HTTP 404 warnings.',
    'config.json':
      'The configuration the collector was started with (env, capabilities, mounts, scenario or benchmark config).',
    'host.json': 'The machine: kernel, OS, CPUs, memory, cgroup version, tracefs, bpftrace and Docker versions.',
    'context.json': 'What the harness recorded around the failure (scenario result or run record).',
  };
  return [
    `collector-bench diagnostic bundle: ${input.name}`,
    `created ${new Date().toISOString()}`,
    '',
    `Why: ${input.reason}`,
    '',
    'Files:',
    ...files.map((f) => `  ${f.padEnd(24)} ${describe[f] ?? ''}`),
    '',
    'Start with diagnostics.json (which startup step failed) and the FATAL line at the end of',
    'collector.log; container-state.json tells a crash (signal, OOMKilled) from a clean failure.',
    '',
  ].join('\n');
}

/** Writes the bundle and returns its absolute path. */
export async function writeDiagnosticBundle(input: BundleInput): Promise<string> {
  const staging = mkdtempSync(join(tmpdir(), 'collector-bench-bundle-'));
  try {
    const root = join(staging, input.name);
    mkdirSync(root);
    const files: string[] = [];
    const put = (name: string, content: string) => {
      writeFileSync(join(root, name), content);
      files.push(name);
    };
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    put('collector.log', input.currentLog);
    if (input.previousLog) put('collector.previous.log', input.previousLog);
    put('container-state.json', json(input.state ?? null));
    put('diagnostics.json', json(input.diagnostics ?? parseStartupLog(input.currentLog)));
    put('config.json', json(input.config ?? null));
    put('host.json', json(input.host ?? (await gatherHostFacts())));
    if (input.context) put('context.json', json(input.context));
    writeFileSync(join(root, 'README.txt'), readme(input, files));

    mkdirSync(input.dir, { recursive: true });
    const file = resolve(input.dir, `${input.name}-${stamp()}.tar.gz`);
    await tar.c({ gzip: true, file, cwd: staging, portable: true }, [input.name]);
    return file;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Names of the entries in a bundle (for tests and for printing what it holds). */
export async function listBundle(file: string): Promise<string[]> {
  const names: string[] = [];
  await tar.t({ file, onReadEntry: (e) => names.push(e.path) });
  return names;
}
