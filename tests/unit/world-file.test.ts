/**
 * World files of exported map images, checked by GDAL: gdalinfo reads the PNG with its .pgw and
 * .prj, and its corners must be the image's outer corners; the map's own corner (below the title
 * bar) must be where PROJ (gdaltransform) puts the map's longitude/latitude in EPSG:3857.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error pngjs ships no types; only PNG.sync.write is used here.
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { inTempDir } from '../helpers/gdal.js';
import { auxXmlText, mercatorGeoreference, prjText, toWebMercator, worldFileText, type Georeference } from '../../web/src/exports/world-file.js';

interface GdalInfo {
  size: [number, number];
  geoTransform: [number, number, number, number, number, number];
  cornerCoordinates: { upperLeft: [number, number]; lowerRight: [number, number]; center: [number, number] };
  coordinateSystem: { wkt: string };
}

function gdalinfo(g: Georeference): GdalInfo {
  return inTempDir((dir) => {
    const png = new PNG({ width: g.width, height: g.height });
    png.data.fill(255);
    fs.writeFileSync(path.join(dir, 'map.png'), PNG.sync.write(png));
    fs.writeFileSync(path.join(dir, 'map.pgw'), worldFileText(g));
    fs.writeFileSync(path.join(dir, 'map.prj'), prjText(g));
    fs.writeFileSync(path.join(dir, 'map.png.aux.xml'), auxXmlText(g));
    return JSON.parse(execFileSync('gdalinfo', ['-json', path.join(dir, 'map.png')], { encoding: 'utf8' }));
  });
}

/** PROJ's Web Mercator for a longitude/latitude (independent of the code under test). */
function projMercator(lon: number, lat: number): [number, number] {
  const out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:3857', '-output_xy'], { input: `${lon} ${lat}\n`, encoding: 'utf8' });
  const [x, y] = out.trim().split(/\s+/).map(Number);
  return [x!, y!];
}

describe('world files', () => {
  // A map of 1200 × 800 image pixels (600 × 400 CSS pixels at device pixel ratio 2) over Qindu,
  // under a title bar of 112 image rows, as the coverage page composes it.
  // The corners as MapLibre unprojects them: 9.55 m of Web Mercator per image pixel (zoom 14).
  const topLeft: [number, number] = [108.6512345, 34.3898765];
  const [x, y] = toWebMercator(topLeft);
  const R = 6378137;
  const unproject = (mx: number, my: number): [number, number] => [(mx / R) * (180 / Math.PI), Math.atan(Math.sinh(my / R)) * (180 / Math.PI)];
  const bottomRight = unproject(x + 1200 * 9.55, y - 800 * 9.55);
  const g = mercatorGeoreference(topLeft, bottomRight, { width: 1200, height: 800 }, { width: 1200, height: 912, mapTop: 112 });

  it('gdalinfo reads the image in EPSG:3857 with the outer corners of the image', () => {
    const info = gdalinfo(g);
    expect(info.size).toEqual([1200, 912]);
    expect(info.coordinateSystem.wkt).toMatch(/^PROJCRS\["WGS 84 \/ Pseudo-Mercator"/);
    expect(info.coordinateSystem.wkt).toMatch(/ID\["EPSG",3857\]/);
    // gdalinfo prints the corners to the millimetre; its geotransform holds them exactly.
    expect(info.cornerCoordinates.upperLeft[0]).toBeCloseTo(g.left, 2);
    expect(info.cornerCoordinates.upperLeft[1]).toBeCloseTo(g.top, 2);
    expect(info.cornerCoordinates.lowerRight[0]).toBeCloseTo(g.right, 2);
    expect(info.cornerCoordinates.lowerRight[1]).toBeCloseTo(g.bottom, 2);
    const [x0, width, , y0, , height] = info.geoTransform;
    expect(x0).toBeCloseTo(g.left, 6);
    expect(y0).toBeCloseTo(g.top, 6);
    expect(x0 + 1200 * width).toBeCloseTo(g.right, 6);
    expect(y0 + 912 * height).toBeCloseTo(g.bottom, 6);
    // The pixel is square (Web Mercator is conformal) and rows go south.
    const [, a, b, , d, e] = info.geoTransform;
    expect(b).toBe(0);
    expect(d).toBe(0);
    expect(e).toBeCloseTo(-a, 9);
  });

  it('the world file names the centre of the top-left pixel, half a pixel in from the corner', () => {
    const [a, d, b, e, c, f] = worldFileText(g).trim().split('\n').map(Number);
    expect([d, b]).toEqual([0, 0]);
    expect(c).toBeCloseTo(g.left + a! / 2, 6);
    expect(f).toBeCloseTo(g.top + e! / 2, 6);
  });

  it('the map below the title bar lies where PROJ puts its corners', () => {
    const info = gdalinfo(g);
    const [x0, a, , y0, , e] = info.geoTransform;
    // Outer corner of image pixel (0, 112): the map's top-left corner.
    const mapTopLeft = [x0, y0 + 112 * e];
    const mapBottomRight = [x0 + 1200 * a, y0 + 912 * e];
    const [px, py] = projMercator(...topLeft);
    const [qx, qy] = projMercator(...bottomRight);
    expect(Math.abs(mapTopLeft[0]! - px)).toBeLessThan(0.01);
    expect(Math.abs(mapTopLeft[1]! - py)).toBeLessThan(0.01);
    expect(Math.abs(mapBottomRight[0]! - qx)).toBeLessThan(0.01);
    expect(Math.abs(mapBottomRight[1]! - qy)).toBeLessThan(0.01);
    expect(toWebMercator(topLeft)[0]).toBeCloseTo(px, 2);
  });
});
