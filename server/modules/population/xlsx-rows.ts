/**
 * The rows of a workbook's first sheet, streamed: the sheet's XML is inflated and parsed chunk by
 * chunk and each row handed on as it closes, so only one row is alive at a time (plus the shared
 * strings table, which a sheet's cells point into).
 *
 * Why not exceljs's streaming reader: it decodes each inflated chunk on its own, so a Chinese
 * character cut by a chunk boundary becomes U+FFFD (exceljs issues #2063, #2084), and when the
 * sheet comes before the shared strings in the zip — as Excel saves it — it parks the whole sheet
 * in a temporary file. A register must never reach a file. Here every part is read from the
 * upload in memory, in the order needed, through one streaming UTF-8 decoder per part.
 */
import { Readable } from 'node:stream';
import JSZip from 'jszip';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { badRequest } from '../../shared/errors.js';

type RowVisitor = (cells: string[], rowNumber: number) => void;

/** Column letters of a cell reference (B12 → 1). */
function columnIndex(reference: string): number {
  let n = 0;
  for (let i = 0; i < reference.length; i++) {
    const c = reference.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** Streams one zip entry through a SAX parser, decoding UTF-8 across chunk boundaries. */
async function parseEntry(zip: JSZip, path: string, setup: (parser: SaxesParser) => void): Promise<void> {
  const file = zip.file(path);
  if (!file) throw badRequest(`the workbook has no ${path}`);
  // No position tracking: it is not needed for messages (which never quote the sheet) and costs time.
  const parser = new SaxesParser({ position: false });
  setup(parser);
  const decoder = new TextDecoder('utf-8');
  // JSZip hands out an old-style stream; wrapped, it can be iterated (and paused) as a Node stream.
  const stream = new Readable().wrap(file.nodeStream('nodebuffer') as NodeJS.ReadableStream);
  for await (const chunk of stream) parser.write(decoder.decode(chunk as Buffer, { stream: true }));
  parser.write(decoder.decode());
  parser.close();
}

async function firstSheetPath(zip: JSZip): Promise<string> {
  const workbook = await zip.file('xl/workbook.xml')?.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')?.async('string');
  const relId = workbook ? /<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/.exec(workbook)?.[1] : undefined;
  if (relId && rels) {
    const rel = new RegExp(`<Relationship\\b[^>]*\\bId="${relId.replace(/[^\w]/g, '')}"[^>]*>`).exec(rels)?.[0];
    const target = rel && /\bTarget="([^"]+)"/.exec(rel)?.[1];
    if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  }
  const sheets = Object.keys(zip.files).filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p)).sort();
  if (!sheets[0]) throw badRequest('the workbook has no sheet');
  return sheets[0];
}

/** `zip`: the workbook as opened (and checked) by openZipSafely; its entries are inflated as read. */
export async function readXlsxRows(zip: JSZip, onRow: RowVisitor, maxRows: number): Promise<void> {
  const sheetPath = await firstSheetPath(zip);

  const shared: string[] = [];
  if (zip.file('xl/sharedStrings.xml')) {
    let text: string[] | null = null;
    let inT = false;
    await parseEntry(zip, 'xl/sharedStrings.xml', (parser) => {
      parser.on('opentag', (tag: SaxesTagPlain) => {
        if (tag.name === 'si') text = [];
        else if (tag.name === 't') inT = true;
        // Phonetic guides (<rPh>) hold readings, not the cell's text.
        else if (tag.name === 'rPh') inT = false;
      });
      parser.on('text', (t) => { if (inT && text) text.push(t); });
      parser.on('closetag', (tag) => {
        if (tag.name === 't') inT = false;
        else if (tag.name === 'si') {
          shared.push((text ?? []).join(''));
          text = null;
        }
      });
    });
  }

  let rows = 0;
  let cells: string[] = [];
  let rowNumber = 0;
  let column = 0;
  let cellType = '';
  let value: string[] = [];
  let inValue = false;
  let inRun = false;
  let phonetic = false;
  try {
    await parseEntry(zip, sheetPath, (parser) => {
      parser.on('opentag', (tag: SaxesTagPlain) => {
        switch (tag.name) {
          case 'row': {
            cells = [];
            column = 0;
            const r = tag.attributes.r;
            rowNumber = typeof r === 'string' && r ? Number(r) : rowNumber + 1;
            if (++rows > maxRows + 1) throw badRequest(`the register has more than ${maxRows} rows; split it`);
            break;
          }
          case 'c': {
            const r = tag.attributes.r;
            if (typeof r === 'string' && r) column = columnIndex(r);
            const t = tag.attributes.t;
            cellType = typeof t === 'string' ? t : '';
            value = [];
            break;
          }
          case 'v':
            inValue = true;
            break;
          case 't':
            if (!phonetic) inRun = true;
            break;
          case 'rPh':
            phonetic = true;
            break;
        }
      });
      parser.on('text', (t) => { if (inValue || inRun) value.push(t); });
      parser.on('closetag', (tag) => {
        switch (tag.name) {
          case 'v':
            inValue = false;
            break;
          case 't':
            inRun = false;
            break;
          case 'rPh':
            phonetic = false;
            break;
          case 'c': {
            const raw = value.join('');
            const text = cellType === 's' ? (shared[Number(raw)] ?? '') : cellType === 'b' ? (raw === '1' ? 'TRUE' : 'FALSE') : raw;
            while (cells.length < column) cells.push('');
            cells[column] = text.trim();
            column++;
            break;
          }
          case 'row':
            onRow(cells, rowNumber);
            break;
        }
      });
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'HttpError') throw error;
    // The parser's message may quote the XML (a cell): say only that it failed.
    throw badRequest('the workbook could not be read (its sheet is not well-formed)');
  }
}
