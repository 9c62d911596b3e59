/**
 * GBK/GB18030 text encoding for Shapefile attribute tables. Node decodes GBK (TextDecoder) but
 * does not encode it; the encoding table is the decoder's, inverted once on first use, so the
 * two can never disagree. Characters outside GBK become '?'.
 */
let table: Map<string, number> | null = null;

function encodingTable(): Map<string, number> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gbk');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const char = decoder.decode(pair);
      if (char.length === 1 && char !== '\uFFFD' && !table.has(char)) table.set(char, (lead << 8) | trail);
    }
  }
  return table;
}

/** Encodes text as GBK bytes. */
export function encodeGbk(text: string): Buffer {
  const codes = encodingTable();
  const bytes: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp < 0x80) {
      bytes.push(cp);
      continue;
    }
    const code = codes.get(char);
    if (code === undefined) bytes.push(0x3f);
    else bytes.push(code >> 8, code & 0xff);
  }
  return Buffer.from(bytes);
}
