/**
 * Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995) over polygons with binary contiguity
 * weights: w_ij = 1 when j is i itself or a neighbour of i (shares an edge of positive length
 * for 'rook'; also a corner for 'queen'), else 0. With x̄ and S the mean and (population)
 * standard deviation of x over all n units, and W_i = Σ_j w_ij:
 *
 *   Gi* = (Σ_j w_ij x_j − x̄ W_i) / (S · sqrt((n W_i − W_i²) / (n − 1)))
 *
 * (with binary weights Σ w_ij² = W_i). Gi* is a z-score: above +1.645 / +1.960 / +2.576 a hot
 * spot at 90% / 95% / 99% confidence, below the negatives a cold spot. No correction for
 * multiple testing is applied; the UI says so.
 */

export interface GiStarResult {
  z: number | null;
  /** +3/+2/+1 hot spot at 99/95/90%, −1/−2/−3 cold spot, 0 not significant. */
  confidenceClass: -3 | -2 | -1 | 0 | 1 | 2 | 3;
}

export const Z_THRESHOLDS = [
  { z: 2.576, level: 3, confidence: 99 },
  { z: 1.96, level: 2, confidence: 95 },
  { z: 1.645, level: 1, confidence: 90 },
] as const;

/**
 * @param values x_i for each unit
 * @param neighbours for each unit, the indexes of its neighbours (not itself)
 */
export function getisOrdGiStar(values: readonly number[], neighbours: readonly (readonly number[])[]): GiStarResult[] {
  const n = values.length;
  if (neighbours.length !== n) throw new Error(`getisOrdGiStar: ${n} values but ${neighbours.length} neighbour lists`);
  if (n < 2) return values.map(() => ({ z: null, confidenceClass: 0 }));
  let sum = 0;
  let sumSquares = 0;
  for (const x of values) {
    sum += x;
    sumSquares += x * x;
  }
  const mean = sum / n;
  const variance = sumSquares / n - mean * mean;
  const s = Math.sqrt(Math.max(variance, 0));
  return values.map((x, i) => {
    const list = neighbours[i]!;
    let local = x;
    for (const j of list) local += values[j]!;
    const w = list.length + 1;
    const denominator = s * Math.sqrt((n * w - w * w) / (n - 1));
    // All values equal, or a unit neighbouring every other one: Gi* is undefined.
    if (!(denominator > 0)) return { z: null, confidenceClass: 0 };
    const z = (local - mean * w) / denominator;
    return { z, confidenceClass: classify(z) };
  });
}

export function classify(z: number): GiStarResult['confidenceClass'] {
  for (const t of Z_THRESHOLDS) {
    if (z >= t.z) return t.level;
    if (z <= -t.z) return -t.level as -1 | -2 | -3;
  }
  return 0;
}
