/*
 * A small RFC 4180 reader and writer: fields separated by commas, records by CRLF (LF and CR alone are read too),
 * fields that hold a comma, a double quote, CR or LF enclosed in double quotes, a double quote inside written as two.
 * It is the few lines the directory's HSDS tables need; no CSV package is a dependency of the project.
 */

export class CsvSyntaxError extends Error {
  constructor(
    readonly reason: string,
    /** 1-based record number (a record may span several lines). */
    readonly record: number,
    /** 1-based line of the text where the problem is. */
    readonly line: number,
  ) {
    super(`CSV record ${record} (line ${line}): ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Parses CSV text into records of fields. A UTF-8 byte-order mark is skipped; a final line break does not start a
 * record; an empty text has no records. A quote inside an unquoted field, text after a closing quote, or an
 * unterminated quoted field is refused rather than guessed at.
 */
export function parseCsv(text: string): string[][] {
  return readRecords(text).map((record) => record.fields);
}

interface CsvRecord {
  fields: string[];
  /** The line the record starts on. */
  line: number;
}

function readRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  if (position >= text.length) return records;
  let record: string[] = [];
  let recordLine = line;
  for (;;) {
    // At the start of a field.
    let field = '';
    if (text[position] === '"') {
      const openedOnLine = line;
      position++;
      for (;;) {
        if (position >= text.length)
          throw new CsvSyntaxError('unterminated quoted field', records.length + 1, openedOnLine);
        const char = text[position]!;
        if (char === '"') {
          if (text[position + 1] === '"') {
            field += '"';
            position += 2;
            continue;
          }
          position++;
          break;
        }
        if (char === '\n' || (char === '\r' && text[position + 1] !== '\n')) line++;
        field += char;
        position++;
      }
      const next = text[position];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError('text after a closing quote', records.length + 1, line);
      }
    } else {
      while (position < text.length) {
        const char = text[position]!;
        if (char === ',' || char === '\r' || char === '\n') break;
        if (char === '"') throw new CsvSyntaxError('a quote inside an unquoted field', records.length + 1, line);
        field += char;
        position++;
      }
    }
    record.push(field);
    const separator = text[position];
    if (separator === ',') {
      position++;
      continue;
    }
    // End of record: a line break or the end of the text.
    records.push({ fields: record, line: recordLine });
    if (separator === undefined) return records;
    position += separator === '\r' && text[position + 1] === '\n' ? 2 : 1;
    line++;
    if (position >= text.length) return records;
    record = [];
    recordLine = line;
  }
}

/**
 * Writes records as CSV: CRLF after every record, quotes only where a field needs them. Every record must have at
 * least one field (a record of one empty field is an empty line, and is read back as such).
 */
export function formatCsv(records: readonly (readonly string[])[]): string {
  return records.map((record) => record.map(formatField).join(',') + '\r\n').join('');
}

function formatField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** A table: a header record naming the columns, then one object per record. */
export function parseCsvTable(text: string): { columns: string[]; rows: Array<Record<string, string>> } {
  const [header, ...records] = readRecords(text);
  if (!header) return { columns: [], rows: [] };
  const columns = header.fields.map((column) => column.trim());
  const duplicate = columns.find((column, index) => columns.indexOf(column) !== index);
  if (duplicate !== undefined) throw new CsvSyntaxError(`column ${duplicate} appears twice`, 1, 1);
  const rows = records
    // A blank line (one empty field) carries nothing: skip it.
    .map((record, index) => ({ ...record, number: index + 2 }))
    .filter(({ fields }) => !(fields.length === 1 && fields[0] === '' && columns.length > 1))
    .map(({ fields, line, number }) => {
      if (fields.length !== columns.length) {
        throw new CsvSyntaxError(`has ${fields.length} fields, the header has ${columns.length}`, number, line);
      }
      return Object.fromEntries(columns.map((column, at) => [column, fields[at]!]));
    });
  return { columns, rows };
}

export function formatCsvTable(columns: readonly string[], rows: ReadonlyArray<Record<string, string>>): string {
  return formatCsv([columns, ...rows.map((row) => columns.map((column) => row[column] ?? ''))]);
}
