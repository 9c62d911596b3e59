/**
 * The covering logic on its own (no database): greedy is not always optimal, and the exhaustive
 * search finds the better pair where it is not; ties and exhausted candidates behave.
 */
import { describe, expect, it } from 'vitest';
import { exhaustiveMaximalCovering, greedyMaximalCovering, type CandidateSet } from '../../server/modules/coverage/siting.js';

const set = (candidate: number, buildings: number[]): CandidateSet => Object.freeze({ candidate, buildings: Int32Array.from(buildings) });

describe('maximal covering', () => {
  // Six buildings of one person each. A reaches four; B and C three each, disjoint: B + C is the best pair.
  const weights = Object.freeze([1, 1, 1, 1, 1, 1]);
  const sets = Object.freeze([set(0, [0, 1, 2, 3]), set(1, [0, 1, 4]), set(2, [2, 3, 5])]);

  it('greedy takes the biggest set first and ends one short of the optimum', () => {
    const picks = greedyMaximalCovering([...sets], weights, 2);
    expect(picks.map((p) => p.candidate)).toEqual([0, 1]);
    expect(picks.map((p) => p.addedWeight)).toEqual([4, 1]);
  });

  it('the exhaustive search finds B + C (6 people): greedy is at 5/6 of it here', () => {
    const found = exhaustiveMaximalCovering([...sets], weights, 2, { initialBest: { weight: 5, candidates: [0, 1] } });
    expect(found).toMatchObject({ bestWeight: 6, complete: true });
    expect([...found.bestCandidates].sort()).toEqual([1, 2]);
  });

  it('weights count people, not buildings', () => {
    const heavy = [10, 1, 1, 1, 1, 1];
    const picks = greedyMaximalCovering([...sets], heavy, 1);
    expect(picks[0]).toEqual({ candidate: 0, addedWeight: 13, addedBuildings: 4 });
  });

  it('stops when nothing more can be added, and reports an unfinished search', () => {
    expect(greedyMaximalCovering([set(0, [0]), set(1, [0])], [5], 3)).toHaveLength(1);
    const many = Array.from({ length: 60 }, (_, i) => set(i, [i % 7, (i * 3) % 11, (i * 5) % 13]));
    const w = Array.from({ length: 13 }, () => 1);
    const limited = exhaustiveMaximalCovering(many, w, 3, { workLimit: 10 });
    expect(limited.complete).toBe(false);
  });
});
