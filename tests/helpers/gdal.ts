/**
 * Making test files with GDAL itself (ogr2ogr, as installed for the import pipeline): a
 * GeoPackage, a Shapefile in another coordinate system or encoding, from a fixture. Run in a
 * temporary directory that is removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';

export function inTempDir<T>(work: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-test-gdal-'));
  try {
    return work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const ogr2ogr = (args: string[]) => execFileSync('ogr2ogr', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Zips every file of a folder whose name starts with `base.` (a Shapefile's parts). */
export async function zipShapefile(dir: string, base: string, leaveOut: string[] = []): Promise<Buffer> {
  const zip = new JSZip();
  for (const name of fs.readdirSync(dir)) {
    const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    if (name.startsWith(`${base}.`) && !leaveOut.includes(ext)) zip.file(name, fs.readFileSync(path.join(dir, name)));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** A zipped Shapefile rewritten by GDAL in another coordinate system (attributes kept in their encoding). */
export async function reprojectShapefile(zipped: Buffer, base: string, targetSrs: string): Promise<Buffer> {
  const source = await JSZip.loadAsync(zipped);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-test-gdal-'));
  try {
    fs.mkdirSync(path.join(dir, 'in'));
    fs.mkdirSync(path.join(dir, 'out'));
    for (const entry of Object.values(source.files)) fs.writeFileSync(path.join(dir, 'in', entry.name), await entry.async('nodebuffer'));
    const cpg = source.file(`${base}.cpg`) ? (await source.file(`${base}.cpg`)!.async('string')).trim() : 'UTF-8';
    ogr2ogr(['-f', 'ESRI Shapefile', '-t_srs', targetSrs, '-oo', `ENCODING=${cpg}`, '-lco', `ENCODING=${cpg}`, path.join(dir, 'out', `${base}.shp`), path.join(dir, 'in', `${base}.shp`)]);
    return await zipShapefile(path.join(dir, 'out'), base);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
