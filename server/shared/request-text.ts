/**
 * Text PostgreSQL cannot store: a NUL character (U+0000) in text or jsonb is an error there
 * (22021 / 22P05), so a request carrying one is refused up front with the path of the value.
 */
import type { RefusalCode } from './refusals.js';

/** The path ('body/name', 'body/features/3/properties/名称') of the first string holding a NUL, or null. */
export function nulCharacterPath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterPath(value[i], `${path}/${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return `${path}/${key.replaceAll('\u0000', '\\0')}`;
    const found = nulCharacterPath(inner, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** PostgreSQL errors that a request's values caused: a 400 rather than a 500, with the refusal phrase naming the problem. */
export const INPUT_ERROR_CODES: Record<string, RefusalCode> = {
  '22021': 'input.nul',
  '22P05': 'input.nul',
  '22003': 'input.numberRange',
  '22008': 'input.dateRange',
  '22007': 'input.dateInvalid',
};
