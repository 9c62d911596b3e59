/**
 * Text PostgreSQL cannot store: a NUL character (U+0000) in text or jsonb is an error there
 * (22021 / 22P05), so a request carrying one is refused up front with the path of the value.
 */

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

/** PostgreSQL errors that a request's values caused: a 400 rather than a 500. */
export const INPUT_ERROR_CODES: Record<string, string> = {
  '22021': 'a text contains a character the database cannot store (NUL)',
  '22P05': 'a text contains a character the database cannot store (NUL)',
  '22003': 'a number is out of range',
  '22008': 'a date or time is out of range',
  '22007': 'a date or time is not valid',
};
