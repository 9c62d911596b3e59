/**
 * World files (`.pgw`) and coordinate systems (`.prj`) for exported map images, so that QGIS,
 * ArcGIS and GDAL place the PNG where it belongs.
 *
 * A world file holds six lines: the pixel width in map units (A), two rotation terms (D, B: 0
 * here), the pixel height (E, negative: rows go south) and the map coordinates of the CENTRE of
 * the top-left pixel (C, F) — not of its outer corner: half a pixel in from the image's edge.
 *
 * Pure: no DOM, so the same code is checked against GDAL in the tests.
 */

/** ESRI WKT of EPSG:3857, as GDAL writes it (gdalsrsinfo -o wkt_esri EPSG:3857). */
export const WEB_MERCATOR_PRJ =
  'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],' +
  'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]';

/** ESRI WKT of EPSG:4326 (longitude/latitude in degrees). */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const EARTH_RADIUS_METERS = 6378137;

/** Longitude/latitude (WGS84) → Web Mercator metres (EPSG:3857). */
export function toWebMercator([lon, lat]: readonly [number, number]): [number, number] {
  const x = (EARTH_RADIUS_METERS * lon * Math.PI) / 180;
  const y = EARTH_RADIUS_METERS * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return [x, y];
}

/** An image placed on a map: its size and the map coordinates of its outer corners. */
export interface Georeference {
  /** Image size in pixels. */
  width: number;
  height: number;
  /** Map coordinates of the image's outer edges (left, top, right, bottom), in the CRS's units. */
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** 'EPSG:3857' (metres) or 'EPSG:4326' (degrees). */
  crs: 'EPSG:3857' | 'EPSG:4326';
}

/** The six lines of the world file (each number with enough digits for a millimetre or 1e-10°). */
export function worldFileText(g: Georeference): string {
  const a = (g.right - g.left) / g.width;
  const e = (g.bottom - g.top) / g.height;
  const c = g.left + a / 2;
  const f = g.top + e / 2;
  return [a, 0, 0, e, c, f].map((v) => (v === 0 ? '0' : v.toPrecision(17))).join('\n') + '\n';
}

/** The `.prj` beside the image (read by ArcGIS and by people). */
export const prjText = (g: Georeference) => (g.crs === 'EPSG:3857' ? WEB_MERCATOR_PRJ : WGS84_PRJ);

/**
 * `name.png.aux.xml`: GDAL (and so QGIS) takes a PNG's coordinate system from here, not from a
 * `.prj`; the world file gives it the placement.
 */
export const auxXmlText = (g: Georeference) => `<PAMDataset>\n  <SRS dataAxisToSRSAxisMapping="1,2">${g.crs}</SRS>\n</PAMDataset>\n`;

/**
 * A north-up Web Mercator map drawn into an image: the longitude/latitude of the map's outer
 * top-left and bottom-right corners, the map's size in image pixels, and how many image rows
 * (a title bar) lie above the map. The rows above extend the same grid of pixels northwards.
 */
export function mercatorGeoreference(
  topLeft: readonly [number, number],
  bottomRight: readonly [number, number],
  map: { width: number; height: number },
  image: { width: number; height: number; mapTop: number },
): Georeference {
  const [left, mapTop] = toWebMercator(topLeft);
  const [right, mapBottom] = toWebMercator(bottomRight);
  const pixelHeight = (mapTop - mapBottom) / map.height;
  const top = mapTop + image.mapTop * pixelHeight;
  const pixelWidth = (right - left) / map.width;
  return {
    width: image.width,
    height: image.height,
    left,
    right: left + image.width * pixelWidth,
    top,
    bottom: top - image.height * pixelHeight,
    crs: 'EPSG:3857',
  };
}
