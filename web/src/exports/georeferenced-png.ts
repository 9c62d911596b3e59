/**
 * A map image as GIS software wants it: `name.png`, its world file `name.pgw`, its coordinate
 * system `name.prj` (ArcGIS) and `name.png.aux.xml` (GDAL, QGIS), zipped together (JSZip is
 * loaded only when someone asks for one).
 */
import { auxXmlText, prjText, worldFileText, type Georeference } from './world-file';

export async function zipGeoreferencedPng(png: Blob, georeference: Georeference, baseName: string): Promise<Blob> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  zip.file(`${baseName}.png`, await png.arrayBuffer());
  zip.file(`${baseName}.pgw`, worldFileText(georeference));
  zip.file(`${baseName}.prj`, prjText(georeference));
  zip.file(`${baseName}.png.aux.xml`, auxXmlText(georeference));
  return zip.generateAsync({ type: 'blob', compression: 'DEFLATE' });
}
