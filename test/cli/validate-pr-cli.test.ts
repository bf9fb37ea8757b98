import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidateRecordLineSchema } from '../../src/contracts/validate-record.js';
import { EXIT_CODES } from '../../src/errors.js';
import { freePort } from '../../src/runtime/free-port.js';
import { CLI, runCli, TINY_PROCESS_RUN } from '../support/cli.js';
import { recordLine } from '../support/validate-record.js';
import { alive } from '../support/processes.js';

/** Processes whose command line names the noisy neighbour (the hog's script sets that title). */
function neighbourProcesses(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('collector-bench-neighbour');
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * A config on ports of its own: other benchmarks on this machine hold the defaults' (the mock
 * sensor's 9999/9998, the collector's readiness and metrics ports).
 */
async function configOnFreePorts(dir: string): Promise<string> {
  const [ready, metrics, grpc, http] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const file = join(dir, 'config.yaml');
  // YAML is a superset of JSON.
  writeFileSync(
    file,
    JSON.stringify({
      collector: {
        readiness: { http: { url: `http://127.0.0.1:${ready}/ready`, status: 200, json: { status: 'ok' } } },
        metricsUrl: `http://127.0.0.1:${metrics}/metrics`,
      },
      sensor: { grpcAddress: `127.0.0.1:${grpc}`, httpAddress: `127.0.0.1:${http}` },
    }),
  );
  return file;
}

/**
 * The rates themselves are measured by `validate pr` over many comparisons, not by a test. What must
 * always hold: each comparison is a real A/B run through the `run` use case, it lands in the record
 * as one line the moment it is done (lines already there stay), the neighbour it started is gone
 * at the end, and `validate table` reads the whole record back.
 */
describe('collector-bench validate pr', () => {
  it('appends one record line per comparison to the record, leaving earlier lines alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-validate-pr-'));
    const record = join(dir, 'record.jsonl');
    const earlier = JSON.stringify(recordLine({ condition: 'cpu10', cpuVerdict: 'regression' }));
    writeFileSync(record, `${earlier}\n`);
    const { code, stdout, stderr } = await runCli(
      [
        'validate',
        'pr',
        ...TINY_PROCESS_RUN,
        // The tiny run's one run, as two pairs: the fewest a paired comparison is computed on.
        '--runs',
        '2',
        '--designs',
        'interleaved',
        '--conditions',
        'aa',
        '--neighbour',
        '10',
        '--config',
        await configOnFreePorts(dir),
        '--record',
        record,
        '--out-dir',
        dir,
        '--json',
      ],
      {},
      240_000,
    );
    expect(code, stderr).toBe(0);
    const lines = readFileSync(record, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(earlier);
    const line = ValidateRecordLineSchema.parse(JSON.parse(lines[1]));
    expect(line).toMatchObject({ design: 'interleaved', condition: 'aa', pairs: 2 });
    expect(line.injected).toEqual({ cpuRelative: 0, baselineWorkFactor: 100, candidateWorkFactor: 100 });
    expect(line.neighbour).toMatchObject({ label: '10%', dutyPercent: 10, processes: 1 });
    expect(line.neighbour.measuredCores).toBeGreaterThan(0);
    expect(line.machine.cpus).toBeGreaterThan(0);
    // The comparison came from a real A/B results file of two arms.
    const result = JSON.parse(readFileSync(line.resultsFile, 'utf8'));
    expect(result.mode).toBe('ab');
    expect(JSON.parse(stdout).appended).toHaveLength(1);
    expect(neighbourProcesses()).toEqual([]);

    const table = await runCli(['validate', 'table', '--record', record, '--format', 'markdown']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('| interleaved | none |');
    expect(table.stdout).toContain('| interleaved | 10% (measured');
  }, 300_000);

  it('stops the neighbour on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-validate-pr-'));
    const child = spawn(
      process.execPath,
      [
        CLI,
        'validate',
        'pr',
        ...TINY_PROCESS_RUN,
        // A fixed design: the tiny run's --runs is refused with a budgeted one, which picks its own pairs.
        '--designs',
        'interleaved',
        '--conditions',
        'aa',
        '--neighbour',
        '10x2',
        '--config',
        await configOnFreePorts(dir),
        '--out-dir',
        dir,
        '--record',
        join(dir, 'r.jsonl'),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const pids = await new Promise<number[]>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /noisy neighbour 10%x2: pid\(s\) (\d+), (\d+)/.exec(stderr);
        if (m) resolve([Number(m[1]), Number(m[2])]);
      });
      child.once('exit', () => reject(new Error(`exited before starting the neighbour: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(EXIT_CODES.interrupted);
    for (const pid of pids) expect(alive(pid), `neighbour pid ${pid}`).toBe(false);
  }, 120_000);

  it('refuses a bad --neighbour, --designs or --conditions before anything starts (exit 2)', async () => {
    for (const [flag, value, allowed] of [
      ['--neighbour', '120', 'DUTY[xN]'],
      ['--designs', 'sideways', 'interleaved'],
      ['--conditions', 'cpu7', 'aa, cpu5, cpu10, cpu25'],
    ]) {
      const { code, stderr } = await runCli(['validate', 'pr', flag, value, '--record', '/nonexistent/r.jsonl']);
      expect(code, stderr).toBe(2);
      expect(stderr).toContain(`flag ${flag}`);
      expect(stderr).toContain(allowed);
    }
  });

  it('validate table names the file, line and key of a bad record line (exit 2)', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'cb-validate-table-')), 'record.jsonl');
    writeFileSync(record, `${JSON.stringify(recordLine())}\n${JSON.stringify({ ...recordLine(), pairs: -1 })}\n`);
    const { code, stderr } = await runCli(['validate', 'table', '--record', record]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${record} line 2: key "pairs"`);
  });
});
