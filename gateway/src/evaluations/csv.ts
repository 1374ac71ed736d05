/**
 * CSV lines of an evaluation import (RFC 4180 fields: commas, double quotes
 * with "" inside). The first line names the columns: the fields of an import
 * line, with the subject as `subject.kind` and `subject.uscc` or
 * `subject.idNumber`. Empty cells are absent fields; `withdrawn` is true for
 * `true`, `1` or `yes`.
 */

/** A CSV line that cannot be split into fields. */
export class CsvLineError extends Error {
  override readonly name = 'CsvLineError';
}

/** The fields of one CSV line. */
export function splitCsvLine(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new CsvLineError('unterminated quoted field');
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
          continue;
        }
        break;
      }
      if (i < text.length && text[i] !== ',') throw new CsvLineError('text after a quoted field');
    } else {
      const comma = text.indexOf(',', i);
      field = comma < 0 ? text.slice(i) : text.slice(i, comma);
      i = comma < 0 ? text.length : comma;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

const COLUMNS = new Set([
  'id',
  'subject.kind',
  'subject.uscc',
  'subject.idNumber',
  'scheme',
  'grade',
  'periodStart',
  'periodEnd',
  'validUntil',
  'evidence',
  'evidenceHash',
  'supersedes',
  'withdrawn',
]);

/** The header of an import CSV: the column names, checked. */
export function csvColumns(header: string): string[] {
  const columns = splitCsvLine(header.replace(/^\uFEFF/, '')).map((c) => c.trim());
  for (const c of columns) if (!COLUMNS.has(c)) throw new CsvLineError(`unknown column "${c}" (known: ${[...COLUMNS].join(', ')})`);
  if (new Set(columns).size !== columns.length) throw new CsvLineError('a column is named twice');
  return columns;
}

/** One CSV line as the JSON object of an import line. */
export function csvRecord(columns: readonly string[], text: string): Record<string, unknown> {
  const fields = splitCsvLine(text);
  if (fields.length !== columns.length) throw new CsvLineError(`has ${fields.length} fields, the header ${columns.length}`);
  const out: Record<string, unknown> = {};
  const subject: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const value = fields[i] as string;
    if (value === '') return;
    if (column.startsWith('subject.')) subject[column.slice(8)] = value;
    else if (column === 'withdrawn') out.withdrawn = /^(true|1|yes)$/i.test(value);
    else out[column] = value;
  });
  if (Object.keys(subject).length) out.subject = subject;
  return out;
}
