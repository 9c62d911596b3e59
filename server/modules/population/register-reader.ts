/**
 * Reads a resident register row by row without holding the workbook: an .xlsx through the
 * shared streaming sheet reader (server/shared/xlsx-reader.ts: the sheet's XML parsed as it is
 * inflated, UTF-8 decoded across chunk boundaries, never a temporary file),
 * a CSV (UTF-8 or GBK) line by line. Nothing is written anywhere: no temporary file, and no cell
 * reaches a log or an error message (they hold names and ID numbers).
 */
import { CsvError, parse } from 'csv-parse/sync';
import { badRequest, HttpError } from '../../shared/errors.js';
import { decodeText, isPlainCsv, readPlainCsv } from '../../shared/tabular.js';
import { readXlsxRecords } from '../../shared/xlsx-reader.js';

/** A city district has about a million residents; a file may hold a few districts. */
export const MAX_REGISTER_ROWS = 3_000_000;

export type RowVisitor = (cells: string[], rowNumber: number) => void;

export async function readRegisterRows(bytes: Buffer, fileName: string, onRow: RowVisitor): Promise<void> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return readCsv(bytes, onRow);
  if (lower.endsWith('.xlsx')) return readXlsx(bytes, onRow);
  throw badRequest('population.fileType', { file: fileName });
}

function readCsv(bytes: Buffer, onRow: RowVisitor): void {
  const text = decodeText(bytes);
  let rowNumber = 0;
  const visit = (cells: string[]) => {
    rowNumber++;
    if (rowNumber > MAX_REGISTER_ROWS + 1) throw badRequest('population.tooManyRows', { max: MAX_REGISTER_ROWS });
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
    throw badRequest('population.csvUnreadable', { line: (error as CsvError & { lines?: number }).lines ?? '?', detail: error.code });
  }
}

async function readXlsx(bytes: Buffer, onRow: RowVisitor): Promise<void> {
  // The sheet is streamed, never held whole: its unpacked size may be that of millions of rows.
  let rowNumber = 0;
  await readXlsxRecords(
    bytes,
    (cells) => {
      rowNumber++;
      if (rowNumber > MAX_REGISTER_ROWS + 1) throw badRequest('population.tooManyRows', { max: MAX_REGISTER_ROWS });
      // A row the sheet leaves out comes as []: counted (row numbers stay the sheet's), not handed on.
      if (cells.length > 0) onRow(cells, rowNumber);
    },
    { maxInflatedBytes: 2560 * 1024 * 1024 },
  );
}
