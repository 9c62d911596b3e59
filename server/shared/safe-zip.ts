/**
 * Opening uploaded zip archives (zipped Shapefiles, KMZ, .xlsx) without trusting them. The
 * central directory is read first — nothing is inflated — and the archive is refused when it
 * has too many entries, an entry whose path climbs out (`../`, absolute, drive letters), a
 * symbolic link, or sizes that betray a zip bomb (too large, or compressed too well). Entries
 * are then inflated into memory only, with the declared size enforced while inflating.
 * Nothing is ever written to disk.
 */
import JSZip from 'jszip';
import { badRequest, refuse } from './errors.js';

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
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw badRequest('zip.notZip', { file: fileName });
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (error) {
    throw badRequest('zip.unreadable', { file: fileName, detail: (error as Error).message });
  }
  const entries = Object.values(zip.files);
  if (entries.length > limits.maxEntries) throw badRequest('zip.tooManyEntries', { file: fileName, count: entries.length, max: limits.maxEntries });
  let total = 0;
  for (const entry of entries) {
    const name = originalName(entry);
    if (name.split(/[\\/]/).includes('..') || name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name)) {
      throw badRequest('zip.pathOutside', { file: fileName, entry: name });
    }
    const mode = entry.unixPermissions;
    if (typeof mode === 'number' && (mode & S_IFMT) === S_IFLNK) throw badRequest('zip.symlink', { file: fileName, entry: name });
    if (entry.dir) continue;
    const { compressedSize, uncompressedSize } = sizesOf(entry);
    if (uncompressedSize > limits.maxEntryBytes) {
      throw refuse(413, 'zip.entryTooLarge', { file: fileName, entry: name, megabytes: Math.round(uncompressedSize / 1048576), max: Math.round(limits.maxEntryBytes / 1048576) });
    }
    if (uncompressedSize > 1024 * 1024 && uncompressedSize > compressedSize * limits.maxCompressionRatio) {
      throw badRequest('zip.bomb', { file: fileName, entry: name, ratio: Math.round(uncompressedSize / Math.max(1, compressedSize)) });
    }
    total += uncompressedSize;
  }
  if (total > limits.maxTotalBytes) throw refuse(413, 'zip.tooLarge', { file: fileName, megabytes: Math.round(total / 1048576), max: Math.round(limits.maxTotalBytes / 1048576) });
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
          reject(badRequest('zip.entryLies', { file: fileName, entry: entry.name }));
          return;
        }
        chunks.push(chunk);
      })
      .on('error', (error: Error) => {
        if (!failed) reject(badRequest('zip.entryUnreadable', { file: fileName, entry: entry.name, detail: error.message }));
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
