/**
 * Reads the first sheet of an .xlsx workbook as a stream, within limits. The archive is checked
 * from its central directory first (safe-zip.ts: entries, paths, links, declared sizes and
 * ratios); then each part is inflated chunk by chunk, refused as soon as it inflates past what
 * it declared or past XLSX_LIMITS, and the sheet's XML is parsed as it inflates (saxes), each
 * row handed on before the next is read — so reading stops at the first row past the cap, and
 * memory holds one chunk of the sheet and the shared strings, never the whole sheet.
 */
import zlib from 'node:zlib';
import type JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { badRequest, HttpError, refuse } from './errors.js';
import { openZipSafely, ZIP_LIMITS } from './safe-zip.js';

export const XLSX_LIMITS = {
  /** Inflated bytes of all parts read, together. */
  maxInflatedBytes: 256 * 1024 * 1024,
  /** Inflated bytes of the shared-string table (held in memory while the sheet is read). */
  maxSharedStringBytes: 64 * 1024 * 1024,
  /** Inflated bytes of the small parts (workbook, relationships, styles). */
  maxSmallPartBytes: 4 * 1024 * 1024,
  /** Characters in one cell (Excel's own limit is 32,767). */
  maxCellChars: 32_767,
  /** Columns in one row (Excel's own limit is 16,384). */
  maxColumns: 16_384,
};

interface ZipStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): ZipStream;
  on(event: 'error', listener: (error: Error) => void): ZipStream;
  on(event: 'end', listener: () => void): ZipStream;
  pause(): ZipStream;
  resume(): ZipStream;
}

const declaredSize = (entry: JSZip.JSZipObject) => (entry as unknown as { _data: { uncompressedSize: number } })._data.uncompressedSize;

/**
 * The inflated chunks of an entry, as a stream that can be paused. Deflated entries (nearly all)
 * are inflated by Node's zlib, on its thread pool; anything else by JSZip's own streaming reader.
 */
function entryStream(entry: JSZip.JSZipObject): ZipStream {
  const data = (entry as unknown as { _data?: { compression?: { magic?: string }; compressedContent?: unknown } })._data;
  const content = data?.compressedContent;
  if (data?.compression?.magic === '\x08\x00' && content instanceof Uint8Array) {
    const inflater = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    let started = false;
    const stream: ZipStream = {
      on(event: 'data' | 'error' | 'end', listener: never) {
        inflater.on(event, listener);
        return stream;
      },
      pause() {
        inflater.destroy();
        return stream;
      },
      resume() {
        if (!started) {
          started = true;
          inflater.end(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
        }
        return stream;
      },
    };
    return stream;
  }
  return (entry as unknown as { internalStream(type: 'uint8array'): ZipStream }).internalStream('uint8array');
}
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Inflated bytes so far, for the whole workbook. */
interface Budget {
  used: number;
  /** Inflated bytes of all parts together: XLSX_LIMITS.maxInflatedBytes unless a reader asks for more. */
  max: number;
}

/**
 * Inflates one part chunk by chunk into an XML parser; `onTag`/`onText`/`onClose` may throw to
 * stop reading (the error is the result). Refused once the part grows past its declared size,
 * `maxBytes`, or the workbook's budget.
 */
function parsePart(
  entry: JSZip.JSZipObject,
  maxBytes: number,
  budget: Budget,
  handlers: { open(name: string, attributes: Record<string, string>): void; text(text: string): void; close(name: string): void },
): Promise<void> {
  const declared = declaredSize(entry);
  if (declared > maxBytes) throw refuse(413, 'xlsx.partTooLarge', { part: entry.name, megabytes: Math.ceil(declared / 1048576), max: Math.round(maxBytes / 1048576) });
  return new Promise((resolve, reject) => {
    const parser = new SaxesParser();
    const decoder = new TextDecoder('utf-8');
    let size = 0;
    let done = false;
    const stream = entryStream(entry);
    const fail = (error: unknown) => {
      if (done) return;
      done = true;
      stream.pause();
      reject(error instanceof HttpError ? error : badRequest('xlsx.unreadable', { detail: (error as Error).message }));
    };
    parser.on('opentag', (tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string>));
    parser.on('text', (text) => handlers.text(text));
    parser.on('cdata', (text) => handlers.text(text));
    parser.on('closetag', (tag) => handlers.close(localName(tag.name)));
    parser.on('error', (error) => {
      throw error;
    });
    stream
      .on('data', (chunk: Uint8Array) => {
        if (done) return;
        size += chunk.length;
        budget.used += chunk.length;
        if (size > declared) return fail(badRequest('xlsx.partLies', { part: entry.name }));
        if (budget.used > budget.max) {
          return fail(refuse(413, 'xlsx.tooLarge', { max: budget.max / 1048576 }));
        }
        try {
          parser.write(decoder.decode(chunk, { stream: true }));
        } catch (error) {
          fail(error);
        }
      })
      .on('error', (error: Error) => fail(badRequest('xlsx.partUnreadable', { part: entry.name, detail: error.message })))
      .on('end', () => {
        if (done) return;
        try {
          parser.write(decoder.decode());
          parser.close();
        } catch (error) {
          return fail(error);
        }
        done = true;
        resolve();
      })
      .resume();
  });
}

/** Text content of a small part's elements, collected by a visitor. */
async function readSmallPart(zip: JSZip, path: string, budget: Budget, open: (name: string, attributes: Record<string, string>) => void): Promise<boolean> {
  const entry = zip.file(path);
  if (!entry) return false;
  await parsePart(entry, XLSX_LIMITS.maxSmallPartBytes, budget, { open, text: () => {}, close: () => {} });
  return true;
}

/**
 * The first sheet's part: workbook.xml's first <sheet>, through the workbook's relationships;
 * and whether the workbook counts days from 1904 (Excel for Mac's old default).
 */
async function firstSheetPath(zip: JSZip, budget: Budget): Promise<{ path: string; date1904: boolean }> {
  let firstId: string | null = null;
  let date1904 = false;
  await readSmallPart(zip, 'xl/workbook.xml', budget, (name, a) => {
    if (name === 'workbookPr' && (a.date1904 === '1' || a.date1904 === 'true')) date1904 = true;
    if (name === 'sheet' && firstId === null) firstId = a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1] ?? null;
  });
  let target: string | null = null;
  if (firstId) {
    await readSmallPart(zip, 'xl/_rels/workbook.xml.rels', budget, (name, a) => {
      if (name === 'Relationship' && a.Id === firstId && target === null) target = a.Target ?? null;
    });
  }
  const t = target as string | null;
  if (t) return { path: t.startsWith('/') ? t.slice(1) : `xl/${t.replace(/^\.\//, '')}`, date1904 };
  if (zip.file('xl/worksheets/sheet1.xml')) return { path: 'xl/worksheets/sheet1.xml', date1904 };
  throw badRequest('xlsx.noSheet');
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, and the zh-CN ones). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

function isDateFormatCode(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[ymdhs]/i.test(bare) && !/^[#0.,%E+\- ]*$/.test(bare);
}

/** For each cell style (s attribute), whether it shows a date. */
async function dateStyles(zip: JSZip, budget: Budget): Promise<boolean[]> {
  const custom = new Map<number, boolean>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  const entry = zip.file('xl/styles.xml');
  if (!entry) return styles;
  await parsePart(entry, XLSX_LIMITS.maxSmallPartBytes, budget, {
    open(name, a) {
      if (name === 'numFmt') custom.set(Number(a.numFmtId), isDateFormatCode(a.formatCode ?? ''));
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        styles.push(custom.get(id) ?? DATE_FORMAT_IDS.has(id));
      }
    },
    text() {},
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}

async function sharedStrings(zip: JSZip, budget: Budget): Promise<string[]> {
  const entry = zip.file('xl/sharedStrings.xml');
  if (!entry) return [];
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  let phonetic = 0;
  await parsePart(entry, XLSX_LIMITS.maxSharedStringBytes, budget, {
    open(name) {
      if (name === 'si') current = [];
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inText = true;
    },
    text(text) {
      if (inText && current) current.push(text);
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si' && current) {
        strings.push(current.join(''));
        current = null;
      }
    },
  });
  return strings;
}

/** Column index (0-based) of a cell reference such as "AB12". */
function columnOf(ref: string | undefined, fallback: number): number {
  if (!ref) return fallback;
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return col > 0 ? col - 1 : fallback;
}

/**
 * An Excel serial date as 'YYYY-MM-DD', or with the time when it has one; a time of day alone
 * (a serial below 1, a cell formatted hh:mm) as 'hh:mm'. The serial is the wall-clock time the
 * sheet shows (no time zone), so the text carries none either. `date1904`: the workbook counts
 * days from 1904-01-01 instead of 1899-12-30.
 */
export function excelSerialText(serial: number, date1904 = false): string {
  if (serial >= 0 && serial < 1 && !date1904) {
    const seconds = Math.round(serial * 86_400);
    const hh = String(Math.floor(seconds / 3600) % 24).padStart(2, '0');
    const mm = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
    const ss = seconds % 60;
    return ss ? `${hh}:${mm}:${String(ss).padStart(2, '0')}` : `${hh}:${mm}`;
  }
  const ms = Math.round((serial + (date1904 ? 1462 : 0) - 25569) * 86_400_000);
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return String(serial);
  const iso = d.toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  if (time === '00:00:00') return date;
  return `${date} ${time.endsWith(':00') ? time.slice(0, 5) : time}`;
}

/**
 * Streams the first sheet's rows, in order, as arrays of cell texts (trimmed; '' for empty
 * cells); a row missing from the file (no cells) comes as []. `onRecord` may throw to stop
 * reading (e.g. past the row cap): nothing more is inflated.
 */
export async function readXlsxRecords(
  bytes: Buffer,
  onRecord: (cells: string[]) => void,
  /** For a sheet that may hold millions of rows (a resident register): a larger unpacked size. */
  options: { maxInflatedBytes?: number } = {},
): Promise<void> {
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw badRequest('xlsx.notXlsx');
  const max = options.maxInflatedBytes ?? XLSX_LIMITS.maxInflatedBytes;
  const zip = await openZipSafely(bytes, 'the workbook', { ...ZIP_LIMITS, maxEntries: 500, ...(max > XLSX_LIMITS.maxInflatedBytes ? { maxEntryBytes: max, maxTotalBytes: max } : {}) });
  const budget: Budget = { used: 0, max };
  const { path: sheetPath, date1904 } = await firstSheetPath(zip, budget);
  const sheet = zip.file(sheetPath);
  if (!sheet) throw badRequest('xlsx.noSheet');
  const strings = await sharedStrings(zip, budget);
  const dates = await dateStyles(zip, budget);

  let rowNumber = 0;
  let cells: string[] = [];
  let cell: { col: number; type: string; style: number } | null = null;
  let value: string[] = [];
  let inValue = false;
  let inInline = false;
  let chars = 0;
  const cellText = (): string => {
    const raw = value.join('');
    switch (cell!.type) {
      case 's': {
        const s = strings[Number.parseInt(raw, 10)];
        if (s === undefined) throw badRequest('xlsx.missingString', { index: raw });
        return s;
      }
      case 'b':
        return raw === '1' ? 'true' : 'false';
      case 'inlineStr':
      case 'str':
      case 'e':
      case 'd':
        return raw;
      default: {
        if (raw === '') return '';
        const n = Number(raw);
        if (!Number.isFinite(n)) return raw;
        return dates[cell!.style] ? excelSerialText(n, date1904) : String(n);
      }
    }
  };
  await parsePart(sheet, budget.max, budget, {
    open(name, a) {
      if (name === 'row') {
        const r = a.r ? Number.parseInt(a.r, 10) : rowNumber + 1;
        if (!Number.isInteger(r) || r <= rowNumber) throw badRequest('xlsx.rowOrder', { row: a.r ?? '?' });
        // Rows the file leaves out are empty rows.
        while (rowNumber < r - 1) {
          rowNumber++;
          onRecord([]);
        }
        rowNumber = r;
        cells = [];
      } else if (name === 'c') {
        const col = columnOf(a.r, cells.length);
        if (col >= XLSX_LIMITS.maxColumns) throw badRequest('xlsx.tooManyColumns', { row: rowNumber, max: XLSX_LIMITS.maxColumns });
        cell = { col, type: a.t ?? 'n', style: Number(a.s ?? 0) };
        value = [];
        chars = 0;
      } else if (cell && name === 'v') inValue = true;
      else if (cell && name === 'is') inInline = true;
      else if (cell && inInline && name === 't') inValue = true;
    },
    text(text) {
      if (!inValue) return;
      chars += text.length;
      if (chars > XLSX_LIMITS.maxCellChars) throw badRequest('xlsx.cellTooLong', { row: rowNumber, max: XLSX_LIMITS.maxCellChars });
      value.push(text);
    },
    close(name) {
      if (name === 'v' || (name === 't' && inInline)) inValue = false;
      else if (name === 'is') inInline = false;
      else if (name === 'c' && cell) {
        const text = cellText().trim();
        while (cells.length < cell.col) cells.push('');
        cells[cell.col] = text;
        cell = null;
      } else if (name === 'row') {
        onRecord(cells);
        cells = [];
      }
    },
  });
}
