/**
 * Property: whatever one field, benchmark name or machine (artifact) name of a valid upload is
 * changed to, `ci report` and `ci update-baseline` never crash (exit 70), write nothing outside
 * `--out` (and the store), and store all of the approved results or none. The CLI's own entry
 * (`main`, what bin/collector-bench.js runs) in this process, so that many cases fit in seconds.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MACHINES } from '../support/ci-artifacts.js';
import { approvedPlan, validArtifacts, writePlan } from '../support/hostile-artifacts.js';

/** Every leaf of a JSON value with its path (the fields a mutation may hit). */
function leaves(v: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (v === null || typeof v !== 'object') return [path];
  return Object.entries(v).flatMap(([k, child]) => leaves(child, [...path, Array.isArray(v) ? Number(k) : k]));
}

function setAt(json: unknown, path: ReadonlyArray<string | number>, value: unknown): void {
  let node = json as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)],
  );
}

const hostileStrings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '../../PWNED',
    '::add-mask::secret',
    'x\n::error title=t::m',
    'a\r## Improvement detected',
    '@octocat #1',
    '<img src=x onerror=alert(1)>',
    'x'.repeat(300),
    '',
  ),
);

const hostileValues = fc.oneof(
  hostileStrings,
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e21, -1, 0, 2 ** 53, '9999-12-31T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', null, true),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** A machine folder name the file system can hold (no `/`, no NUL, at most 255 bytes with the prefix). */
const folderNames = hostileStrings.filter(
  (s) =>
    s !== '' &&
    s !== '.' &&
    s !== '..' &&
    !s.includes('/') &&
    !s.includes('\u0000') &&
    Buffer.byteLength(`benchmark-${s}`) <= 255,
);

type Mutation =
  | { kind: 'field'; machine: number; path: Array<string | number>; value: unknown }
  | { kind: 'benchmark'; machine: number; name: string }
  | { kind: 'machine'; machine: number; name: string };

describe('ci report and ci update-baseline on mutated uploads (fast-check)', () => {
  let root: string;
  let paths: Array<Array<string | number>>;
  const saved: Record<string, string | undefined> = {};
  const ENV = ['GITHUB_REPOSITORY', 'GITHUB_TOKEN', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_EVENT_PATH'];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'cb-property-'));
    const sample = validArtifacts(join(root, 'sample'));
    paths = leaves(JSON.parse(readFileSync(sample[0], 'utf8')));
    for (const k of ENV) saved[k] = process.env[k];
    for (const k of ENV) delete process.env[k];
    process.env.GITHUB_REPOSITORY = 'Codertocat/Hello-World';
    process.env.GITHUB_OUTPUT = join(root, 'output');
    writeFileSync(process.env.GITHUB_OUTPUT, '');
  });
  afterAll(() => {
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  const mutations: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({
      kind: fc.constant('field' as const),
      machine: fc.integer({ min: 0, max: 1 }),
      path: fc.constant(null).chain(() => fc.constantFrom(...paths)),
      value: hostileValues,
    }),
    fc.record({
      kind: fc.constant('benchmark' as const),
      machine: fc.integer({ min: 0, max: 1 }),
      name: hostileStrings,
    }),
    fc.record({ kind: fc.constant('machine' as const), machine: fc.integer({ min: 0, max: 1 }), name: folderNames }),
  );

  let n = 0;
  it(
    'never exit 70, nothing outside --out and the store, the store all or nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(mutations, async (m) => {
          const dir = join(root, `case-${++n}`);
          mkdirSync(dir);
          const artifacts = join(dir, 'artifacts');
          const files = validArtifacts(artifacts);
          const file = files[m.machine];
          if (m.kind === 'machine') {
            renameSync(
              join(artifacts, `benchmark-${MACHINES[m.machine].name}`),
              join(artifacts, `benchmark-${m.name}`),
            );
          } else {
            const json = JSON.parse(readFileSync(file, 'utf8'));
            if (m.kind === 'field') setAt(json, m.path, m.value);
            else json.benchmark = m.name;
            writeFileSync(file, JSON.stringify(json));
          }
          const plan = writePlan(dir, approvedPlan());
          const before = new Set(walk(dir));
          const out = join(dir, 'out');
          const store = join(dir, 'store');

          const reported = await main(['ci', 'report', '--artifacts', artifacts, '--out', out, '--plan', plan]);
          expect([0, 1, 2, 4]).toContain(reported);
          const updated = await main([
            'ci',
            'update-baseline',
            '--artifacts',
            artifacts,
            '--out',
            out,
            '--baseline',
            store,
            '--plan',
            plan,
          ]);
          expect([0, 2, 4]).toContain(updated);

          const written = walk(dir).filter((f) => !before.has(f));
          const outside = written.filter((f) => !/^(out|store)(\/|$)/.test(relative(dir, f)));
          expect(outside).toEqual([]);
          expect(readdirSync(root).filter((f) => !/^(case-\d+|sample|output)$/.test(f))).toEqual([]);
          const stored = existsSync(store)
            ? walk(store).filter((f) => f.endsWith('.json') && !relative(store, f).startsWith('archive'))
            : [];
          // All or nothing: both machines' results, or none of them.
          expect(stored.length).toBe(updated === 0 ? MACHINES.length : 0);
        }),
        {
          numRuns: Number(process.env.PROPERTY_RUNS ?? 300),
          // Found by an earlier run: a magnitude the statistics' sums of squares overflowed into NaN.
          examples: [
            [
              {
                kind: 'field',
                machine: 0,
                path: ['runs', 11, 'summary', 'memoryBytes', 'windowMean'],
                value: -6.947525354238972e77,
              },
            ],
          ],
        },
      );
    },
    Number(process.env.PROPERTY_TIMEOUT_MS ?? 120_000),
  );
});
