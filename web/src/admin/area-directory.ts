/**
 * Street and community names for work areas (an account's scope is a 9-digit street code or a
 * 12-digit community code). Streets load once; a street's communities load when first needed.
 * Areas without an outline are listed too: a fresh install has its codes before its outlines.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchAreas } from '../api/endpoints';
import { fetchChildAreas } from '../api/security';
import { useApi } from '../api/useApi';

export interface AreaItem {
  code: string;
  name: string;
}

/** The street a street or community code belongs to (its first 9 digits). */
export const streetOf = (code: string) => code.slice(0, 9);

export interface AreaDirectory {
  /** null while loading. */
  streets: AreaItem[] | null;
  /** Communities and villages by street code, for the streets loaded so far. */
  communities: Readonly<Record<string, AreaItem[]>>;
  loadCommunities(streetCode: string): void;
  error: unknown;
  /** "name" when known, else the code itself. */
  nameOf(code: string): string;
}

export function useAreaDirectory(): AreaDirectory {
  const streetReply = useApi((signal) => fetchAreas('street', signal, { withoutOutline: true }), []);
  const [communities, setCommunities] = useState<Record<string, AreaItem[]>>({});
  const [communityError, setCommunityError] = useState<unknown>(null);
  const requested = useRef(new Set<string>());

  const loadCommunities = useCallback((streetCode: string) => {
    if (!/^[0-9]{9}$/.test(streetCode) || requested.current.has(streetCode)) return;
    requested.current.add(streetCode);
    fetchChildAreas('community', streetCode).then(
      (collection) => setCommunities((known) => ({ ...known, [streetCode]: collection.features.map((f) => ({ code: f.properties.code, name: f.properties.name })) })),
      (failure: unknown) => {
        requested.current.delete(streetCode);
        setCommunityError(failure);
      },
    );
  }, []);

  const streets = streetReply.data ? streetReply.data.features.map((f) => ({ code: f.properties.code, name: f.properties.name })) : null;
  const nameOf = (code: string) => {
    if (code.length === 9) return streets?.find((s) => s.code === code)?.name ?? code;
    return communities[streetOf(code)]?.find((c) => c.code === code)?.name ?? code;
  };
  return { streets, communities, loadCommunities, error: streetReply.error ?? communityError, nameOf };
}

/**
 * A name for each of `codes` ("street · community" for a community), loading what is needed.
 * Falls back to the code while loading or when the area is unknown.
 */
export function useAreaNames(areas: AreaDirectory, codes: readonly string[]): (code: string) => string {
  const { loadCommunities } = areas;
  const needed = [...new Set(codes.filter((code) => code.length === 12).map(streetOf))].sort().join(',');
  useEffect(() => {
    for (const street of needed.split(',')) if (street) loadCommunities(street);
  }, [needed, loadCommunities]);
  return (code: string) => (code.length === 12 ? `${areas.nameOf(streetOf(code))} · ${areas.nameOf(code)}` : areas.nameOf(code));
}
