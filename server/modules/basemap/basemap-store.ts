/**
 * The installed offline basemap: one MBTiles or PMTiles file (vector or raster tiles, as surveying
 * departments and intranet GIS teams hand them out) kept under the basemap folder, with what its
 * own metadata says about it, and its tiles read from it on request.
 *
 * Installing streams the upload to a partial file (refused past the configured size), checks it is
 * really MBTiles (the SQLite header, `tiles` and `metadata` tables) or PMTiles (the magic, a
 * version-3 header whose sections all lie inside the file), and only then replaces the one before.
 * A refused file leaves nothing behind and changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { PMTiles, TileType, Compression, type Source, type RangeResponse } from 'pmtiles';
import { badRequest, HttpError, refuse } from '../../shared/errors.js';

export type TileFormat = 'pbf' | 'png' | 'jpg' | 'webp' | 'avif';

export interface BasemapInfo {
  name: string;
  fileName: string;
  format: 'mbtiles' | 'pmtiles';
  /** vector: Mapbox Vector Tiles; raster: images. */
  tileType: 'vector' | 'raster';
  tileFormat: TileFormat;
  bounds: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
  /** Vector basemaps: the layers in its tiles (from its metadata), for the default style. */
  vectorLayers: string[];
  bytes: number;
  installedAt: string;
}

export interface BasemapTile {
  bytes: Buffer;
  contentType: string;
  /** 'gzip' when the archive keeps the tile gzipped (vector MBTiles and most PMTiles). */
  contentEncoding?: 'gzip';
}

const CONTENT_TYPES: Record<TileFormat, string> = {
  pbf: 'application/vnd.mapbox-vector-tile',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
};
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const PMTILES_MAGIC = Buffer.from('PMTiles', 'latin1');
const WORLD: [number, number, number, number] = [-180, -85.0511, 180, 85.0511];

/** Reads a local PMTiles file by byte ranges (the pmtiles package's Source for Node). */
class LocalFileSource implements Source {
  constructor(private readonly file: string) {}
  getKey() {
    return this.file;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const handle = await fs.promises.open(this.file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      const data = buffer.subarray(0, bytesRead);
      return { data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer };
    } finally {
      await handle.close();
    }
  }
}

interface OpenArchive {
  info: BasemapInfo;
  tile(z: number, x: number, y: number): Promise<BasemapTile | null>;
  close(): void;
}

export class BasemapStore {
  /** The installed archive being opened or open: one opening shared by every request that needs it. */
  private opening: Promise<OpenArchive | null> | null = null;
  private archive: OpenArchive | null = null;
  /** Counts installs and removals: an opening begun before one is not kept. */
  private generation = 0;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  private infoFile() {
    return path.join(this.dir, 'basemap.json');
  }

  /** What is installed, or null. */
  async current(): Promise<BasemapInfo | null> {
    return (await this.open())?.info ?? null;
  }

  /** A tile of the installed basemap: null when the archive has none there; 404 when nothing is installed. */
  async tile(z: number, x: number, y: number): Promise<BasemapTile | null> {
    const archive = await this.open();
    if (!archive) throw refuse(404, 'basemap.none');
    return archive.tile(z, x, y);
  }

  /** Streams an upload to disk, checks it and makes it the basemap. */
  async install(stream: Readable & { truncated?: boolean }, fileName: string): Promise<BasemapInfo> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const partial = path.join(this.dir, `upload-${randomUUID()}.part`);
    let installedFile: string | undefined;
    try {
      const bytes = await this.receive(stream, partial, fileName);
      const opened = await openArchive(partial, fileName, bytes);
      opened.close();
      installedFile = path.join(this.dir, `basemap.${opened.info.format}`);
      // Replace what was there: close it, remove it, move the new file in.
      await this.remove();
      await fs.promises.rename(partial, installedFile);
      await fs.promises.writeFile(this.infoFile(), JSON.stringify(opened.info, null, 2));
      this.forget();
      return opened.info;
    } finally {
      await fs.promises.rm(partial, { force: true });
    }
  }

  /** Removes the installed basemap; false when there was none. */
  async remove(): Promise<boolean> {
    const existing = await this.open();
    this.forget();
    for (const name of ['basemap.mbtiles', 'basemap.pmtiles', 'basemap.json']) await fs.promises.rm(path.join(this.dir, name), { force: true });
    return existing !== null;
  }

  close() {
    this.forget();
  }

  /** Closes what is open; the next request opens what is installed then. */
  private forget() {
    this.archive?.close();
    this.archive = null;
    this.opening = null;
    this.generation++;
  }

  private async receive(stream: Readable & { truncated?: boolean }, partial: string, fileName: string): Promise<number> {
    let bytes = 0;
    const out = fs.createWriteStream(partial);
    try {
      for await (const chunk of stream) {
        bytes += (chunk as Buffer).length;
        if (bytes > this.maxBytes) {
          stream.resume();
          throw refuse(413, 'basemap.tooLarge', { file: fileName, max: formatBytes(this.maxBytes) });
        }
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      if (stream.truncated) throw refuse(413, 'basemap.tooLarge', { file: fileName, max: formatBytes(this.maxBytes) });
    } finally {
      await new Promise<void>((resolve) => out.end(() => resolve()));
    }
    if (bytes === 0) throw badRequest('basemap.empty', { file: fileName });
    return bytes;
  }

  /**
   * The installed archive. Requests that come while it is being opened wait for that same opening
   * (before, a second request saw "nothing installed" until the first had finished).
   */
  private open(): Promise<OpenArchive | null> {
    this.opening ??= this.load(this.generation);
    return this.opening;
  }

  private async load(generation: number): Promise<OpenArchive | null> {
    let archive: OpenArchive | null = null;
    try {
      const info = JSON.parse(await fs.promises.readFile(this.infoFile(), 'utf8')) as BasemapInfo;
      archive = await openArchive(path.join(this.dir, `basemap.${info.format}`), info.fileName, info.bytes, info.installedAt);
    } catch {
      archive = null;
    }
    if (generation !== this.generation) {
      // Installed or removed meanwhile: what was read is stale; open what is there now.
      archive?.close();
      return this.open();
    }
    this.archive = archive;
    return archive;
  }
}

async function openArchive(file: string, fileName: string, bytes: number, installedAt = new Date().toISOString()): Promise<OpenArchive> {
  const handle = await fs.promises.open(file, 'r');
  const head = Buffer.alloc(16);
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  if (head.subarray(0, 16).equals(SQLITE_MAGIC)) return openMbtiles(file, fileName, bytes, installedAt);
  if (head.subarray(0, 7).equals(PMTILES_MAGIC)) return openPmtiles(file, fileName, bytes, installedAt);
  throw refuse(415, 'basemap.notTiles', { file: fileName });
}

function openMbtiles(file: string, fileName: string, bytes: number, installedAt: string): OpenArchive {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw refuse(415, 'basemap.sqliteUnopenable', { file: fileName, detail: (error as Error).message });
  }
  try {
    const tables = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view')`).all().map((r) => (r as { name: string }).name));
    for (const needed of ['metadata', 'tiles']) {
      if (!tables.has(needed)) throw refuse(415, 'basemap.sqliteNoTable', { file: fileName, table: needed });
    }
    const metadata = new Map<string, string>();
    for (const row of db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]) metadata.set(row.name, String(row.value));
    const zooms = db.prepare('SELECT min(zoom_level) AS minzoom, max(zoom_level) AS maxzoom FROM tiles').get() as { minzoom: number | null; maxzoom: number | null };
    if (zooms.minzoom === null) throw refuse(415, 'basemap.noTiles', { file: fileName });
    const first = db.prepare('SELECT tile_data FROM tiles LIMIT 1').get() as { tile_data: Buffer };
    const tileFormat = mbtilesFormat(metadata.get('format'), first.tile_data);
    if (!tileFormat) throw refuse(415, 'basemap.badFormat', { file: fileName, format: String(metadata.get('format')) });
    const info: BasemapInfo = {
      name: metadata.get('name') || path.basename(fileName, path.extname(fileName)),
      fileName,
      format: 'mbtiles',
      tileType: tileFormat === 'pbf' ? 'vector' : 'raster',
      tileFormat,
      bounds: parseBounds(metadata.get('bounds')),
      minzoom: numberOr(metadata.get('minzoom'), zooms.minzoom),
      maxzoom: numberOr(metadata.get('maxzoom'), zooms.maxzoom!),
      vectorLayers: vectorLayerIds(metadata.get('json')),
      bytes,
      installedAt,
    };
    const select = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
    return {
      info,
      async tile(z, x, y) {
        // MBTiles rows count from the south (TMS).
        const row = select.get(z, x, 2 ** z - 1 - y) as { tile_data: Buffer } | undefined;
        if (!row) return null;
        const data = Buffer.from(row.tile_data);
        return { bytes: data, contentType: CONTENT_TYPES[tileFormat], ...(isGzip(data) ? { contentEncoding: 'gzip' as const } : {}) };
      },
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    if (error instanceof HttpError) throw error;
    throw refuse(415, 'basemap.mbtilesUnreadable', { file: fileName, detail: (error as Error).message });
  }
}

async function openPmtiles(file: string, fileName: string, bytes: number, installedAt: string): Promise<OpenArchive> {
  const archive = new PMTiles(new LocalFileSource(file));
  let info: BasemapInfo;
  try {
    const header = await archive.getHeader();
    const sections: [string, number, number][] = [
      ['root directory', header.rootDirectoryOffset, header.rootDirectoryLength],
      ['metadata', header.jsonMetadataOffset, header.jsonMetadataLength],
      ['leaf directories', header.leafDirectoryOffset, header.leafDirectoryLength ?? 0],
      ['tile data', header.tileDataOffset, header.tileDataLength ?? 0],
    ];
    for (const [section, offset, length] of sections) {
      if (offset + length > bytes) throw refuse(415, 'basemap.pmtilesTruncated', { file: fileName, section, end: offset + length, bytes });
    }
    const tileFormat = pmtilesFormat(header.tileType);
    if (!tileFormat) throw refuse(415, 'basemap.pmtilesTileType', { file: fileName, type: String(header.tileType) });
    const metadata = ((await archive.getMetadata()) ?? {}) as { name?: string; vector_layers?: { id: string }[] };
    info = {
      name: metadata.name || path.basename(fileName, path.extname(fileName)),
      fileName,
      format: 'pmtiles',
      tileType: tileFormat === 'pbf' ? 'vector' : 'raster',
      tileFormat,
      bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
      minzoom: header.minZoom,
      maxzoom: header.maxZoom,
      vectorLayers: (metadata.vector_layers ?? []).map((l) => l.id).filter((id) => typeof id === 'string'),
      bytes,
      installedAt,
    };
    const gzip = header.tileCompression === Compression.Gzip;
    return {
      info,
      async tile(z, x, y) {
        const found = await archive.getZxy(z, x, y);
        if (!found) return null;
        return { bytes: Buffer.from(found.data), contentType: CONTENT_TYPES[tileFormat], ...(gzip ? { contentEncoding: 'gzip' as const } : {}) };
      },
      close: () => {},
    };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw refuse(415, 'basemap.pmtilesUnreadable', { file: fileName, detail: (error as Error).message });
  }
}

function mbtilesFormat(format: string | undefined, sample: Buffer): TileFormat | null {
  const f = (format ?? '').toLowerCase();
  if (f === 'pbf' || f === 'mvt') return 'pbf';
  if (f === 'png' || f === 'webp' || f === 'avif') return f;
  if (f === 'jpg' || f === 'jpeg') return 'jpg';
  if (f) return null;
  // No format in the metadata: tell by the first tile's bytes.
  if (sample.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return 'png';
  if (sample[0] === 0xff && sample[1] === 0xd8) return 'jpg';
  if (sample.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return 'pbf';
}

function pmtilesFormat(type: TileType): TileFormat | null {
  switch (type) {
    case TileType.Mvt:
      return 'pbf';
    case TileType.Png:
      return 'png';
    case TileType.Jpeg:
      return 'jpg';
    case TileType.Webp:
      return 'webp';
    case TileType.Avif:
      return 'avif';
    default:
      return null;
  }
}

function parseBounds(text: string | undefined): [number, number, number, number] {
  const parts = (text ?? '').split(',').map(Number);
  return parts.length === 4 && parts.every(Number.isFinite) ? (parts as [number, number, number, number]) : WORLD;
}

function numberOr(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(n) ? n : fallback;
}

function vectorLayerIds(json: string | undefined): string[] {
  try {
    const parsed = JSON.parse(json ?? '{}') as { vector_layers?: { id: unknown }[] };
    return (parsed.vector_layers ?? []).map((l) => l.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return [];
  }
}

function isGzip(data: Buffer) {
  return data[0] === 0x1f && data[1] === 0x8b;
}

export function formatBytes(n: number): string {
  return n >= 1024 ** 3 ? `${+(n / 1024 ** 3).toFixed(1)} GB` : n >= 1024 ** 2 ? `${+(n / 1024 ** 2).toFixed(1)} MB` : `${n} bytes`;
}
