import { useEffect, useMemo, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { BasemapSettings } from './basemap';
import type { BBox } from './geometry';
import { MapView, type MapUiStrings } from './MapView';

/**
 * Creates a MapView in `containerRef` once the basemap settings are known, and removes it on
 * unmount. The returned view is null until then. `title` is the map's accessible name (already
 * translated); the control buttons' names follow the language.
 */
export function useMapView(
  containerRef: RefObject<HTMLElement | null>,
  basemap: BasemapSettings | null,
  title: string,
  /** Where the map opens (read when it is made), e.g. the view remembered from the last visit. */
  opening?: { bounds: BBox; padding: number },
): MapView | null {
  const { t } = useTranslation();
  const uiStrings: MapUiStrings = useMemo(
    () => ({ title, zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), resetBearing: t('map.resetBearing') }),
    [title, t],
  );
  const [view, setView] = useState<MapView | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!basemap || !container) return;
    const created = new MapView(container, { basemap, uiStrings, initialBounds: opening?.bounds, initialPadding: opening?.padding });
    setView(created);
    return () => {
      setView(null);
      created.destroy();
    };
    // The UI strings are applied below without rebuilding the map.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [containerRef, basemap?.tiandituKey, basemap?.styleUrl, basemap !== null]);

  useEffect(() => {
    view?.setUiStrings(uiStrings);
  }, [view, uiStrings.title, uiStrings.zoomIn, uiStrings.zoomOut, uiStrings.resetBearing]);

  return view;
}
