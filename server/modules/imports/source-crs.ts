/**
 * What a file's coordinate system (as GDAL reports it, in WKT1) means for an import:
 * - WGS84 or CGCS2000 longitude/latitude: stored as is (the two differ by centimetres);
 * - projected on those datums (CGCS2000 Gauss-Krüger 3° and 6° zones, EPSG:4491–4554, or UTM):
 *   reprojected to longitude/latitude by GDAL/PROJ;
 * - Xian 1980 and Beijing 1954 (geographic or projected): refused, because turning them into
 *   CGCS2000 needs the bureau's local 7-parameter transformation, which no file carries and a
 *   global formula would get wrong by tens of metres;
 * - any other datum: refused, naming it;
 * - none at all: the user must say which (a Shapefile without .prj is common, and guessing
 *   WGS84 for projected metres or Xian 80 would put every outline in the wrong place).
 */
import { SOURCE_CRS, type SourceCrs } from '../../shared/coordinates.js';
import { badRequest, phrase } from '../../shared/errors.js';

export type CrsKind =
  | { kind: 'geographic'; name: string; datum: 'WGS84' | 'CGCS2000' }
  | { kind: 'projected'; name: string; datum: 'WGS84' | 'CGCS2000' }
  | { kind: 'none' };

const REFUSED_DATUMS: { test: RegExp; name: string }[] = [
  { test: /xian|xi'an|西安/i, name: 'Xian 1980 (西安80)' },
  { test: /beijing|北京/i, name: 'Beijing 1954 (北京54)' },
];

/** Classifies the WKT1 GDAL printed for a layer ("(unknown)" or empty when it has none). */
export function classifyCrs(wkt: string, fileName: string): CrsKind {
  const text = wkt.trim();
  if (!text || text === '(unknown)') return { kind: 'none' };
  const head = /^(PROJCS|GEOGCS|GEOGCRS|PROJCRS|COMPD_CS|LOCAL_CS)\["([^"]*)"/.exec(text);
  const datum = /DATUM\["([^"]*)"/.exec(text)?.[1] ?? '';
  const name = head?.[2] ?? 'unknown';
  // A GeoPackage says "not stated" with its reserved systems 0 and -1 (spec §1.1.2.1.1).
  if (/^Undefined (geographic|Cartesian) SRS$/i.test(name)) return { kind: 'none' };
  for (const refused of REFUSED_DATUMS) {
    if (refused.test.test(datum) || refused.test.test(name)) {
      throw badRequest('imports.refusedDatum', { file: fileName, crs: name, datum: refused.name }, { crs: name, datum });
    }
  }
  let known: 'WGS84' | 'CGCS2000' | null = null;
  if (/^(D_)?WGS_?1984$|World Geodetic System 1984/i.test(datum)) known = 'WGS84';
  else if (/China_?2000|China Geodetic Coordinate System 2000|CGCS_?2000/i.test(datum)) known = 'CGCS2000';
  if (!known) {
    throw badRequest('imports.otherDatum', { file: fileName, crs: name, datum: datum || phrase('imports.unknownDatum') }, { crs: name, datum });
  }
  if (head?.[1] === 'PROJCS' || head?.[1] === 'PROJCRS') return { kind: 'projected', name, datum: known };
  if (head?.[1] === 'GEOGCS' || head?.[1] === 'GEOGCRS') return { kind: 'geographic', name, datum: known };
  throw badRequest('imports.notConvertible', { file: fileName, crs: name }, { crs: name });
}

/**
 * What the user may choose for a file that does not state its system: WGS84 or CGCS2000
 * longitude/latitude, GCJ-02 (Amap, Tencent) or BD-09 (Baidu) longitude/latitude — shifted by
 * gcoord — or an EPSG code (a projected Gauss-Krüger zone such as EPSG:4527, reprojected by PROJ).
 */
export type ChosenCrs = SourceCrs | `EPSG:${number}`;

export const EPSG_CHOICE = /^EPSG:(\d{4,6})$/i;

/** 'epsg:4527' → 'EPSG:4527'; a named system as is; null when it is neither. */
export function normalizeChosenCrs(text: string): ChosenCrs | null {
  if ((SOURCE_CRS as readonly string[]).includes(text)) return text as SourceCrs;
  const m = EPSG_CHOICE.exec(text);
  return m ? (`EPSG:${Number(m[1])}` as ChosenCrs) : null;
}

export const isEpsgChoice = (crs: ChosenCrs | undefined): crs is `EPSG:${number}` => typeof crs === 'string' && crs.startsWith('EPSG:');

export const CRS_CHOICES_TEXT = 'wgs84, cgcs2000, gcj02 (Amap/Tencent), bd09 (Baidu) or an EPSG code such as EPSG:4527 (CGCS2000 3° Gauss-Krüger zone 39)';
