/**
 * What is wrong with a feature's position in a GIS file (its first vertex), as a phrase of the
 * refusal catalogue, so that a feature error or finding quoting it is said in the reader's language
 * (the rules: shared/coordinates.ts `lonLatCodedProblem`, which table rows use directly).
 */
import { lonLatCodedProblem } from '../../shared/coordinates.js';
import type { RefusalCode, RefusalParams } from '../../shared/refusals.js';

export interface PositionPhrase {
  code: RefusalCode;
  params: RefusalParams;
}

/** The first position of GeoJSON coordinates (a point, a line's or an outline's first vertex). */
export function firstPosition(coordinates: unknown): [number, number] | null {
  let c: unknown = coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' ? [c[0], c[1]] : null;
}

/** Why the first position of a polygon's coordinates is not a longitude/latitude, or null. */
export function outlinePositionPhrase(coordinates: unknown): PositionPhrase | null {
  const first = firstPosition(coordinates);
  if (!first) return { code: 'imports.noCoordinates', params: {} };
  const bad = lonLatCodedProblem(first[0], first[1]);
  return bad ? { code: bad.code, params: bad.params } : null;
}
