import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { appendRecordLine, readRecord } from '../../src/run/validate-record.js';
import { recordLine } from '../support/validate-record.js';

const run = promisify(execFile);
const MODULE = join(import.meta.dirname, '../../src/run/validate-record.ts');
const SUPPORT = join(import.meta.dirname, '../support/validate-record.ts');
const tmp = () => mkdtempSync(join(tmpdir(), 'cb-record-'));

describe('the validate record', () => {
  it('appends one JSON line per comparison and reads them back in order', () => {
    const file = join(tmp(), 'sub', 'record.jsonl');
    appendRecordLine(file, recordLine({ condition: 'aa' }));
    appendRecordLine(file, recordLine({ condition: 'cpu10', cpuVerdict: 'regression' }));
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')).toHaveLength(3); // two lines and the final newline
    expect(readRecord(file).map((l) => l.condition)).toEqual(['aa', 'cpu10']);
  });

  it('refuses to append a line outside the schema (the record never holds one we cannot read)', () => {
    const file = join(tmp(), 'record.jsonl');
    expect(() => appendRecordLine(file, { ...recordLine(), condition: 'cpu7' as 'aa' })).toThrow();
  });

  it('keeps whole lines when several processes append at once', async () => {
    const file = join(tmp(), 'record.jsonl');
    const writers = 4;
    const each = 300;
    // Lines of ~5 KiB: longer than the 4 KiB a pipe writes atomically, so only one write per line keeps them whole.
    const script = `
      const { appendRecordLine } = await import(${JSON.stringify(MODULE)});
      const { recordLine } = await import(${JSON.stringify(SUPPORT)});
      const w = Number(process.argv[1]);
      for (let i = 0; i < ${each}; i++) {
        const line = recordLine({ pad: 4000 });
        appendRecordLine(${JSON.stringify(file)}, { ...line, session: 'writer-' + w, repetition: i + 1 });
      }`;
    await Promise.all(
      Array.from({ length: writers }, (_, w) =>
        run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, String(w)], {
          cwd: join(import.meta.dirname, '../..'),
        }),
      ),
    );
    const lines = readRecord(file);
    expect(lines).toHaveLength(writers * each);
    for (let w = 0; w < writers; w++) {
      const mine = lines.filter((l) => l.session === `writer-${w}`).map((l) => l.repetition);
      expect(mine).toEqual(Array.from({ length: each }, (_, i) => i + 1));
    }
  });

  it('names the file, the line and the key of a bad line', () => {
    const file = join(tmp(), 'record.jsonl');
    const good = JSON.stringify(recordLine());
    const bad = JSON.stringify({ ...recordLine(), measured: { ...recordLine().measured, cpuVerdict: 'maybe' } });
    writeFileSync(file, `${good}\n${good}\n${bad}\n`);
    expect(() => readRecord(file)).toThrow(InvalidInputError);
    expect(() => readRecord(file)).toThrow(
      new RegExp(`${file} line 3: key "measured.cpuVerdict" has value "maybe"; allowed: one of "regression"`),
    );
    writeFileSync(file, `${good}\n{"schema": \n`);
    expect(() => readRecord(file)).toThrow(/line 2: key "\(line\)".*one JSON object per line/);
  });

  it('refuses a record that is not there, naming it', () => {
    expect(() => readRecord('/nonexistent/record.jsonl')).toThrow(
      /\/nonexistent\/record.jsonl.*existing validate record/,
    );
  });
});
