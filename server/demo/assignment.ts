/**
 * Minimum-cost assignment (Hungarian algorithm, O(n²·m)) and capacity-constrained k-means built
 * on it: points are split into groups of prescribed sizes, each group compact around its anchor.
 */
import type { XY } from './geometry.js';

/**
 * Rows → columns assignment minimising total cost; requires rows ≤ columns.
 * Returns, for each row, the index of its column.
 */
export function hungarian(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  if (n === 0) return [];
  const m = cost[0]!.length;
  if (m < n) throw new Error('hungarian: more rows than columns');
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row (1-based) assigned to column j
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(INF);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) result[p[j]! - 1] = j - 1;
  return result;
}

/**
 * Assigns each point to a group so that group g receives exactly `sizes[g][t]` points of type t
 * (`types[i]` is the type of point i) and the sum of squared distances to the group anchors is
 * minimal; anchors then move to the mean of all their points and the assignment is repeated
 * (capacity-constrained k-means). Returns the group of every point and the final anchors.
 */
export function balancedKMeans(
  points: readonly XY[],
  types: readonly number[],
  anchors: readonly XY[],
  sizes: readonly (readonly number[])[],
  iterations: number,
): { groups: number[]; anchors: XY[] } {
  const typeCount = Math.max(0, ...types) + 1;
  const byType: number[][] = Array.from({ length: typeCount }, () => []);
  types.forEach((t, i) => byType[t]!.push(i));
  const slotsByType: number[][] = byType.map((members, t) => {
    const slots: number[] = [];
    sizes.forEach((s, g) => {
      for (let k = 0; k < (s[t] ?? 0); k++) slots.push(g);
    });
    if (slots.length !== members.length) {
      throw new Error(`balancedKMeans: type ${t} has ${members.length} points but ${slots.length} slots`);
    }
    return slots;
  });
  let current = anchors.map((a) => [a[0], a[1]] as XY);
  let groups: number[] = new Array<number>(points.length).fill(-1);
  for (let it = 0; it < iterations; it++) {
    const next = new Array<number>(points.length).fill(-1);
    byType.forEach((members, t) => {
      const slots = slotsByType[t]!;
      // Distances in km keep the costs small and well-conditioned.
      const cost = members.map((i) =>
        slots.map((g) => ((points[i]![0] - current[g]![0]) ** 2 + (points[i]![1] - current[g]![1]) ** 2) / 1e6),
      );
      hungarian(cost).forEach((c, k) => {
        next[members[k]!] = slots[c]!;
      });
    });
    const same = next.every((g, i) => g === groups[i]);
    groups = next;
    const sx = new Float64Array(sizes.length);
    const sy = new Float64Array(sizes.length);
    const sn = new Float64Array(sizes.length);
    points.forEach((p, i) => {
      const g = groups[i]!;
      sx[g]! += p[0];
      sy[g]! += p[1];
      sn[g]! += 1;
    });
    current = current.map((a, g) => (sn[g]! > 0 ? [sx[g]! / sn[g]!, sy[g]! / sn[g]!] : a));
    if (same) break;
  }
  return { groups, anchors: current };
}

/**
 * Makes every group spatially connected where possible. `adjacency[i]` lists the items whose
 * tiles share a boundary with tile i. While some group is in several pieces, applies the swap of
 * two items between two groups (group sizes stay the same), one of them a broken group, that
 * most lowers the score: disconnected pieces weigh most, then compactness (sum of squared
 * distances to the group means, km²) and a small cost per item whose type (`types[i]`) the group
 * does not want (`typeTargets[g][t]`). Swaps that only improve compactness are taken too, so a
 * stray piece can travel towards its group over several swaps. Every swap lowers the score, so
 * the loop ends.
 */
export function repairConnectivity(
  groups: readonly number[],
  adjacency: readonly (readonly number[])[],
  points: readonly XY[],
  types: readonly number[] | null = null,
  typeTargets: readonly (readonly number[])[] | null = null,
  maxSwaps = 200,
): number[] {
  const g = groups.slice();
  const n = g.length;
  const groupCount = Math.max(...g) + 1;
  const members = (k: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (g[i] === k) out.push(i);
    return out;
  };
  const components = (k: number): number => {
    const own = members(k);
    const seen = new Set<number>();
    let count = 0;
    for (const start of own) {
      if (seen.has(start)) continue;
      count++;
      const stack = [start];
      seen.add(start);
      while (stack.length > 0) {
        const i = stack.pop()!;
        for (const j of adjacency[i]!) {
          if (g[j] === k && !seen.has(j)) {
            seen.add(j);
            stack.push(j);
          }
        }
      }
    }
    return count;
  };
  const spread = (k: number): number => {
    const own = members(k);
    if (own.length === 0) return 0;
    let mx = 0;
    let my = 0;
    for (const i of own) {
      mx += points[i]![0];
      my += points[i]![1];
    }
    mx /= own.length;
    my /= own.length;
    let s = 0;
    for (const i of own) s += ((points[i]![0] - mx) ** 2 + (points[i]![1] - my) ** 2) / 1e6;
    return s;
  };
  const mismatch = (k: number): number => {
    if (!types || !typeTargets) return 0;
    const counts = new Array<number>(typeTargets[k]!.length).fill(0);
    for (const i of members(k)) counts[types[i]!]! += 1;
    return counts.reduce((acc, c, t) => acc + Math.abs(c - typeTargets[k]![t]!), 0);
  };
  const score = (k: number): number => components(k) * 1e6 + mismatch(k) * 2 + spread(k);
  for (let swaps = 0; swaps < maxSwaps; swaps++) {
    const broken: number[] = [];
    for (let k = 0; k < groupCount; k++) if (components(k) > 1) broken.push(k);
    if (broken.length === 0) break;
    let best: { a: number; b: number; delta: number } | null = null;
    for (const k of broken) {
      for (const a of members(k)) {
        // Candidate partners: items of another group next to a, or next to group k.
        const partners = new Set<number>();
        for (const j of adjacency[a]!) if (g[j] !== k) partners.add(j);
        for (const i of members(k)) for (const j of adjacency[i]!) if (g[j] !== k) partners.add(j);
        for (const b of [...partners].sort((x, y) => x - y)) {
          const h = g[b]!;
          const before = score(k) + score(h);
          g[a] = h;
          g[b] = k;
          const after = score(k) + score(h);
          g[a] = k;
          g[b] = h;
          const delta = after - before;
          if (delta < -1e-6 && (!best || delta < best.delta)) best = { a, b, delta };
        }
      }
    }
    if (!best) break;
    const ga = g[best.a]!;
    g[best.a] = g[best.b]!;
    g[best.b] = ga;
  }
  return g;
}
