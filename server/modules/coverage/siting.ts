/**
 * Where to build next: maximal covering location. Each candidate site reaches a set of the
 * buildings nobody reaches yet; choose k sites that together reach the most people.
 *
 * - `greedyMaximalCovering`: k rounds, each taking the site that adds the most people not yet
 *   reached (by the existing stations or the earlier picks). The classic guarantee is at least
 *   1 − 1/e ≈ 63% of the optimum; on real layouts it is usually far closer, which
 *   `exhaustiveMaximalCovering` measures.
 * - `exhaustiveMaximalCovering`: the true optimum for small k by searching every combination,
 *   with branch and bound (a site never adds more than it reaches alone, so a branch whose best
 *   possible total cannot beat the best found is skipped) and a work limit.
 *
 * Pure and synchronous; sets are arrays of building indices into `weights`.
 */

export interface CandidateSet {
  /** Index of the candidate in the caller's list. */
  candidate: number;
  /** Indices (into weights) of the not-yet-covered buildings the site would reach. */
  buildings: Int32Array;
}

export interface GreedyPick {
  candidate: number;
  addedWeight: number;
  addedBuildings: number;
}

export function greedyMaximalCovering(sets: CandidateSet[], weights: ArrayLike<number>, k: number, onRound?: (round: number) => void): GreedyPick[] {
  const covered = new Uint8Array(weights.length);
  const used = new Uint8Array(sets.length);
  const picks: GreedyPick[] = [];
  for (let round = 0; round < k; round++) {
    let best = -1;
    let bestGain = 0;
    let bestBuildings = 0;
    for (let s = 0; s < sets.length; s++) {
      if (used[s]) continue;
      const members = sets[s]!.buildings;
      let gain = 0;
      let count = 0;
      for (let i = 0; i < members.length; i++) {
        const b = members[i]!;
        if (!covered[b]) {
          gain += weights[b]!;
          count += 1;
        }
      }
      // Ties: the site reaching more buildings, then the earlier candidate (deterministic).
      if (gain > bestGain || (gain === bestGain && gain > 0 && count > bestBuildings)) {
        best = s;
        bestGain = gain;
        bestBuildings = count;
      }
    }
    if (best < 0) break; // nothing left that any site could add
    used[best] = 1;
    for (const b of sets[best]!.buildings) covered[b] = 1;
    picks.push({ candidate: sets[best]!.candidate, addedWeight: bestGain, addedBuildings: bestBuildings });
    onRound?.(round + 1);
  }
  return picks;
}

export interface ExhaustiveResult {
  bestWeight: number;
  bestCandidates: number[];
  complete: boolean;
  candidatesSearched: number;
  combinationsEvaluated: number;
}

/** Default work limit: set additions before the search gives up (and says so). */
export const EXHAUSTIVE_WORK_LIMIT = 50_000_000;

export function exhaustiveMaximalCovering(
  sets: CandidateSet[],
  weights: ArrayLike<number>,
  k: number,
  options: { initialBest?: { weight: number; candidates: number[] }; workLimit?: number; onProgress?: (done: number, total: number) => void } = {},
): ExhaustiveResult {
  const workLimit = options.workLimit ?? EXHAUSTIVE_WORK_LIMIT;
  // Sites reaching exactly the same buildings are interchangeable: keep one of each.
  const seen = new Set<string>();
  const unique: { candidate: number; buildings: Int32Array; weight: number }[] = [];
  for (const s of sets) {
    let weight = 0;
    for (const b of s.buildings) weight += weights[b]!;
    if (weight <= 0) continue;
    const key = s.buildings.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push({ candidate: s.candidate, buildings: s.buildings, weight });
  }
  unique.sort((a, b) => b.weight - a.weight || a.candidate - b.candidate);
  const n = unique.length;
  const depthMax = Math.min(k, n);

  let bestWeight = options.initialBest?.weight ?? 0;
  let bestCandidates = options.initialBest?.candidates ?? [];
  const coverCount = new Int32Array(weights.length);
  const chosen: number[] = [];
  let work = 0;
  let combinations = 0;
  let aborted = false;

  const add = (i: number): number => {
    let gain = 0;
    const members = unique[i]!.buildings;
    for (let j = 0; j < members.length; j++) {
      const b = members[j]!;
      const before = coverCount[b]!;
      coverCount[b] = before + 1;
      if (before === 0) gain += weights[b]!;
    }
    work += members.length;
    return gain;
  };
  const remove = (i: number) => {
    const members = unique[i]!.buildings;
    for (let j = 0; j < members.length; j++) {
      const b = members[j]!;
      coverCount[b] = coverCount[b]! - 1;
    }
  };

  const search = (start: number, depth: number, value: number) => {
    if (depth === depthMax) {
      combinations += 1;
      if (value > bestWeight) {
        bestWeight = value;
        bestCandidates = chosen.map((c) => unique[c]!.candidate);
      }
      return;
    }
    const left = depthMax - depth;
    for (let i = start; i <= n - left; i++) {
      // Upper bound: the sites from i on are sorted by what they reach alone, which is at
      // least what they can add; if even the best `left` of them cannot beat the best found,
      // neither can any later i.
      let bound = value;
      for (let j = i; j < i + left; j++) bound += unique[j]!.weight;
      if (bound <= bestWeight) return;
      if (work > workLimit) {
        aborted = true;
        return;
      }
      const gain = add(i);
      chosen.push(i);
      search(i + 1, depth + 1, value + gain);
      chosen.pop();
      remove(i);
      if (depth === 0) options.onProgress?.(i + 1, n);
      if (aborted) return;
    }
  };
  search(0, 0, 0);
  return { bestWeight, bestCandidates, complete: !aborted, candidatesSearched: n, combinationsEvaluated: combinations };
}
