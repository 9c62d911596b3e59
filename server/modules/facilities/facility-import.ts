/**
 * Reading a facility table (CSV or .xlsx, already split into rows by `readTable`): which column
 * is which field, and each row checked and converted to WGS84, with every problem named by row
 * and column so that a planner can fix the file. Pure: nothing here touches the database.
 */
import { lonLatCodedProblem, toWgs84, type SourceCrs } from '../../shared/coordinates.js';
import { problem, type Problem } from '../../shared/refusals.js';
import { badRequest } from '../../shared/errors.js';
import { COMMON_FIELD_NAMES, matchFieldNames } from '../imports/field-names.js';
import type { TableRow } from '../../shared/tabular.js';
import type { FacilityTypeInfo } from './schemas.js';
import type { ImportedFacility, ImportPreviewRow } from './editing-schemas.js';

export const MAX_IMPORT_ROWS = 5000;

type Field = 'name' | 'facilityType' | 'address' | 'lon' | 'lat' | 'phone' | 'openingHours' | 'services' | 'capacity' | 'isPublic';

/** Header spellings accepted for each field, compared without case, spaces, underscores or hyphens. */
const HEADER_ALIASES: Record<Field, readonly string[]> = {
  name: ['名称', '设施名称', '站点名称', 'name'],
  facilityType: ['类型', '设施类型', 'type', 'facilitytype'],
  address: COMMON_FIELD_NAMES.address,
  lon: COMMON_FIELD_NAMES.lon,
  lat: COMMON_FIELD_NAMES.lat,
  phone: COMMON_FIELD_NAMES.phone,
  openingHours: ['开放时间', '营业时间', '服务时间', 'openinghours', 'hours'],
  services: ['服务', '服务项目', '服务内容', 'services'],
  capacity: ['容量', '床位', '床位数', 'capacity'],
  isPublic: ['是否公开', '公开', 'ispublic', 'public'],
};
const REQUIRED: Field[] = ['name', 'facilityType', 'lon', 'lat'];

/** Maps fields to the file's headers; refuses a table that lacks a required column. */
export function matchColumns(headers: string[]): Partial<Record<Field, string>> {
  const columns = matchFieldNames(headers, HEADER_ALIASES).columns;
  const missing = REQUIRED.filter((f) => !columns[f]);
  if (missing.length > 0) {
    const wanted = missing.map((f) => `${HEADER_ALIASES[f][0]} (${f})`).join(', ');
    throw badRequest('facilities.missingColumns', { missing: wanted, headers: headers.filter(Boolean).join(', ') || 'nothing' });
  }
  return columns;
}

const TRUE_WORDS = new Set(['是', 'true', 'yes', 'y', '1', '公开']);
const FALSE_WORDS = new Set(['否', 'false', 'no', 'n', '0', '不公开']);

/** Finds a facility type by code, Chinese or English name. */
export function resolveFacilityType(value: string, types: FacilityTypeInfo[]): FacilityTypeInfo | null {
  const v = value.trim().toLowerCase();
  return types.find((t) => t.code === v || t.nameZh === value.trim() || t.nameEn.toLowerCase() === v) ?? null;
}

/** Checks and converts every row; rows with problems carry them, the others the facility to write. */
export function checkImportRows(rows: TableRow[], headers: string[], sourceCrs: SourceCrs, types: FacilityTypeInfo[]): {
  columns: Partial<Record<Field, string>>;
  rows: ImportPreviewRow[];
} {
  if (rows.length === 0) throw badRequest('facilities.noRows');
  if (rows.length > MAX_IMPORT_ROWS) throw badRequest('facilities.tooManyRows', { rows: rows.length, max: MAX_IMPORT_ROWS });
  const columns = matchColumns(headers);
  const cell = (row: TableRow, field: Field) => (columns[field] ? (row.values[columns[field]!] ?? '').trim() : '');

  const checked = rows.map((row): ImportPreviewRow => {
    const errors: ImportPreviewRow['errors'] = [];
    const fail = (field: Field, p: Problem) => errors.push({ column: columns[field] ?? field, ...p });

    const name = cell(row, 'name');
    if (!name) fail('name', problem('facilities.rowNameEmpty'));
    else if (name.length > 200) fail('name', problem('facilities.rowNameTooLong', { length: name.length }));

    const typeText = cell(row, 'facilityType');
    const type = typeText ? resolveFacilityType(typeText, types) : null;
    if (!typeText) fail('facilityType', problem('facilities.rowTypeEmpty'));
    else if (!type) fail('facilityType', problem('facilities.rowUnknownType', { text: typeText, allowed: types.map((t) => t.nameZh) }));

    const lonText = cell(row, 'lon');
    const latText = cell(row, 'lat');
    const sourceLon = Number(lonText);
    const sourceLat = Number(latText);
    let position: [number, number] | null = null;
    if (!lonText || !Number.isFinite(sourceLon)) fail('lon', lonText ? problem('facilities.rowNotANumber', { text: lonText }) : problem('facilities.rowLonEmpty'));
    if (!latText || !Number.isFinite(sourceLat)) fail('lat', latText ? problem('facilities.rowNotANumber', { text: latText }) : problem('facilities.rowLatEmpty'));
    if (errors.every((e) => e.column !== columns.lon && e.column !== columns.lat)) {
      const bad = lonLatCodedProblem(sourceLon, sourceLat);
      if (bad) errors.push({ column: `${columns.lon}/${columns.lat}`, ...bad });
      else position = toWgs84([sourceLon, sourceLat], sourceCrs);
    }

    const capacityText = cell(row, 'capacity');
    let capacity: number | null = null;
    if (capacityText) {
      capacity = Number(capacityText);
      if (!Number.isInteger(capacity) || capacity < 0 || capacity > 100000) {
        fail('capacity', problem('facilities.rowCapacity', { text: capacityText }));
        capacity = null;
      }
    }

    const publicText = cell(row, 'isPublic').toLowerCase();
    let isPublic = true;
    if (publicText) {
      if (TRUE_WORDS.has(publicText)) isPublic = true;
      else if (FALSE_WORDS.has(publicText)) isPublic = false;
      else fail('isPublic', problem('facilities.rowPublic', { text: publicText }));
    }

    const address = cell(row, 'address');
    if (address.length > 300) fail('address', problem('facilities.rowAddressTooLong', { length: address.length }));
    const phone = cell(row, 'phone') || null;
    if (phone && !/^[0-9+\-() ]{5,30}$/.test(phone)) fail('phone', problem('facilities.rowPhone', { text: phone }));
    const openingHours = cell(row, 'openingHours') || null;
    if (openingHours && openingHours.length > 100) fail('openingHours', problem('facilities.rowHoursTooLong'));
    const services = cell(row, 'services').split(/[、,，;；|/]/).map((s) => s.trim()).filter(Boolean);
    if (services.some((s) => s.length > 30)) fail('services', problem('facilities.rowServiceTooLong'));

    if (errors.length > 0 || !type || !position) return { rowNumber: row.rowNumber, ok: false, errors, facility: null };
    const facility: ImportedFacility = {
      facilityType: type.code,
      name,
      address,
      lon: round7(position[0]),
      lat: round7(position[1]),
      sourceLon,
      sourceLat,
      phone,
      openingHours,
      services,
      capacity,
      isPublic,
    };
    return { rowNumber: row.rowNumber, ok: true, errors: [], facility };
  });

  markDuplicatesWithinFile(checked);
  return { columns, rows: checked };
}

/** About a centimetre: more digits than any source has. */
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** Two rows of the same name and type within this distance are the same facility listed twice. */
export const DUPLICATE_DISTANCE_METERS = 50;

function markDuplicatesWithinFile(rows: ImportPreviewRow[]) {
  const seen = new Map<string, ImportPreviewRow[]>();
  for (const row of rows) {
    if (!row.facility) continue;
    const key = `${row.facility.facilityType}|${row.facility.name}`;
    const earlier = seen.get(key) ?? [];
    const twin = earlier.find((e) => approximateDistanceMeters(e.facility!, row.facility!) <= DUPLICATE_DISTANCE_METERS);
    if (twin) {
      row.ok = false;
      row.errors.push({ column: null, ...problem('facilities.rowRepeats', { row: twin.rowNumber, distance: { code: 'distance.meters', params: { meters: DUPLICATE_DISTANCE_METERS } } }) });
      row.facility = null;
    } else {
      earlier.push(row);
      seen.set(key, earlier);
    }
  }
}

/** Equirectangular distance: plenty for "within 50 m". */
function approximateDistanceMeters(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const toRad = Math.PI / 180;
  const x = (b.lon - a.lon) * toRad * Math.cos(((a.lat + b.lat) / 2) * toRad);
  const y = (b.lat - a.lat) * toRad;
  return Math.hypot(x, y) * 6_371_008.8;
}
