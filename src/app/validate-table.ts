/**
 * `validate table`: the modes table computed from the whole validate record (every `validate pr`
 * invocation that appended to it), for the terminal or as Markdown for the README.
 */
import { renderValidateTableMarkdown, renderValidateTableText } from '../report/validate-table.js';
import { readRecord } from '../run/validate-record.js';
import { recordSpan, summarizeRecord, type ValidateTableRow } from '../stats/validate-table.js';
import { DEFAULT_DESIGN } from './validate-designs.js';

export interface ValidateTable {
  rows: ValidateTableRow[];
  /** Comparisons the record holds. */
  comparisons: number;
  text: string;
}

export function validateTable(record: string, format: 'text' | 'markdown'): ValidateTable {
  const lines = readRecord(record);
  const rows = summarizeRecord(lines);
  const span = recordSpan(lines);
  // The row of the design `run --baseline-image/--candidate-image` runs today says so.
  const shown = rows.map((r) => (r.design === DEFAULT_DESIGN ? { ...r, design: `${r.design} (the default)` } : r));
  const text = format === 'markdown' ? renderValidateTableMarkdown(shown, span) : renderValidateTableText(shown, span);
  return { rows, comparisons: lines.length, text };
}
