/**
 * The coverage API calls, typed with the server's own schemas.
 */
import type { CandidatePoint, CandidatesUpload, CoverageResult, Level, Population, Scenario, SitingJob, SitingRequest } from '../../../server/modules/coverage/schemas';
import type { GridCollection } from '../../../server/modules/grids/schemas';
import type { SourceCrs } from '../../../server/shared/coordinates';
import { api, formWithFile, saveBlob } from '../api/client';
import type { AreaCollection } from '../api/endpoints';
import { bboxOf, type BBox } from '../map/geometry';

export type { CandidatePoint, CandidatesUpload, CoverageResult, Level, Population, Scenario, SitingJob, SitingRequest, SourceCrs };
export type CoverageWithGaps = CoverageResult & { gaps: NonNullable<CoverageResult['gaps']> };
export type AreaRow = CoverageResult['grids'][number];
export type SitingResult = NonNullable<SitingJob['result']>;
export type Proposal = NonNullable<Scenario['proposals']>[number];

/**
 * Figures and gaps for the map: stations and buildings come from the vector tiles, so the gaps
 * carry only what is not in them (uncovered building ids, gap areas, proposed and removed stations).
 */
export const fetchCoverage = (scenario: Scenario, signal?: AbortSignal) =>
  api.post<CoverageWithGaps>('/api/coverage/analysis', scenario, { signal, query: { gaps: 'map' } });

/**
 * The box of one street, community or grid, to frame it (it may be off screen, where no tile is
 * loaded): asked among its parent's children only, never the whole level.
 */
export async function fetchAreaBounds(level: Exclude<Level, 'district'>, code: string, parentCode: string | null, signal?: AbortSignal): Promise<BBox | null> {
  if (!parentCode) return null;
  if (level === 'grid') {
    const grids = await api.get<GridCollection>('/api/grids', { query: { community: parentCode }, signal });
    const grid = grids.features.find((f) => f.properties.code === code);
    return grid ? bboxOf([grid.geometry]) : null;
  }
  const areas = await api.get<AreaCollection>('/api/areas', { query: { level, parent: parentCode }, signal });
  const area = areas.features.find((f) => f.properties.code === code);
  return area?.geometry ? bboxOf([area.geometry]) : null;
}

export const startSiting = (request: SitingRequest) => api.post<SitingJob>('/api/coverage/siting', request);
export const fetchSitingJob = (id: string, signal?: AbortSignal) => api.get<SitingJob>(`/api/coverage/siting/${id}`, { signal });

/** Reads a candidate list: each point with its row (a label only when the row named it), and each row that could not be read. */
export const uploadCandidates = (file: File, sourceCrs: SourceCrs) =>
  api.post<CandidatesUpload>('/api/coverage/candidates', formWithFile(file), { query: { sourceCrs } });

/** Posts the scenario and saves the workbook the server returns, as `fileName`. */
export async function downloadExcel(scenario: Scenario, fileName: string): Promise<void> {
  const { blob } = await api.download('/api/coverage/export', { body: scenario, fallbackName: fileName });
  saveBlob(blob, fileName);
}
