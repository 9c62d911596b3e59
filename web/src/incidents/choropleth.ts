/**
 * The per-grid figures of the filter (from /api/incidents/by-grid) as the choropleth draws them:
 * per grid from the zoom where grid tiles begin, summed per community and per street below it
 * (grid codes begin with their community's code, which begins with its street's). Each level has
 * its own quantile breaks, and each drawn unit a feature state ({cls, hot}) joined to the tiles
 * by code: a new filter changes these states, never the geometry.
 */
import type { ByGridReply } from './api';
import { quantileBreaks } from './colours';

export type GridMeasure = 'count' | 'per1000';
export type ChoroplethLevel = 'street' | 'community' | 'grid';

/** Grid tiles begin at this zoom (the grids layer's minzoom). */
export const GRID_MIN_ZOOM = 11;
/** Communities are in the area tiles from this zoom; streets below it. */
export const COMMUNITY_MIN_ZOOM = 10;

export function levelAt(zoom: number): ChoroplethLevel {
  return zoom >= GRID_MIN_ZOOM ? 'grid' : zoom >= COMMUNITY_MIN_ZOOM ? 'community' : 'street';
}

export interface UnitFigure {
  count: number;
  residents: number;
  /** Incidents per 1,000 residents; null without residents. */
  per1000: number | null;
  /** Grids only: the Gi* z-score and class. */
  z: number | null;
  hotspotClass: number;
}

export interface LevelFigures {
  figures: Map<string, UnitFigure>;
  /** Quantile breaks of the chosen measure at this level (4 inner breaks, 5 classes). */
  breaks: number[];
}

export type Choropleth = Record<ChoroplethLevel, LevelFigures>;

const CODE_LENGTH: Record<Exclude<ChoroplethLevel, 'grid'>, number> = { community: 12, street: 9 };

export function buildChoropleth(reply: ByGridReply | null, measure: GridMeasure): Choropleth {
  const grid = new Map<string, UnitFigure>();
  const sums = { community: new Map<string, { count: number; residents: number }>(), street: new Map<string, { count: number; residents: number }>() };
  for (const g of reply?.grids ?? []) {
    grid.set(g.code, { count: g.count, residents: g.residents, per1000: g.per1000, z: g.z, hotspotClass: g.hotspotClass });
    for (const level of ['community', 'street'] as const) {
      const code = g.code.slice(0, CODE_LENGTH[level]);
      const sum = sums[level].get(code) ?? { count: 0, residents: 0 };
      sum.count += g.count;
      sum.residents += g.residents;
      sums[level].set(code, sum);
    }
  }
  const summed = (level: 'community' | 'street') =>
    new Map(
      [...sums[level]].map(([code, s]) => [code, { ...s, per1000: s.residents > 0 ? (s.count * 1000) / s.residents : null, z: null, hotspotClass: 0 }] as const),
    );
  const withBreaks = (figures: Map<string, UnitFigure>): LevelFigures => ({
    figures,
    breaks: quantileBreaks([...figures.values()].map((f) => (measure === 'count' ? f.count : f.per1000))),
  });
  return { grid: withBreaks(grid), community: withBreaks(summed('community')), street: withBreaks(summed('street')) };
}

/** The class (0…4) of a value; -1 for no value (a unit without residents, per 1,000). */
export function classOf(value: number | null, breaks: readonly number[]): number {
  if (value === null) return -1;
  let k = 0;
  while (k < breaks.length && value > breaks[k]!) k++;
  return k;
}

export function measureOf(figure: UnitFigure, measure: GridMeasure): number | null {
  return measure === 'count' ? figure.count : figure.per1000;
}

/** Feature states of the grid tiles: choropleth class and Gi* class, by grid code. */
export function gridStates(choropleth: Choropleth, measure: GridMeasure): Map<string, { cls: number; hot: number }> {
  const { figures, breaks } = choropleth.grid;
  return new Map([...figures].map(([code, f]) => [code, { cls: classOf(measureOf(f, measure), breaks), hot: f.hotspotClass }]));
}

/** Feature states of the area tiles: the choropleth class of each community and street, by code. */
export function areaStates(choropleth: Choropleth, measure: GridMeasure): Map<string, { cls: number }> {
  const states = new Map<string, { cls: number }>();
  for (const level of ['community', 'street'] as const) {
    const { figures, breaks } = choropleth[level];
    for (const [code, f] of figures) states.set(code, { cls: classOf(measureOf(f, measure), breaks) });
  }
  return states;
}
