/**
 * Which column of a file holds which field — one table of names and one matcher for every
 * import (grids, buildings, grid figures, facilities, incidents, staff). Bureaus name columns in
 * Chinese, in pinyin initials or in English, and a Shapefile's dBase table keeps at most ten
 * bytes of a name, so GDAL shortens `residents60Plus` to `residents6` and `dedicatedKind` to
 * `dedicatedK`. A column is found
 *   1. by its name, compared without case, spaces, underscores, hyphens, brackets, "+" and
 *      colons (full-width forms folded), against each field's names; else
 *   2. when its name is as long as a dBase name can be (9–10 bytes) and begins one field's
 *      name, and no other field's: the shortened name is unambiguous.
 * A column is never given to two fields; the user's own choice always wins.
 */

/** Names shared by the imports: figures of people, coordinates, contacts. */
export const COMMON_FIELD_NAMES = {
  households: ['户数', '住户数', '总户数', '实有户数', '户', 'hushu', 'hs', 'households', 'household', 'hh', 'hhs'],
  residents: ['人数', '人口', '人口数', '总人口', '常住人口', '实有人口', '居民人数', '居住人数', 'renshu', 'renkou', 'rk', 'rs', 'residents', 'population', 'pop', 'persons'],
  residents60Plus: ['60岁以上', '60岁及以上', '60岁以上人口', '60岁及以上人口', '60周岁以上', '老年人', '老年人口', '老人', '60', 'age60', '60plus', 'over60', 'residents60plus', 'residents60', 'res60', 'elderly', 'lnrk', 'r60'],
  residents80Plus: ['80岁以上', '80岁及以上', '80岁以上人口', '80岁及以上人口', '80周岁以上', '高龄老人', '高龄', '80', 'age80', '80plus', 'over80', 'residents80plus', 'residents80', 'res80', 'glrk', 'r80'],
  lon: ['经度', 'jd', 'jingdu', 'lon', 'lng', 'long', 'longitude', 'x', 'pointx'],
  lat: ['纬度', 'wd', 'weidu', 'lat', 'latitude', 'y', 'pointy'],
  address: ['地址', '门牌地址', '详细地址', 'dz', 'dizhi', 'address', 'addr'],
  phone: ['电话', '联系电话', '手机', '手机号', 'dh', 'lxdh', 'phone', 'tel', 'telephone', 'mobile'],
} as const satisfies Record<string, readonly string[]>;

export const normalizeFieldName = (name: string) => name.normalize('NFKC').toLowerCase().replace(/[\s_\-()（）+＋:：.]/g, '');

/** A name that may be a dBase name cut short: 9–10 bytes (a cut may fall inside a Chinese character). */
const mayBeShortened = (header: string) => {
  const bytes = Buffer.byteLength(header.trim(), 'utf8');
  return bytes === 10 || (bytes >= 8 && /[^\x00-\x7f]/.test(header));
};

export interface FieldMatch<F extends string> {
  columns: Partial<Record<F, string>>;
  /** Columns found by a shortened name: the field → the column. */
  shortened: Partial<Record<F, string>>;
}

/**
 * Finds each field's column among `headers` (see the top of the file). `chosen` holds the
 * columns the user named (assumed to exist; the caller checks); a field chosen as '' stays
 * unmatched.
 */
export function matchFieldNames<F extends string>(
  headers: readonly string[],
  names: Record<F, readonly string[]>,
  chosen: Partial<Record<F, string>> = {},
): FieldMatch<F> {
  const fields = Object.keys(names) as F[];
  const columns: Partial<Record<F, string>> = {};
  const shortened: Partial<Record<F, string>> = {};
  const taken = new Set<string>();
  for (const field of fields) {
    const named = chosen[field];
    if (named !== undefined) {
      if (named) {
        columns[field] = named;
        taken.add(named);
      }
    }
  }
  const wanted = new Map(fields.map((f) => [f, names[f].map(normalizeFieldName)] as const));
  for (const field of fields) {
    if (field in chosen) continue;
    const set = new Set(wanted.get(field));
    const header = headers.find((h) => !taken.has(h) && set.has(normalizeFieldName(h)));
    if (header !== undefined) {
      columns[field] = header;
      taken.add(header);
    }
  }
  const exactAnywhere = new Set([...wanted.values()].flat());
  for (const header of headers) {
    if (taken.has(header) || !mayBeShortened(header)) continue;
    const key = normalizeFieldName(header);
    if (key.length < 4 || exactAnywhere.has(key)) continue;
    const owners = fields.filter((f) => wanted.get(f)!.some((n) => n.length > key.length && n.startsWith(key)));
    if (owners.length !== 1) continue;
    const field = owners[0]!;
    if (columns[field] !== undefined || field in chosen) continue;
    columns[field] = header;
    shortened[field] = header;
    taken.add(header);
  }
  return { columns, shortened };
}
