/**
 * The validate record on disk: append one comparison as one line, read them all back. Each line
 * goes out in ONE write(2) on a file opened with O_APPEND: the kernel places every such write at
 * the end of the file whole, so two `validate pr` processes appending to one record never
 * interleave their lines, and a comparison is on disk as soon as it is finished (an interrupted
 * validation loses only the comparison it was running).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { zodToInputError } from '../config/zod-errors.js';
import {
  ValidateRecordLineSchema,
  VALIDATE_RECORD_SCHEMA,
  type ValidateRecordLine,
} from '../contracts/validate-record.js';
import { InvalidInputError, RuntimeError } from '../errors.js';

/** Appends one comparison to the record (created on first use), checked against the schema first. */
export function appendRecordLine(file: string, line: ValidateRecordLine): void {
  const checked = ValidateRecordLineSchema.parse(line);
  const bytes = Buffer.from(`${JSON.stringify(checked)}\n`);
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  try {
    const written = writeSync(fd, bytes);
    // A short write (disk full) would leave half a line that the next append continues: say so now.
    if (written !== bytes.length)
      throw new RuntimeError(`${file}: wrote ${written} of ${bytes.length} bytes of a record line`, { file });
  } finally {
    closeSync(fd);
  }
}

/**
 * Every line of a record, in file order. A line that is not one of ours is refused naming the
 * file, its line number and the key (exit 2): a table computed around a bad line would quietly
 * count less than the record holds.
 */
export function readRecord(file: string): ValidateRecordLine[] {
  if (!existsSync(file))
    throw new InvalidInputError(file, '(file)', file, 'an existing validate record (validate pr --record)');
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: ValidateRecordLine[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      throw new InvalidInputError(where, '(line)', raw, `one JSON object per line (${VALIDATE_RECORD_SCHEMA})`);
    }
    const parsed = ValidateRecordLineSchema.safeParse(data);
    if (!parsed.success) throw zodToInputError(where, parsed.error, data);
    out.push(parsed.data);
  });
  return out;
}
