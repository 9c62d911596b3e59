/**
 * The Morton arithmetic behind the incident summary tiles (migration 011): codes as SQL's
 * incident_morton computes them, and the ranges of codes that cover a box of zoom-20 cells
 * exactly (each cell once, no cell outside).
 */
import { describe, expect, it } from 'vitest';
import { morton, mortonRanges } from '../../server/modules/tiles/tile-service.js';

describe('Morton codes', () => {
  it('interleaves the bits, x lowest', () => {
    expect(morton(0, 0)).toBe(0n);
    expect(morton(1, 0)).toBe(1n);
    expect(morton(0, 1)).toBe(2n);
    expect(morton(3, 3)).toBe(15n);
    expect(morton(2 ** 20 - 1, 0)).toBe(0x5555555555n);
    expect(morton(0, 2 ** 20 - 1)).toBe(0xaaaaaaaaaan);
  });

  it('puts the cells of a tile of any zoom in one contiguous range', () => {
    // Tile (z 15, x 26279, y 13053): its zoom-20 cells are x·32 … x·32 + 31.
    const codes = [];
    for (let dx = 0; dx < 32; dx++) for (let dy = 0; dy < 32; dy++) codes.push(morton(26279 * 32 + dx, 13053 * 32 + dy));
    codes.sort((a, b) => (a < b ? -1 : 1));
    expect(codes[0]).toBe(morton(26279, 13053) << 10n);
    expect(codes[codes.length - 1]! - codes[0]!).toBe(1023n);
  });
});

describe('ranges of cells covering a box', () => {
  const covered = (ranges: [bigint, bigint][], code: bigint) => ranges.filter(([lo, hi]) => code >= lo && code < hi).length;

  it('covers every cell of the box once and nothing else', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let k = 0; k < 40; k++) {
      const x0 = 500_000 + random(3000);
      const y0 = 300_000 + random(3000);
      const x1 = x0 + random(40);
      const y1 = y0 + random(40);
      const ranges = mortonRanges(x0, y0, x1, y1);
      for (let x = x0 - 2; x <= x1 + 2; x++) {
        for (let y = y0 - 2; y <= y1 + 2; y++) {
          const inside = x >= x0 && x <= x1 && y >= y0 && y <= y1;
          expect(covered(ranges, morton(x, y)), `${x},${y} in ${x0}..${x1} × ${y0}..${y1}`).toBe(inside ? 1 : 0);
        }
      }
    }
  });

  it('takes a zoom-15 tile and the ring around it in few ranges', () => {
    const x = 26279 * 32;
    const y = 13053 * 32;
    const ranges = mortonRanges(x - 1, y - 1, x + 32, y + 32);
    const cells = ranges.reduce((s, [lo, hi]) => s + Number(hi - lo), 0);
    expect(cells).toBe(34 * 34);
    expect(ranges.length).toBeLessThan(150);
  });
});
