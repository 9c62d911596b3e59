/**
 * Reads uploaded tables (CSV in UTF-8/GBK, the first sheet of an .xlsx workbook, or of an .xls or
 * .ods workbook through GDAL: modules/imports/spreadsheet.ts) into rows keyed by header, each with its 1-based row number in the file (header = row 1), so that an
 * import preview can say "row 17, column 经度: not a number".
 */
import { CsvError, parse } from 'csv-parse/sync';
import { badRequest, HttpError } from './errors.js';
import { readXlsxRecords } from './xlsx-reader.js';
import { GDAL_TABLE, readSpreadsheetViaGdal } from '../modules/imports/spreadsheet.js';

export interface TableRow {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  rowNumber: number;
  values: Record<string, string>;
}

export interface ParsedTable {
  headers: string[];
  rows: TableRow[];
}

export const MAX_TABLE_ROWS = 200_000;

/** The table files every table import reads. */
export const TABLE_FILES = '.csv, .xlsx, .xls and .ods';

/** Decodes CSV bytes: UTF-8 (with or without BOM) unless it is not valid UTF-8, then GB18030. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export async function readTable(bytes: Buffer, fileName: string, maxRows = MAX_TABLE_ROWS): Promise<ParsedTable> {
  let headers: string[] = [];
  const rows: TableRow[] = [];
  await forEachTableRow(bytes, fileName, maxRows, (h) => (headers = h), (row) => void rows.push(row));
  return { headers, rows };
}

/**
 * Reads a table row by row without holding all of it: `onHeader` gets the header row first (it
 * may throw, e.g. for a missing column), then `onRow` every row that is not empty, in order. A
 * CSV is parsed record by record; a workbook's sheet is inflated and parsed as a stream
 * (xlsx-reader.ts), which stops at the first row past maxRows. More than maxRows rows is
 * refused (400), never cut short.
 */
export async function forEachTableRow(
  bytes: Buffer,
  fileName: string,
  maxRows: number,
  onHeader: (headers: string[]) => void,
  onRow: (row: TableRow) => void,
): Promise<void> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return readCsv(bytes, maxRows, onHeader, onRow);
  if (lower.endsWith('.xlsx')) {
    const visit = recordVisitor(maxRows, onHeader, onRow);
    await readXlsxRecords(bytes, visit);
    visit.end();
    return;
  }
  if (GDAL_TABLE.test(lower)) {
    // .xls and .ods: GDAL's drivers, each row with its number in the sheet.
    const visit = recordVisitor(maxRows, onHeader, onRow);
    const sheet = await readSpreadsheetViaGdal(bytes, fileName);
    visit(sheet.header);
    for (const row of sheet.rows) visit(row.cells, row.rowNumber);
    visit.end();
    return;
  }
  throw badRequest('table.fileType', { file: fileName });
}

function readCsv(bytes: Buffer, maxRows: number, onHeader: (headers: string[]) => void, onRow: (row: TableRow) => void): void {
  const visit = recordVisitor(maxRows, onHeader, onRow);
  const text = decodeText(bytes);
  if (isPlainCsv(text)) {
    readPlainCsv(text, maxRows, visit);
  } else {
    try {
      parse(text, {
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
        // One record past the limit, so that a longer file is refused rather than cut short.
        to: maxRows + 2,
        on_record: (record: string[]) => {
          visit(record);
          return null;
        },
      });
    } catch (error) {
      if (error instanceof HttpError || !(error instanceof CsvError)) throw error;
      throw badRequest('table.csvUnreadable', { detail: error.message });
    }
  }
  visit.end();
}

/**
 * A CSV without any quote and with one kind of line end (\n, or \r\n throughout): what exports
 * of tickets usually are. Its records are its lines and its fields what lies between the commas,
 * so it can be read without the general parser (several times faster for a million rows).
 */
export function isPlainCsv(text: string): boolean {
  if (text.includes('"')) return false;
  return !text.includes('\r') || !/\r(?!\n)|(?<!\r)\n/.test(text);
}

/** Reads a plain CSV (isPlainCsv) exactly as the general parser would with the options above. */
export function readPlainCsv(text: string, maxRows: number, visit: (cells: string[]) => void): void {
  let records = 0;
  let start = 0;
  while (start < text.length && records < maxRows + 2) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    // skip_empty_lines with trim: a line of nothing but white space is no record at all.
    if (line.trim() === '') continue;
    const cells = line.split(',');
    for (let i = 0; i < cells.length; i++) cells[i] = cells[i]!.trim();
    records++;
    visit(cells);
  }
}

/** Turns records (the header first) into rows numbered as a spreadsheet shows them. */
function recordVisitor(maxRows: number, onHeader: (headers: string[]) => void, onRow: (row: TableRow) => void) {
  let headers: string[] | null = null;
  let index = 0;
  /** `rowNumber`: the record's own row number when the reader knows it (it skipped empty rows). */
  const visit = (cells: string[], rowNumber?: number) => {
    if (headers === null) {
      if (cells.every((h) => !h)) throw badRequest('table.noHeader');
      if (cells.some((h) => h.includes('\u0000'))) throw badRequest('table.headerNul');
      headers = cells.map((h) => h.trim());
      onHeader(headers);
      index = 1;
      return;
    }
    if (rowNumber !== undefined && rowNumber > index) index = rowNumber - 1;
    if (index > maxRows) throw badRequest('table.tooManyRows', { max: maxRows });
    const number = ++index;
    if (cells.every((c) => !c)) return;
    const values: Record<string, string> = {};
    headers.forEach((h, col) => {
      if (h) values[h] = (cells[col] ?? '').trim();
    });
    // The database stores no NUL character: say where it is rather than fail at the insert.
    const nul = cells.findIndex((c) => c.includes('\u0000'));
    if (nul >= 0) throw badRequest('table.cellNul', { row: number, column: headers[nul] || nul + 1 });
    onRow({ rowNumber: number, values });
  };
  visit.end = () => {
    if (headers === null) throw badRequest('table.noHeader');
  };
  return visit;
}

/**
 * A NUL byte in a CSV (in UTF-8 and GB18030 it is always the NUL character, which the database
 * cannot store), found before any work starts: a 400 naming the file and the line. Null for a
 * clean file or a workbook (whose cells recordVisitor checks as it reads them).
 */
export function csvNulByteProblem(bytes: Buffer, fileName: string): { file: string; line: number } | null {
  const lower = fileName.toLowerCase();
  if (!lower.endsWith('.csv') && !lower.endsWith('.txt')) return null;
  const at = bytes.indexOf(0);
  if (at < 0) return null;
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < at; i = bytes.indexOf(10, i + 1)) line++;
  return { file: fileName, line }; // the refusal 'import.nulByte'
}
