/**
 * Reads a resident register row by row without holding the workbook: an .xlsx through exceljs's
 * streaming reader (the sheet's XML is parsed as it is inflated; only the current row is alive),
 * a CSV (UTF-8 or GBK) line by line. Nothing is written anywhere: no temporary file, and no cell
 * reaches a log or an error message (they hold names and ID numbers).
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { CsvError, parse } from 'csv-parse/sync';
import { badRequest, HttpError } from '../../shared/errors.js';
import { openZipSafely, ZIP_LIMITS } from '../../shared/safe-zip.js';
import { decodeText, isPlainCsv, readPlainCsv } from '../../shared/tabular.js';

/** A city district has about a million residents; a file may hold a few districts. */
export const MAX_REGISTER_ROWS = 3_000_000;

export type RowVisitor = (cells: string[], rowNumber: number) => void;

export async function readRegisterRows(bytes: Buffer, fileName: string, onRow: RowVisitor): Promise<void> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return readCsv(bytes, onRow);
  if (lower.endsWith('.xlsx')) return readXlsx(bytes, onRow);
  throw badRequest(`file ${fileName}: a register is read from .xlsx or .csv`);
}

function readCsv(bytes: Buffer, onRow: RowVisitor): void {
  const text = decodeText(bytes);
  let rowNumber = 0;
  const visit = (cells: string[]) => {
    rowNumber++;
    if (rowNumber > MAX_REGISTER_ROWS + 1) throw badRequest(`the register has more than ${MAX_REGISTER_ROWS} rows; split it`);
    onRow(cells, rowNumber);
  };
  if (isPlainCsv(text)) {
    readPlainCsv(text, MAX_REGISTER_ROWS, visit);
    return;
  }
  try {
    parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      to: MAX_REGISTER_ROWS + 2,
      on_record: (record: string[]) => {
        visit(record);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof HttpError || !(error instanceof CsvError)) throw error;
    // csv-parse's message may quote the line: say only where.
    throw badRequest(`the CSV could not be read near line ${(error as CsvError & { lines?: number }).lines ?? '?'} (${error.code})`);
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  }
  return '';
}

async function readXlsx(bytes: Buffer, onRow: RowVisitor): Promise<void> {
  // An .xlsx is a zip: checked as any uploaded archive (bombs, paths, links) before it is inflated.
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw badRequest('the file is not an .xlsx workbook');
  await openZipSafely(bytes, 'the workbook', { ...ZIP_LIMITS, maxEntries: 500 });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let sheets = 0;
  let rows = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        // The first sheet only; the rest are drained (the reader must reach the end).
        if (sheets > 1) continue;
        if (++rows > MAX_REGISTER_ROWS + 1) throw badRequest(`the register has more than ${MAX_REGISTER_ROWS} rows; split it`);
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = new Array(Math.max(0, values.length - 1));
        for (let i = 1; i < values.length; i++) cells[i - 1] = cellText(values[i]);
        onRow(cells, row.number);
      }
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw badRequest('the workbook could not be read (is it a saved .xlsx?)');
  }
  if (sheets === 0) throw badRequest('the workbook has no sheet');
}
