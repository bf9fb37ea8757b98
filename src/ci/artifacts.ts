/**
 * The artifacts folder the report workflow downloads: one sub-folder per machine (the artifact
 * `benchmark-<machine>`), each with the results files that machine wrote. Everything in it came
 * from a job that ran PR code, so every results file is validated against the schema before use;
 * other collector-bench files beside them (comparisons, HTML) are ignored, anything else is refused.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { parseResultValue } from '../baseline/read-result.js';
import { splitArms, type Arm } from '../contracts/ab.js';
import { checkName, checkResultFacts, GATE_LIMITS, parseGatedJson, readBounded, refuse } from './gate.js';

export const ARTIFACT_PREFIX = 'benchmark-';

export interface MachineResult {
  file: string;
  result: ResultFile;
  /** Both arms, for a same-machine A/B file; null for a single-arm file (history mode). */
  arms: Record<Arm, ResultFile> | null;
}

export interface MachineArtifacts {
  machine: string;
  dir: string;
  results: MachineResult[];
}

const IGNORED_SCHEMAS = /^collector-bench\/(comparison|scenarios|diagnostics)@/;

/** Counts what one artifacts folder holds, so a crafted upload cannot make the reader walk or read without end. */
interface Budget {
  entries: number;
  bytes: number;
}

function spend(budget: Budget, root: string, entries: number, bytes: number): void {
  budget.entries += entries;
  budget.bytes += bytes;
  if (budget.entries > GATE_LIMITS.entries) {
    throw refuse(root, '(entries)', budget.entries, `at most ${GATE_LIMITS.entries} files and folders`);
  }
  if (budget.bytes > GATE_LIMITS.totalBytes) {
    throw refuse(root, '(total size)', budget.bytes, `at most ${GATE_LIMITS.totalBytes} bytes of results`);
  }
}

/** The JSON files under `dir`: regular files and folders only (a link could point anywhere), names checked. */
function jsonFiles(dir: string, root: string, budget: Budget): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  spend(budget, root, entries.length, 0);
  const files: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (!e.isDirectory() && !e.isFile()) throw refuse(path, '(file type)', undefined, 'a regular file or folder');
    if (!e.name.endsWith('.json') && e.isFile()) continue;
    checkName(e.name, path, e.isDirectory() ? '(folder name)' : '(file name)');
    if (e.isDirectory()) files.push(...jsonFiles(path, root, budget));
    else files.push(path);
  }
  return files;
}

export function readArtifacts(dir: string, now: number = Date.now()): MachineArtifacts[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    throw new InvalidInputError(
      dir,
      '(folder)',
      undefined,
      'a folder of benchmark-<machine> artifacts',
      (e as Error).message,
    );
  }
  const budget: Budget = { entries: 0, bytes: 0 };
  spend(budget, dir, entries.length, 0);
  const machines: MachineArtifacts[] = [];
  for (const name of entries) {
    const machineDir = join(dir, name);
    const stat = lstatSync(machineDir);
    if (!stat.isDirectory()) {
      if (stat.isFile() || stat.isSymbolicLink()) throw refuse(machineDir, '(artifact)', name, 'a folder');
      continue;
    }
    const machine = checkName(
      name.startsWith(ARTIFACT_PREFIX) ? name.slice(ARTIFACT_PREFIX.length) : name,
      machineDir,
      '(artifact name: the machine)',
    );
    const results: MachineResult[] = [];
    for (const file of jsonFiles(machineDir, dir, budget)) {
      const bytes = readBounded(file);
      spend(budget, dir, 0, bytes.length);
      const raw = parseGatedJson(bytes, file);
      const schema = (raw as { schema?: unknown } | null)?.schema;
      if (typeof schema === 'string' && IGNORED_SCHEMAS.test(schema)) continue;
      const result = checkResultFacts(parseResultValue(raw, file), file, now);
      results.push({ file, result, arms: splitArms(result, file) });
    }
    if (results.length === 0) continue;
    machines.push({ machine, dir: machineDir, results });
  }
  if (machines.length === 0) {
    throw new InvalidInputError(
      dir,
      '(folder)',
      undefined,
      'at least one sub-folder with a collector-bench/result@1 file',
    );
  }
  return machines;
}
