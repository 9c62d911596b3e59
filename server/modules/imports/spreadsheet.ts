/**
 * Legacy Excel (.xls, BIFF) and OpenDocument (.ods) tables, read by GDAL's XLS (freexl) and ODS
 * drivers — maintained with GDAL and already installed for the vector imports — rather than by
 * a second spreadsheet library in JavaScript (SheetJS on npm is years behind its own releases).
 * The first sheet is converted to CSV with every cell as text (dates and times as
 * 'YYYY-MM-DD hh:mm:ss', which the table readers understand) and with each row's number in the
 * sheet, so that an error can still say "row 17, column 上报时间".
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { badRequest } from '../../shared/errors.js';
import { runGdal } from './gdal.js';

export const GDAL_TABLE = /\.(xls|ods)$/i;
const ROW_COLUMN = '__wangge_row';

/** The first sheet as records (header first), each data record with its sheet row number. */
export async function readSpreadsheetViaGdal(bytes: Buffer, fileName: string): Promise<{ header: string[]; rows: { rowNumber: number; cells: string[] }[] }> {
  const ods = fileName.toLowerCase().endsWith('.ods');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wangge-table-'));
  try {
    const source = path.join(dir, ods ? 'source.ods' : 'source.xls');
    await fs.writeFile(source, bytes, { mode: 0o600 });
    const driver = ods ? 'ODS' : 'XLS';
    const config = { [`OGR_${driver}_HEADERS`]: 'FORCE', [`OGR_${driver}_FIELD_TYPES`]: 'STRING' };
    const context = { fileName, hide: dir, config };
    const list = await runGdal('ogrinfo', ['-ro', '-q', source], context);
    const first = /^1: (.*) \([^()]*\)\s*$/m.exec(list.stdout)?.[1];
    if (!first) throw badRequest('table.noSheetWithRows', { file: fileName });
    const out = path.join(dir, 'sheet.csv');
    // The FID of a row of these drivers is its row number in the sheet (the header is row 1).
    await runGdal('ogr2ogr', ['-f', 'CSV', out, source, '-sql', `SELECT FID AS "${ROW_COLUMN}", * FROM "${first.replace(/"/g, '""')}"`], context);
    const { parse } = await import('csv-parse/sync');
    const records = parse(await fs.readFile(out, 'utf8'), { relax_column_count: true, bom: true }) as string[][];
    const [header, ...rest] = records;
    if (!header) throw badRequest('table.firstSheetEmpty', { file: fileName });
    return {
      header: header.slice(1),
      rows: rest.map((r) => ({ rowNumber: Number(r[0]), cells: r.slice(1) })),
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
