/** Matching outline features to areas (pure): suffixes, codes, ambiguity, the planner's choices. */
import { describe, expect, it } from 'vitest';
import { chooseFields, matchFeatures, nameWithoutSuffix, type AreaRef } from '../../server/modules/areas/outline-matching.js';
import { classifyCrs } from '../../server/modules/imports/source-crs.js';

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};

const AREAS: AreaRef[] = deepFreeze([
  { code: '410105006001', name: '阳光社区居民委员会', parentCode: '410105006', parentName: '南阳路街道' },
  { code: '410105006007', name: '丰乐社区居民委员会', parentCode: '410105006', parentName: '南阳路街道' },
  { code: '410105007002', name: '丰乐社区居民委员会', parentCode: '410105007', parentName: '南阳新村街道' },
  { code: '410105008201', name: '关虎屯村民委员会', parentCode: '410105008', parentName: '文化路街道' },
]);

describe('nameWithoutSuffix', () => {
  it.each([
    ['阳光社区居民委员会', '阳光'], ['阳光社区居委会', '阳光'], ['阳光社区', '阳光'], ['关虎屯村民委员会', '关虎屯'],
    ['关虎屯村委会', '关虎屯'], ['关虎屯村', '关虎屯'], ['体育社区居民居委会', '体育'], [' 阳光 社区 ', '阳光'], ['社区', '社区'],
  ])('%s → %s', (name, short) => expect(nameWithoutSuffix(name, 'community')).toBe(short));

  it('strips street suffixes at street level only', () => {
    expect(nameWithoutSuffix('南阳路街道办事处', 'street')).toBe('南阳路');
    expect(nameWithoutSuffix('南阳路街道', 'community')).toBe('南阳路街道');
  });
});

describe('matchFeatures', () => {
  const features = deepFreeze([
    { properties: { NAME: '阳光社区', DM: null } },
    { properties: { NAME: '丰乐社区', DM: null } },
    { properties: { NAME: '丰乐', DM: '410105007002' } },
    { properties: { NAME: '关虎屯村', DM: 410105008201 } },
    { properties: { NAME: '不存在', DM: '410105099999' } },
  ]);

  it('chooses the code and name fields from their values', () => {
    expect(chooseFields(['NAME', 'DM'], features, AREAS, 'community')).toEqual({ codeField: 'DM', nameField: 'NAME' });
  });

  it('matches by code, then by name; lists ambiguous names and unknown codes', () => {
    const matches = matchFeatures({ level: 'community', features, areas: AREAS, fields: { codeField: 'DM', nameField: 'NAME' } });
    expect(matches.map((m) => [m.status, m.areaCode, m.by])).toEqual([
      ['matched', '410105006001', 'name-without-suffix'],
      ['ambiguous', null, null],
      ['matched', '410105007002', 'code'],
      ['matched', '410105008201', 'code'],
      ['unmatched', null, null],
    ]);
    expect(matches[1]!.candidates.map((c) => c.code)).toEqual(['410105006007', '410105007002']);
    expect(matches[4]!.note).toMatch(/code 410105099999 is not a/);
  });

  it('makes two features that claim one area both ambiguous, until the planner settles it', () => {
    const twice = deepFreeze([{ properties: { NAME: '阳光社区' } }, { properties: { NAME: '阳光' } }]);
    const fields = { codeField: null, nameField: 'NAME' };
    expect(matchFeatures({ level: 'community', features: twice, areas: AREAS, fields }).map((m) => m.status)).toEqual(['ambiguous', 'ambiguous']);
    const settled = matchFeatures({ level: 'community', features: twice, areas: AREAS, fields, skips: new Set([2]) });
    expect(settled.map((m) => [m.status, m.areaCode])).toEqual([['matched', '410105006001'], ['skipped', null]]);
    const chosen = matchFeatures({ level: 'community', features: twice, areas: AREAS, fields, overrides: new Map([[2, '410105006007']]) });
    expect(chosen.map((m) => [m.status, m.areaCode, m.by])).toEqual([['matched', '410105006001', 'name-without-suffix'], ['matched', '410105006007', 'override']]);
  });
});

describe('classifyCrs', () => {
  it('keeps WGS84 and CGCS2000 longitude/latitude, reprojects their projections', () => {
    expect(classifyCrs('GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]]]', 'f')).toMatchObject({ kind: 'geographic', datum: 'CGCS2000' });
    expect(classifyCrs('PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 114E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000"]]]', 'f')).toMatchObject({ kind: 'projected', datum: 'CGCS2000' });
    expect(classifyCrs('PROJCS["WGS 84 / UTM zone 50N",GEOGCS["WGS 84",DATUM["WGS_1984"]]]', 'f')).toMatchObject({ kind: 'projected', datum: 'WGS84' });
    expect(classifyCrs('(unknown)', 'f')).toEqual({ kind: 'none' });
  });

  it('refuses Xian 1980, Beijing 1954 and unknown datums with the reason', () => {
    expect(() => classifyCrs('PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980",DATUM["Xian_1980"]]]', 'a.zip')).toThrow(/a\.zip: .*Xian 1980 \(西安80\).*7-parameter/);
    expect(() => classifyCrs('GEOGCS["GCS_Beijing_1954",DATUM["Beijing_1954"]]', 'b.zip')).toThrow(/Beijing 1954 \(北京54\)/);
    expect(() => classifyCrs('GEOGCS["ED50",DATUM["European_Datum_1950"]]', 'c.zip')).toThrow(/datum European_Datum_1950/);
  });
});
