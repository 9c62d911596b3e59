/**
 * The coverage run (figures and gaps for a scenario) and the siting run (k new sites), put
 * together from the repository's queries and the pure aggregation and covering logic.
 */
import { badRequest } from '../../shared/errors.js';
import { aggregateTallies, populationOf, TARGETS, uncoveredPeopleOf, type BuildingCoverageRow } from './aggregate.js';
import type { CoverageRepository, ResolvedScenario } from './coverage-repository.js';
import type { CandidatePoint, CoverageResult, GapDetail, Scenario, SitingRequest, SitingResult } from './schemas.js';
import { exhaustiveMaximalCovering, greedyMaximalCovering, type CandidateSet } from './siting.js';

/** Exhaustive comparison is offered up to this k (the number of combinations grows as n^k). */
export const MAX_EXHAUSTIVE_K = 3;

export type Progress = (stage: string, done: number, total: number) => void;

export function createCoverageService(repo: CoverageRepository) {
  async function figures(s: ResolvedScenario, withUncoveredIds: boolean) {
    const started = performance.now();
    const [tallies, places, countingFacilities, root] = await Promise.all([repo.coverageTallies(s, withUncoveredIds, s.method), repo.places(), repo.countingFacilityCount(s), repo.root()]);
    const top = root.level ? { level: root.level, code: root.code, name: root.name } : undefined;
    const aggregated = aggregateTallies(tallies, places, s.population, top);
    const result: Omit<CoverageResult, 'gaps'> = {
      population: s.population,
      facilityTypes: s.facilityTypes as CoverageResult['facilityTypes'],
      targets: TARGETS,
      countingFacilities,
      proposals: s.proposals.length,
      removed: s.removedFacilityIds.length,
      district: aggregated.district,
      districts: aggregated.districts,
      streets: aggregated.streets,
      communities: aggregated.communities,
      grids: aggregated.grids,
      distanceMethod: s.method,
      distanceNote: s.methodNote,
      elapsedMs: 0,
    };
    return { result, tallies, started };
  }

  return {
    resolve: (scenario: Scenario, where?: string) => repo.resolveScenario(scenario, where),

    /** Figures only (for the export and the benchmark). */
    async analyse(scenario: Scenario): Promise<Omit<CoverageResult, 'gaps'>> {
      const { result, started } = await figures(await repo.resolveScenario(scenario), false);
      return { ...result, elapsedMs: Math.round(performance.now() - started) };
    },

    /**
     * The same scenario measured both ways, side by side per street (and for the district): how
     * much the circle overstates what people can reach on foot. 400 when no network can be used.
     */
    async compareMethods(scenario: Scenario) {
      const network = await figures(await repo.resolveScenario({ ...scenario, distance: 'network' }), false);
      const circle = await figures(await repo.resolveScenario({ ...scenario, distance: 'straight_line' }), false);
      const pair = (n: { code: string; name: string; population: number; covered: number; share: number | null }, c: { covered: number; share: number | null } | undefined) => ({
        code: n.code,
        name: n.name,
        population: n.population,
        networkCovered: n.covered,
        networkShare: n.share,
        straightLineCovered: c?.covered ?? 0,
        straightLineShare: c?.share ?? null,
        /** Percentage points the circle adds over the walk. */
        overstatement: n.share !== null && c?.share !== null && c?.share !== undefined ? c.share - n.share : null,
      });
      const circleStreets = new Map(circle.result.streets.map((st) => [st.code, st]));
      return {
        facilityTypes: scenario.facilityTypes,
        population: scenario.population,
        district: pair(network.result.district, circle.result.district),
        streets: network.result.streets.map((st) => pair(st, circleStreets.get(st.code))),
      };
    },

    /** Figures and the gap layers, as JSON text (the layers are GeoJSON built in PostGIS). */
    async analyseWithGapsAsText(scenario: Scenario, detail: GapDetail = 'full'): Promise<string> {
      const s = await repo.resolveScenario(scenario);
      const { result, tallies, started } = await figures(s, true);
      const uncovered = tallies
        .flatMap((t) => {
          const people = uncoveredPeopleOf(t, s.population);
          return t.uncovered_ids.map((id, i) => ({ id: Number(id), gridId: t.grid_id, gridCode: t.grid_code, communityCode: t.community_code, people: Number(people[i]) }));
        })
        .sort((a, b) => a.id - b.id);
      const gaps = await repo.gapsAsText(s, uncovered, detail);
      const head = JSON.stringify({ ...result, elapsedMs: Math.round(performance.now() - started) });
      const ids = JSON.stringify(uncovered.map((b) => b.id));
      const people = JSON.stringify(uncovered.map((b) => b.people));
      const points = gaps.uncoveredBuildings === null ? '' : `"uncoveredBuildings":${gaps.uncoveredBuildings},`;
      return (
        `${head.slice(0, -1)},"gaps":{"uncoveredBuildingIds":${ids},"uncoveredBuildingPopulation":${people},${points}` +
        `"uncoveredAreas":${gaps.uncoveredAreas},"serviceAreas":${gaps.serviceAreas},"facilities":${gaps.facilities}}}`
      );
    },

    /** Checks a siting request before a job is started for it (400s come back at once). */
    async prepareSiting(request: SitingRequest): Promise<ResolvedScenario> {
      if (request.candidates === 'uploaded' && !(request.candidatePoints?.length)) {
        throw badRequest('coverage.candidatesRequired');
      }
      if (request.compareExhaustive && request.k > MAX_EXHAUSTIVE_K) {
        throw badRequest('coverage.exhaustiveTooLarge', { max: MAX_EXHAUSTIVE_K, k: request.k });
      }
      return repo.resolveScenario(request.scenario, 'body/scenario');
    },

    async site(request: SitingRequest, s: ResolvedScenario, progress: Progress): Promise<SitingResult> {
      const started = performance.now();
      progress('coverage', 0, 1);
      const buildings = await repo.buildingCoverage(s, s.method);
      const radius = await repo.typeRadius(request.facilityType, s.method);
      progress('coverage', 1, 1);

      const candidates: CandidatePoint[] =
        request.candidates === 'uploaded' ? request.candidatePoints! : await repo.candidates(request.candidates);

      // Only uncovered buildings with someone of the chosen population matter.
      const weightOf = (b: BuildingCoverageRow) => populationOf(b, s.population);
      const wanted = buildings.filter((b) => !b.covered && weightOf(b) > 0);
      const indexOfBuilding = new Map(wanted.map((b, i) => [b.id, i]));
      const weights = Int32Array.from(wanted, weightOf);
      const totalPopulation = buildings.reduce((sum, b) => sum + weightOf(b), 0);
      const baseCovered = buildings.reduce((sum, b) => sum + (b.covered ? weightOf(b) : 0), 0);

      const cover = await repo.candidateCover(candidates, radius, wanted.map((b) => b.id), (done, total) => progress('candidates', done, total), 400, s.method);
      const sets: CandidateSet[] = [...cover.entries()].map(([candidate, ids]) => ({
        candidate,
        buildings: Int32Array.from(ids, (id) => indexOfBuilding.get(id)!),
      }));

      progress('greedy', 0, request.k);
      const picks = greedyMaximalCovering(sets, weights, request.k, (round) => progress('greedy', round, request.k));
      let covered = baseCovered;
      const suggestions = picks.map((p, i) => {
        covered += p.addedWeight;
        const c = candidates[p.candidate]!;
        return {
          rank: i + 1,
          lon: c.lon,
          lat: c.lat,
          label: c.label ?? `${c.lon.toFixed(5)}, ${c.lat.toFixed(5)}`,
          addedCovered: p.addedWeight,
          addedBuildings: p.addedBuildings,
          coveredAfter: covered,
          shareAfter: totalPopulation > 0 ? covered / totalPopulation : null,
        };
      });
      const greedyAdded = covered - baseCovered;

      let exhaustive: SitingResult['exhaustive'] = null;
      if (request.compareExhaustive) {
        const exStarted = performance.now();
        const found = exhaustiveMaximalCovering(sets, weights, request.k, {
          initialBest: { weight: greedyAdded, candidates: picks.map((p) => p.candidate) },
          onProgress: (done, total) => progress('exhaustive', done, total),
        });
        exhaustive = {
          k: request.k,
          greedyAdded,
          optimalAdded: found.bestWeight,
          ratio: found.bestWeight > 0 ? greedyAdded / found.bestWeight : 1,
          complete: found.complete,
          candidatesSearched: found.candidatesSearched,
          combinationsEvaluated: found.combinationsEvaluated,
          elapsedMs: Math.round(performance.now() - exStarted),
        };
      }
      progress('done', 1, 1);
      return {
        k: request.k,
        facilityType: request.facilityType,
        radiusMeters: radius,
        population: s.population,
        candidates: request.candidates,
        candidateCount: candidates.length,
        usefulCandidates: sets.length,
        baseline: { population: totalPopulation, covered: baseCovered, share: totalPopulation > 0 ? baseCovered / totalPopulation : null },
        suggestions,
        totalAdded: greedyAdded,
        exhaustive,
        elapsedMs: Math.round(performance.now() - started),
      };
    },
  };
}
export type CoverageService = ReturnType<typeof createCoverageService>;
