/**
 * Reading uploaded tables row by row: spreadsheet row numbers (header = row 1, blank lines not
 * counted), blank rows skipped, and a table over the row limit refused rather than cut short.
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../server/shared/errors.js';
import { parse } from 'csv-parse/sync';
import { forEachTableRow, isPlainCsv, readPlainCsv, readTable, type TableRow } from '../../server/shared/tabular.js';

async function rowsOf(csv: string, maxRows: number): Promise<{ headers: string[]; rows: TableRow[] }> {
  let headers: string[] = [];
  const rows: TableRow[] = [];
  await forEachTableRow(Buffer.from(csv), 'table.csv', maxRows, (h) => (headers = h), (r) => void rows.push(r));
  return { headers, rows };
}

describe('forEachTableRow', () => {
  it('numbers rows as a spreadsheet does and skips blank ones', async () => {
    const { headers, rows } = await rowsOf('\uFEFFa, b\n1,x\n,\n\n"2, two",y\n', 10);
    expect(headers).toEqual(['a', 'b']);
    expect(rows).toEqual([
      { rowNumber: 2, values: { a: '1', b: 'x' } },
      { rowNumber: 4, values: { a: '2, two', b: 'y' } },
    ]);
  });

  it('takes exactly the limit, and refuses one row more instead of cutting the table short', async () => {
    expect((await rowsOf('a\n1\n2\n3\n', 3)).rows).toHaveLength(3);
    const refused = await rowsOf('a\n1\n2\n3\n4\n', 3).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).message).toBe('the table has more than 3 rows; split it');
    await expect(readTable(Buffer.from('a\n1\n2\n3\n4\n'), 'table.csv', 3)).rejects.toThrow('more than 3 rows');
  });

  it('lets the header callback refuse the file before any row is read', async () => {
    const seen: number[] = [];
    const error = await forEachTableRow(Buffer.from('x\n1\n'), 'table.csv', 10, () => {
      throw new HttpError(400, 'missing column');
    }, (r) => void seen.push(r.rowNumber)).catch((e: unknown) => e);
    expect((error as HttpError).message).toBe('missing column');
    expect(seen).toEqual([]);
  });

  it('says what is wrong with a file that is not CSV', async () => {
    await expect(rowsOf('a,b\n"unclosed,1\n', 10)).rejects.toThrow(/CSV could not be read/);
    await expect(rowsOf('', 10)).rejects.toThrow('the table has no header row');
  });
});

describe('plain CSV (no quotes): read without the general parser, with the same result', () => {
  const cases = [
    'a,b\n1,2\n',
    'a,b\r\n1, 2 \r\n\r\n3,4',
    ' a , b \n  \n\t\n1,,\n,\n\u3000x\u3000,y\n',
    'h\n1\n2\n3\n4\n5',
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c]))('%s', async (_name, csv) => {
    expect(isPlainCsv(csv)).toBe(true);
    const general = parse(csv, { relax_column_count: true, skip_empty_lines: true, trim: true });
    const plain: string[][] = [];
    readPlainCsv(csv, 1000, (cells) => plain.push(cells));
    expect(plain).toEqual(general);
  });

  it('leaves quoted fields and mixed or bare-CR line ends to the general parser', () => {
    expect(isPlainCsv('a,"b,c"\n')).toBe(false);
    expect(isPlainCsv('a\r\nb\nc')).toBe(false);
    expect(isPlainCsv('a\rb')).toBe(false);
  });
});
