/**
 * The query parameters of OGC API – Features items (Part 1 Core, Part 2 CRS by reference), parsed
 * into what the items queries take, with a 400 that names the parameter for anything else. Pure.
 */
import { badRequest, phrase } from '../../shared/errors.js';
import type { Collection } from './collections.js';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const EPSG_4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
export const EPSG_4490 = 'http://www.opengis.net/def/crs/EPSG/0/4490';
/** The coordinate systems served (the data is stored in WGS84; CGCS2000 agrees with it to centimetres). */
export const SUPPORTED_CRS = [CRS84, EPSG_4326, EPSG_4490] as const;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 5000;

/** Parameters every items request may carry (the collection's queryables come on top). */
export const ITEMS_PARAMETERS = ['f', 'limit', 'after', 'bbox', 'bbox-crs', 'crs', 'datetime'] as const;

export interface CrsChoice {
  uri: string;
  /** Latitude first: EPSG:4326 and EPSG:4490 as their definitions say; CRS84 is longitude first. */
  latitudeFirst: boolean;
}

/** A CRS given as its URI, or as the short forms `EPSG:4326`, `[EPSG:4326]`, `CRS84`. */
export function parseCrs(text: string | undefined, parameter: string): CrsChoice {
  if (text === undefined || text === '') return { uri: CRS84, latitudeFirst: false };
  const t = text.trim().replace(/^\[(.*)\]$/, '$1');
  const short: Record<string, string> = {
    'CRS84': CRS84, 'OGC:CRS84': CRS84, 'EPSG:4326': EPSG_4326, 'EPSG:4490': EPSG_4490,
    'http://www.opengis.net/def/crs/OGC/0/CRS84': CRS84,
  };
  const uri = short[t.toUpperCase()] ?? short[t] ?? t;
  if (!(SUPPORTED_CRS as readonly string[]).includes(uri)) {
    throw badRequest('ogc.crsNotServed', { parameter, value: text.slice(0, 100), allowed: [...SUPPORTED_CRS] });
  }
  return { uri, latitudeFirst: uri !== CRS84 };
}

/** bbox in the order of bbox-crs (4 or 6 numbers), as CRS84 xmin, ymin, xmax, ymax. */
export function parseBbox(text: string | undefined, crs: CrsChoice): [number, number, number, number] | null {
  if (text === undefined) return null;
  const parts = text.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
    throw badRequest('ogc.bboxNumbers', { parameter: 'bbox', value: text.slice(0, 100) });
  }
  const [a, b, c, d] = parts.length === 4 ? numbers : [numbers[0]!, numbers[1]!, numbers[3]!, numbers[4]!];
  const [xmin, ymin, xmax, ymax] = crs.latitudeFirst ? [b!, a!, d!, c!] : [a!, b!, c!, d!];
  if (ymin < -90 || ymax > 90 || xmin < -180 || xmax > 180) {
    throw badRequest('ogc.bboxRange', { parameter: 'bbox', value: text.slice(0, 100), order: crs.latitudeFirst ? phrase('ogc.latitudeFirst', { crs: crs.uri }) : phrase('ogc.longitudeFirst') });
  }
  if (ymin > ymax) throw badRequest('ogc.bboxLatitudeOrder', { parameter: 'bbox', min: ymin, max: ymax });
  // A box across the antimeridian (xmin > xmax) holds nothing of a Chinese city: refused plainly.
  if (xmin > xmax) throw badRequest('ogc.bboxLongitudeOrder', { parameter: 'bbox', min: xmin, max: xmax });
  return [xmin, ymin, xmax, ymax];
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function instant(text: string, end: 'start' | 'end'): Date {
  if (INSTANT.test(text)) {
    const d = new Date(text);
    if (!Number.isNaN(d.getTime())) return checkedCalendar(text, d);
  }
  if (DATE.test(text)) {
    // A date is a whole China-time day.
    const start = checkedCalendar(text, new Date(`${text}T00:00:00+08:00`));
    return end === 'start' ? start : new Date(start.getTime() + 86_400_000 - 1);
  }
  throw badRequest('ogc.datetimeForm', { parameter: 'datetime', value: text.slice(0, 60) });
}

/** Refuses dates JavaScript would roll over (February 31st, month 13). */
function checkedCalendar(text: string, d: Date): Date {
  const [y, m, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, day));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== day) {
    throw badRequest('ogc.datetimeNotReal', { parameter: 'datetime', value: text.slice(0, 60) });
  }
  return d;
}

/** `datetime`: an instant, a date, or an interval `a/b` whose ends may be open (`..` or empty). */
export function parseDatetime(text: string | undefined, collection: Collection): { from: Date | null; to: Date | null } {
  if (text === undefined) return { from: null, to: null };
  if (!collection.temporal) throw badRequest('ogc.noTime', { parameter: 'datetime', collection: collection.id });
  const parts = text.split('/');
  if (parts.length === 1) {
    if (DATE.test(text)) return { from: instant(text, 'start'), to: instant(text, 'end') };
    const at = instant(text, 'start');
    return { from: at, to: at };
  }
  if (parts.length !== 2) throw badRequest('ogc.datetimeNotInterval', { parameter: 'datetime', value: text.slice(0, 100) });
  const open = (p: string) => p === '' || p === '..';
  if (open(parts[0]!) && open(parts[1]!)) throw badRequest('ogc.intervalOpen', { parameter: 'datetime' });
  const from = open(parts[0]!) ? null : instant(parts[0]!, 'start');
  const to = open(parts[1]!) ? null : instant(parts[1]!, 'end');
  if (from && to && from > to) throw badRequest('ogc.intervalBackwards', { parameter: 'datetime', start: parts[0]!, end: parts[1]! });
  return { from, to };
}

export function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw badRequest('ogc.limit', { parameter: 'limit', value: text.slice(0, 20), max: MAX_LIMIT });
  // Past the maximum the server answers its maximum (OGC API – Features Part 1, 7.15.3).
  return Math.min(Number(text), MAX_LIMIT);
}

export function parseAfter(text: string | undefined, collection: Collection): string | null {
  if (text === undefined) return null;
  const ok = collection.key === 'integer' ? /^\d{1,16}$/.test(text) : /^[0-9]{4,12}$/.test(text);
  if (!ok) throw badRequest('ogc.after', { parameter: 'after', value: text.slice(0, 30), collection: collection.id });
  return text;
}

/** The collection's queryables given as `prop=value`; any other unknown parameter is a 400. */
export function parseFilters(query: Record<string, unknown>, collection: Collection): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const [name, raw] of Object.entries(query)) {
    if ((ITEMS_PARAMETERS as readonly string[]).includes(name)) continue;
    const queryable = collection.queryables[name];
    if (!queryable) {
      const known = [...ITEMS_PARAMETERS, ...Object.keys(collection.queryables)];
      throw badRequest('ogc.unknownParameter', { parameter: name.slice(0, 40), collection: collection.id, known });
    }
    if (typeof raw !== 'string') throw badRequest('ogc.giveOnce', { parameter: name });
    if (queryable.enum && !queryable.enum.includes(raw)) throw badRequest('ogc.notOneOf', { parameter: name, value: raw.slice(0, 60), allowed: [...queryable.enum] });
    if (queryable.pattern && !new RegExp(queryable.pattern).test(raw)) throw badRequest('ogc.notValid', { parameter: name, value: raw.slice(0, 60), what: queryable.title.toLowerCase() });
    filters[name] = raw;
  }
  return filters;
}
