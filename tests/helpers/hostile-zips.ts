/**
 * Hostile archives made in the test: a zip whose central directory claims small entries that
 * inflate big (the archive check trusts the directory; the reader must not), and workbooks
 * built part by part. Deflated with zlib in 1 MB steps, so that making a 300 MB bomb costs the
 * test process no more than a few MB.
 */
import zlib from 'node:zlib';

export interface ZipPart {
  name: string;
  /** The content, or a generator of chunks (for big parts). */
  data: Buffer | (() => Iterable<Buffer>);
  /** The uncompressed size to claim in the archive's directory; the true one by default. */
  claimSize?: number;
}

async function deflate(data: ZipPart['data']): Promise<{ bytes: Buffer; size: number }> {
  const chunks = typeof data === 'function' ? data() : [data];
  const deflater = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve) => deflater.once('end', resolve));
  let size = 0;
  for (const chunk of chunks) {
    size += chunk.length;
    if (!deflater.write(chunk)) await new Promise((resolve) => deflater.once('drain', resolve));
  }
  deflater.end();
  await ended;
  return { bytes: Buffer.concat(out), size };
}

/** A zip (deflate, CRC left 0: the readers do not check it) of these parts. */
export async function makeZip(parts: ZipPart[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { bytes, size } = await deflate(part.data);
    const name = Buffer.from(part.name, 'utf8');
    const claimed = part.claimSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(bytes.length, 18);
    local.writeUInt32LE(claimed, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(bytes.length, 20);
    central.writeUInt32LE(claimed, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, bytes);
    centrals.push(central, name);
    offset += local.length + name.length + bytes.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const WORKBOOK_PARTS = (sheet: ZipPart): ZipPart[] => [
  {
    name: '[Content_Types].xml',
    data: Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
  },
  {
    name: 'xl/workbook.xml',
    data: Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
  },
  {
    name: 'xl/_rels/workbook.xml.rels',
    data: Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
  },
  sheet,
];

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** A sheet of `rows` rows after a header (经度, 纬度, 名称 …), generated 1 MB at a time. */
function* sheetXml(header: string[], rows: number, row: (i: number) => string[]): Iterable<Buffer> {
  const cols = (cells: string[], r: number) => cells.map((c, i) => inline(`${String.fromCharCode(65 + i)}${r}`, c)).join('');
  let buffer = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  buffer += `<row r="1">${cols(header, 1)}</row>`;
  for (let i = 0; i < rows; i++) {
    buffer += `<row r="${i + 2}">${cols(row(i), i + 2)}</row>`;
    if (buffer.length > 1 << 20) {
      yield Buffer.from(buffer);
      buffer = '';
    }
  }
  yield Buffer.from(buffer + '</sheetData></worksheet>');
}

/**
 * A workbook whose sheet claims `claimBytes` in the archive's directory and inflates to about
 * `inflateMegabytes` MB of well-formed rows.
 */
export function workbookBomb(header: string[], inflateMegabytes: number, claimBytes = 1024): Promise<Buffer> {
  // Rows without references, all alike: one megabyte of them, deflated again and again.
  const row = `<row>${header.map(() => '<c t="inlineStr"><is><t>1</t></is></c>').join('')}</row>`;
  const megabyte = Buffer.from(row.repeat(Math.ceil(1048576 / row.length)));
  function* parts(): Iterable<Buffer> {
    yield Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${header.map((h, i) => inline(`${String.fromCharCode(65 + i)}1`, h)).join('')}</row>`);
    for (let i = 0; i < inflateMegabytes; i++) yield megabyte;
    yield Buffer.from('</sheetData></worksheet>');
  }
  return makeZip(WORKBOOK_PARTS({ name: 'xl/worksheets/sheet1.xml', data: parts, claimSize: claimBytes }));
}

/** An honest workbook with `rows` rows made by `row` (its directory tells the truth). */
export function bigWorkbook(header: string[], rows: number, row: (i: number) => string[]): Promise<Buffer> {
  return makeZip(WORKBOOK_PARTS({ name: 'xl/worksheets/sheet1.xml', data: () => sheetXml(header, rows, row) }));
}
