/**
 * Seeded random numbers for the demo generator. Every random draw of the generator goes through
 * an Rng made here (seedrandom's Alea algorithm), never Math.random, so that the same seed gives
 * the same dataset. Each stage forks its own stream (`fork('grids')`), so that changing how many
 * numbers one stage draws does not shift the numbers of the others.
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to its (non-negative) weight. */
  weightedIndex(weights: readonly number[]): number;
  /** Standard normal draw scaled to mean and sd (Box–Muller, two uniforms per draw). */
  normal(mean?: number, sd?: number): number;
  /** Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[];
  /** An independent stream derived from this stream's seed and a label. */
  fork(label: string): Rng;
}

export function createRng(seed: string): Rng {
  const prng = seedrandom.alea(seed);
  const next = (): number => prng();
  const rng: Rng = {
    next,
    float: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weightedIndex: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      if (!(total > 0)) throw new Error('weightedIndex needs a positive total weight');
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      // Floating-point leftovers: the last index with a positive weight.
      for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
      return weights.length - 1;
    },
    normal: (mean = 0, sd = 1) => {
      const u = 1 - next(); // (0, 1]
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffled: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = out[i]!;
        out[i] = out[j]!;
        out[j] = t;
      }
      return out;
    },
    fork: (label) => createRng(`${seed}/${label}`),
  };
  return rng;
}

/**
 * Repeated weighted draws from a fixed list of weights: cumulative sums plus binary search.
 */
export class WeightedSampler {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0)) throw new Error(`negative or NaN weight at ${i}`);
      sum += w;
      this.cumulative[i] = sum;
    }
    if (!(sum > 0)) throw new Error('WeightedSampler needs a positive total weight');
    this.total = sum;
  }

  draw(rng: Rng): number {
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * Splits an integer total into integer parts proportional to the weights (largest remainder
 * method; ties go to the lower index). The parts always sum to exactly `total`.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`apportion: bad total ${total}`);
  const n = weights.length;
  if (n === 0) {
    if (total === 0) return [];
    throw new Error('apportion: no parts for a positive total');
  }
  let sum = 0;
  for (const w of weights) {
    if (!(w >= 0)) throw new Error('apportion: negative or NaN weight');
    sum += w;
  }
  const quotas = weights.map((w) => (sum > 0 ? (total * w) / sum : total / n));
  const parts = quotas.map((q) => Math.floor(q));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((q, i) => ({ i, r: q - Math.floor(q) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) parts[order[k]!.i]! += 1;
  return parts;
}

/**
 * Like `apportion`, but no part exceeds its cap (caps must sum to at least the total).
 * Excess is handed on, in proportion to the weights, to the parts that still have room.
 */
export function apportionCapped(total: number, weights: readonly number[], caps: readonly number[]): number[] {
  const capSum = caps.reduce((a, b) => a + b, 0);
  if (capSum < total) throw new Error(`apportionCapped: caps ${capSum} below total ${total}`);
  const parts = new Array<number>(weights.length).fill(0);
  let left = total;
  for (let round = 0; left > 0 && round < 50; round++) {
    const open = weights.map((w, i) => (parts[i]! < caps[i]! ? Math.max(w, 1e-9) : 0));
    const add = apportion(left, open);
    left = 0;
    for (let i = 0; i < parts.length; i++) {
      const room = caps[i]! - parts[i]!;
      const a = Math.min(add[i]!, room);
      parts[i]! += a;
      left += add[i]! - a;
    }
  }
  // Rare leftovers after many rounds: fill any remaining room in index order.
  for (let i = 0; left > 0 && i < parts.length; i++) {
    const a = Math.min(left, caps[i]! - parts[i]!);
    parts[i]! += a;
    left -= a;
  }
  return parts;
}
