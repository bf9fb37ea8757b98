/**
 * The looks of recorded budgeted A/B files replayed with their pair log-ratios adjusted for the
 * workloads' own CPU (issue 18; src/stats/covariate-adjustment.ts), beside the verdict they reached
 * without it. The product's own code does both replays (replaySequential on the file's design, once
 * as recorded and once with `covariate: workloadOwnCpu`), so a file's raw replay is its recorded
 * verdict.
 *
 *     npx tsx scripts/analysis/covariate-replay.ts DIR/*.json
 *     npx tsx scripts/analysis/covariate-replay.ts docs/validate-results/*.json.gz   # the committed files
 *
 * What it cannot tell: a file whose raw rule stopped early holds no pairs past that look, so the
 * adjusted replay sees at most those (it stops at the same look or earlier, or stays undecided
 * there and is counted as such). Files of a duet design, or without a sequential design, are skipped.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseResultValue } from '../../src/baseline/read-result.js';
import { abDesign, abPairs } from '../../src/contracts/ab.js';
import { formatChange, formatMde } from '../../src/contracts/figures.js';
import { METRICS } from '../../src/stats/metrics.js';
import { replaySequential } from '../../src/stats/sequential-ab.js';
import { pairValues } from '../../src/stats/sequential-decide.js';

const tally = new Map<string, Map<string, number>>();
const count = (key: string, verdict: string) => {
  const row = tally.get(key) ?? new Map<string, number>();
  row.set(verdict, (row.get(verdict) ?? 0) + 1);
  tally.set(key, row);
};

for (const path of process.argv.slice(2).filter((p) => !/\.comparison\.json(\.gz)?$/.test(p))) {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const result = parseResultValue(JSON.parse(text), path);
  const record = result.sequential;
  if (!record || abDesign(result).design === 'duet') continue;
  const spec = METRICS.find((m) => m.metric === record.metric)!;
  const pairs = pairValues(spec, abPairs(result, path));
  const condition = /-(aa|cpu\d+)-/.exec(path)?.[1] ?? 'unknown';
  const line = [`${path.split('/').pop()} (${pairs.length} pairs)`];
  for (const [name, covariate] of [
    ['raw', null],
    ['adjusted', 'workloadOwnCpu'],
  ] as const) {
    const replay = replaySequential({ ...record, covariate }, pairs);
    const last = replay.last;
    const a = last?.adjustment;
    const note = a ? (a.applied ? ` slope ${a.slope?.toFixed(2)}${a.blocks ? ', blocked' : ''}` : `, ${a.why}`) : '';
    line.push(
      `${name}: ${replay.verdict} at ${replay.pairs} pairs, ${formatChange(last?.change ?? null)}, MDE ${formatMde(last?.mde ?? null)}${note}`,
    );
    count(`${condition} ${name}`, replay.verdict);
  }
  console.log(line.join('\n   '));
}
for (const [key, row] of [...tally].sort()) console.log(`${key}: ${[...row].map(([v, n]) => `${v} ${n}`).join(', ')}`);
