/**
 * Grid files are read by the one import front door (server/modules/imports/read-vector.ts):
 * every format GDAL reads, coordinates already converted to WGS84. Grid import's own part is
 * the field mapping (import-mapping.ts) and the checks (grid-import.ts, validation.ts).
 */
import { readVectorFile, type VectorSource } from '../imports/read-vector.js';
import type { ChosenCrs } from '../imports/source-crs.js';
import type { SourceEncoding } from '../imports/text-encoding.js';

export { SOURCE_ENCODINGS, type SourceEncoding } from '../imports/text-encoding.js';
export { MAX_IMPORT_FEATURES, type SourceFeature } from '../imports/read-vector.js';

/**
 * The grid file in WGS84. The chosen system stands for files that do not carry one (a file
 * without one and no choice is refused); GCJ-02/BD-09 are shifted after reading.
 */
export function readGridSource(bytes: Buffer, fileName: string, crs: ChosenCrs | undefined, encoding: SourceEncoding = 'auto'): Promise<VectorSource> {
  return readVectorFile(bytes, fileName, { crs, encoding });
}
