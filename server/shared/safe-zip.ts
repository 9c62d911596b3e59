/**
 * Opening uploaded zip archives (zipped Shapefiles, KMZ, .xlsx) without trusting them. The
 * central directory is read first — nothing is inflated — and the archive is refused when it
 * has too many entries, an entry whose path climbs out (`../`, absolute, drive letters), a
 * symbolic link, or sizes that betray a zip bomb (too large, or compressed too well). Entries
 * are then inflated into memory only, with the declared size enforced while inflating.
 * Nothing is ever written to disk.
 */
import JSZip from 'jszip';
import { badRequest, HttpError } from './errors.js';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Uncompressed / compressed, above which an entry larger than 1 MB is taken for a bomb. */
  maxCompressionRatio: number;
}

export const ZIP_LIMITS: ZipLimits = {
  maxEntries: 64,
  maxEntryBytes: 200 * 1024 * 1024,
  maxTotalBytes: 400 * 1024 * 1024,
  maxCompressionRatio: 100,
};

interface EntrySizes {
  compressedSize: number;
  uncompressedSize: number;
}

/** JSZip keeps the central directory's sizes on the entry's (internal) compressed object. */
const sizesOf = (entry: JSZip.JSZipObject): EntrySizes => (entry as unknown as { _data: EntrySizes })._data;
const originalName = (entry: JSZip.JSZipObject) => (entry as unknown as { unsafeOriginalName?: string }).unsafeOriginalName ?? entry.name;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export async function openZipSafely(bytes: Buffer, fileName: string, limits: ZipLimits = ZIP_LIMITS): Promise<JSZip> {
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw badRequest(`file ${fileName}: not a zip archive`);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (error) {
    throw badRequest(`file ${fileName}: not a readable zip (${(error as Error).message})`);
  }
  const entries = Object.values(zip.files);
  if (entries.length > limits.maxEntries) throw badRequest(`file ${fileName}: ${entries.length} entries; an upload may hold at most ${limits.maxEntries}`);
  let total = 0;
  for (const entry of entries) {
    const name = originalName(entry);
    if (name.split(/[\\/]/).includes('..') || name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) {
      throw badRequest(`file ${fileName}: entry "${name}" has a path outside the archive`);
    }
    const mode = entry.unixPermissions;
    if (typeof mode === 'number' && (mode & S_IFMT) === S_IFLNK) throw badRequest(`file ${fileName}: entry "${name}" is a symbolic link`);
    if (entry.dir) continue;
    const { compressedSize, uncompressedSize } = sizesOf(entry);
    if (uncompressedSize > limits.maxEntryBytes) {
      throw new HttpError(413, `file ${fileName}: entry "${name}" unpacks to ${Math.round(uncompressedSize / 1048576)} MB; at most ${Math.round(limits.maxEntryBytes / 1048576)} MB`);
    }
    if (uncompressedSize > 1024 * 1024 && uncompressedSize > compressedSize * limits.maxCompressionRatio) {
      throw badRequest(`file ${fileName}: entry "${name}" is compressed ${Math.round(uncompressedSize / Math.max(1, compressedSize))}:1, which only a zip bomb does`);
    }
    total += uncompressedSize;
  }
  if (total > limits.maxTotalBytes) throw new HttpError(413, `file ${fileName}: unpacks to ${Math.round(total / 1048576)} MB in all; at most ${Math.round(limits.maxTotalBytes / 1048576)} MB`);
  return zip;
}

interface ZipStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): ZipStream;
  on(event: 'error', listener: (error: Error) => void): ZipStream;
  on(event: 'end', listener: () => void): ZipStream;
  pause(): ZipStream;
  resume(): ZipStream;
}

/** Inflates one entry, refusing it as soon as it grows past what its header declared. */
export function readZipEntry(entry: JSZip.JSZipObject, fileName: string): Promise<Uint8Array> {
  const declared = sizesOf(entry).uncompressedSize;
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let failed = false;
    // internalStream is JSZip's streaming reader (public in its documentation, missing from its types).
    const stream = (entry as unknown as { internalStream(type: 'uint8array'): ZipStream }).internalStream('uint8array');
    stream
      .on('data', (chunk: Uint8Array) => {
        if (failed) return;
        size += chunk.length;
        if (size > declared) {
          failed = true;
          stream.pause();
          reject(badRequest(`file ${fileName}: entry "${entry.name}" unpacks to more than it declares`));
          return;
        }
        chunks.push(chunk);
      })
      .on('error', (error: Error) => {
        if (!failed) reject(badRequest(`file ${fileName}: entry "${entry.name}" cannot be read (${error.message})`));
      })
      .on('end', () => {
        if (failed) return;
        const out = new Uint8Array(size);
        let offset = 0;
        for (const c of chunks) {
          out.set(c, offset);
          offset += c.length;
        }
        resolve(out);
      })
      .resume();
  });
}

export async function readZipEntryText(entry: JSZip.JSZipObject, fileName: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readZipEntry(entry, fileName));
}
