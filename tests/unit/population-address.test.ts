/**
 * The register's address normaliser on real-looking variants: full-width digits, 号楼/栋/幢/楼,
 * Chinese numerals, units, spaces — each must reach the same key as the building's own name.
 */
import { describe, expect, it } from 'vitest';
import { buildingAddressKey, chineseNumeral, communityKey, parseUnit, splitBuildingAddress } from '../../server/modules/population/address.js';

const C = '410105006001';

describe('address normaliser', () => {
  it.each([
    ['锦华小区3号楼'],
    ['锦华小区3栋'],
    ['锦华小区3幢'],
    ['锦华小区3楼'],
    ['锦华小区三号楼'],
    ['锦华小区３号楼'],
    ['锦华小区 3 号楼'],
    ['锦华小区　３栋'],
    ['锦华 3号楼'],
    ['锦华小区3号楼2单元'],
    ['锦华小区3号楼 二单元 301'],
    ['锦华小区3'],
    ['锦华小区03号楼'],
    ['锦华小区3#'],
  ])('%s is 锦华小区 building 3', (text) => {
    expect(splitBuildingAddress(text)).toEqual({ compound: '锦华', building: '3' });
    expect(buildingAddressKey(C, text)).toBe(buildingAddressKey(C, '锦华小区3号楼'));
  });

  it.each([
    ['十二号楼', '12'],
    ['二十栋', '20'],
    ['二十三幢', '23'],
    ['一百零五号楼', '105'],
    ['一〇五号楼', '105'],
    ['12号楼', '12'],
    ['１２栋', '12'],
    ['Ａ座', 'A座'],
  ])('building %s is number %s', (text, number) => {
    const split = splitBuildingAddress(text);
    expect(split.building || split.compound).toBe(number);
  });

  it('keeps different buildings and compounds apart', () => {
    expect(buildingAddressKey(C, '锦华小区3号楼')).not.toBe(buildingAddressKey(C, '锦华小区13号楼'));
    expect(buildingAddressKey(C, '锦华小区3号楼')).not.toBe(buildingAddressKey(C, '锦华苑3号楼'));
    expect(buildingAddressKey(C, '锦华小区3号楼')).not.toBe(buildingAddressKey('410105006002', '锦华小区3号楼'));
  });

  it('reads units and Chinese numerals', () => {
    expect(parseUnit('2单元')).toBe('2');
    expect(parseUnit('二单元')).toBe('2');
    expect(parseUnit('２')).toBe('2');
    expect(chineseNumeral('十')).toBe(10);
    expect(chineseNumeral('十一')).toBe(11);
    expect(chineseNumeral('九十九')).toBe(99);
    expect(chineseNumeral('小区')).toBeNull();
  });

  it('takes a community name with or without 社区 / 居委会', () => {
    expect(communityKey('杨光社区')).toBe(communityKey('杨光'));
    expect(communityKey('杨光社区居委会')).toBe(communityKey('杨光'));
    expect(communityKey(' 杨光 社区 ')).toBe(communityKey('杨光'));
    expect(communityKey('杨光社区')).not.toBe(communityKey('西彩社区'));
  });
});
