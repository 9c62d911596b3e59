/**
 * Register addresses and building addresses brought to one form so that they can be matched.
 *
 * A register row names community, compound (小区), building (楼栋), unit (单元) and room; a
 * building in Wangge has a name or an address such as 锦华小区3号楼. Matching is by the address
 * down to the building, inside the community: the compound and building number. Rooms never take
 * part (a building is matched, not a flat), and units are parsed off (a building has several).
 *
 * Normalised means: full-width characters as ASCII (NFKC), no white space, ASCII letters in upper
 * case, 号楼/号/栋/幢/楼/座 after the building number all alike, Chinese numerals (三号楼, 十二栋)
 * as digits, a trailing 小区 dropped from the compound.
 */

const CHINESE_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十二 → 12, 二十 → 20, 一百零五 → 105; null for anything else. */
export function chineseNumeral(text: string): number | null {
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(text)) return null;
  if (!/[十百]/.test(text)) {
    // Digit by digit (一〇五 = 105).
    let n = 0;
    for (const c of text) n = n * 10 + CHINESE_DIGITS[c]!;
    return n;
  }
  let total = 0;
  let digit = 0;
  for (const c of text) {
    if (c === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (c === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else {
      digit = CHINESE_DIGITS[c]!;
    }
  }
  return total + digit;
}

/** Full-width to ASCII, no white space, letters in upper case. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

const NUMBER = '([0-9]+|[零〇一二两三四五六七八九十百]+)';
const UNIT_TAIL = new RegExp(`${NUMBER}单元.*$`);
const BUILDING_WITH_SUFFIX = new RegExp(`^(.*?)${NUMBER}(?:号楼|号|栋|幢|楼|座|#)$`);
const BUILDING_BARE_DIGITS = /^(.*?[^0-9-])?([0-9]+)$/;

const asNumber = (text: string) => (/^[0-9]+$/.test(text) ? String(Number(text)) : String(chineseNumeral(text)));

/** A unit (2单元, 二单元, 2) as its number, or the normalised text when it has none. */
export function parseUnit(text: string): string {
  const t = normaliseText(text);
  const m = new RegExp(`^${NUMBER}(?:单元)?$`).exec(t);
  return m ? asNumber(m[1]!) : t;
}

export interface BuildingAddress {
  /** The compound, normalised, without a trailing 小区 ('' when the text names none). */
  compound: string;
  /** The building number as digits, or the rest of the text when it ends in no number. */
  building: string;
}

/**
 * Splits an address down to the building — 锦华小区3号楼, 锦华小区 三号楼 2单元, 锦华小区3 — into
 * compound and building number. Works the same on a register's compound and building cells put
 * together and on a building's name, so that either side may hold the compound.
 */
export function splitBuildingAddress(text: string): BuildingAddress {
  let t = normaliseText(text);
  t = t.replace(UNIT_TAIL, '');
  const withSuffix = BUILDING_WITH_SUFFIX.exec(t);
  if (withSuffix) return { compound: compoundKey(withSuffix[1] ?? ''), building: asNumber(withSuffix[2]!) };
  const bare = BUILDING_BARE_DIGITS.exec(t);
  if (bare) return { compound: compoundKey(bare[1] ?? ''), building: String(Number(bare[2])) };
  return { compound: compoundKey(t), building: '' };
}

function compoundKey(text: string): string {
  return text.replace(/[-_·,，、]+$/, '').replace(/小区$/, '');
}

/** The normalised address key of a building in a community (what assignments are stored under). */
export function buildingAddressKey(communityCode: string, text: string): string {
  const { compound, building } = splitBuildingAddress(text);
  return `${communityCode}|${compound}|${building}`;
}

/** A community name as a register writes it: 杨光社区, 杨光社区居委会, 杨光 all alike. */
export function communityKey(name: string): string {
  return normaliseText(name).replace(/(社区居民委员会|居民委员会|社区居委会|居委会|社区)$/, '');
}
