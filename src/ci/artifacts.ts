/**
 * The artifacts folder the report workflow downloads: one sub-folder per machine (the artifact
 * `benchmark-<machine>`), each with the results files that machine wrote. Everything in it came
 * from a job that ran PR code, so every results file is validated against the schema before use;
 * other collector-bench files beside them (comparisons, HTML) are ignored, anything else is refused.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultFile } from '../contracts/result.js';
import { InvalidInputError } from '../errors.js';
import { parseResultValue } from '../baseline/read-result.js';
import { splitArms, type Arm } from '../contracts/ab.js';

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

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InvalidInputError(file, '(root)', undefined, 'a JSON document', (e as Error).message);
  }
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
    )
    .sort();
}

export function readArtifacts(dir: string): MachineArtifacts[] {
  let entries: string[];
  try {
    entries = readdirSync(dir)
      .filter((n) => statSync(join(dir, n)).isDirectory())
      .sort();
  } catch (e) {
    throw new InvalidInputError(
      dir,
      '(folder)',
      undefined,
      'a folder of benchmark-<machine> artifacts',
      (e as Error).message,
    );
  }
  const machines: MachineArtifacts[] = [];
  for (const name of entries) {
    const machineDir = join(dir, name);
    const results: MachineResult[] = [];
    for (const file of jsonFiles(machineDir)) {
      const raw = readJson(file);
      const schema = (raw as { schema?: unknown } | null)?.schema;
      if (typeof schema === 'string' && IGNORED_SCHEMAS.test(schema)) continue;
      const result = parseResultValue(raw, file);
      results.push({ file, result, arms: splitArms(result, file) });
    }
    if (results.length === 0) continue;
    machines.push({
      machine: name.startsWith(ARTIFACT_PREFIX) ? name.slice(ARTIFACT_PREFIX.length) : name,
      dir: machineDir,
      results,
    });
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
