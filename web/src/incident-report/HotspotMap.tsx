/**
 * The report's hotspot map as an SVG image: the grids coloured by their Gi* class, the areas one
 * level down outlined and named, with a legend, a scale bar, a north arrow and the period, so a
 * printed page carries everything needed to read it. Longitude/latitude are drawn in a local
 * equirectangular projection (metres east and north of the map's centre, x scaled by cos φ),
 * true to well under 1% over a district.
 */
import { useTranslation } from 'react-i18next';
import { css, HOTSPOT_COLOURS } from '../incidents/colours';
import type { ReportReply } from './api';

const W = 680;
const H = 610;
const MAP_H = 520;
const PAD = 12;
const EARTH_RADIUS_METERS = 6_371_008.8;
const NOT_SIGNIFICANT = 'rgb(236, 236, 236)';

type Geometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

const polygonsOf = (g: unknown): number[][][][] => {
  const geometry = g as Geometry | null;
  if (!geometry) return [];
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
};

function niceLength(meters: number): number {
  const p = 10 ** Math.floor(Math.log10(meters));
  for (const m of [5, 2, 1]) if (m * p <= meters) return m * p;
  return p;
}

export function HotspotMap({ hotspots, caption, dateLine }: { hotspots: ReportReply['hotspots']; caption: string; dateLine: string }) {
  const { t } = useTranslation();
  const rings = [...hotspots.grids, ...hotspots.areas].flatMap((f) => polygonsOf(f.geometry)).flat();
  const points = rings.flat();
  if (points.length === 0) return null;
  const lons = points.map((p) => p[0]!);
  const lats = points.map((p) => p[1]!);
  const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const lat0 = ((minLat + maxLat) / 2) * (Math.PI / 180);
  const mx = (lon: number) => ((lon - minLon) * Math.PI) / 180 * EARTH_RADIUS_METERS * Math.cos(lat0);
  const my = (lat: number) => ((maxLat - lat) * Math.PI) / 180 * EARTH_RADIUS_METERS;
  const widthMeters = Math.max(1, mx(maxLon));
  const heightMeters = Math.max(1, my(minLat));
  const scale = Math.min((W - 2 * PAD) / widthMeters, (MAP_H - 2 * PAD) / heightMeters);
  const ox = (W - widthMeters * scale) / 2;
  const oy = (MAP_H - heightMeters * scale) / 2;
  const path = (g: unknown) =>
    polygonsOf(g)
      .flatMap((poly) => poly.map((ring) => ring.map((p, k) => `${k === 0 ? 'M' : 'L'}${(ox + mx(p[0]!) * scale).toFixed(1)},${(oy + my(p[1]!) * scale).toFixed(1)}`).join('') + 'Z'))
      .join('');
  const labelAt = (g: unknown) => {
    const ring = polygonsOf(g).sort((a, b) => b[0]!.length - a[0]!.length)[0]?.[0] ?? [];
    const n = Math.max(1, ring.length);
    return [ox + (ring.reduce((s, p) => s + mx(p[0]!), 0) / n) * scale, oy + (ring.reduce((s, p) => s + my(p[1]!), 0) / n) * scale];
  };
  const barMeters = niceLength(widthMeters / 5);
  const barPx = barMeters * scale;
  const classes = [3, 2, 1, 0, -1, -2, -3];
  return (
    <svg className="report-map" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${t('incidentReport.hotspotMap')} · ${caption}`}>
      <rect x={0} y={0} width={W} height={MAP_H} className="report-map__frame" />
      {hotspots.grids.map((g) => (
        <path
          key={g.code}
          d={path(g.geometry)}
          fill={g.hotspotClass === 0 ? NOT_SIGNIFICANT : css(HOTSPOT_COLOURS[g.hotspotClass]!)}
          className="report-map__grid"
        >
          <title>{`${g.name} ${g.code}: ${g.count}`}</title>
        </path>
      ))}
      {hotspots.areas.map((a) => (
        <path key={a.code} d={path(a.geometry)} className="report-map__area" />
      ))}
      {hotspots.areas.map((a) => {
        const [x, y] = labelAt(a.geometry);
        return (
          <text key={a.code} x={x} y={y} textAnchor="middle" className="report-map__label">
            {a.name}
          </text>
        );
      })}
      {/* North arrow */}
      <g transform={`translate(${W - 36}, 30)`} className="report-map__north">
        <path d="M0,-18 L8,8 L0,3 L-8,8 Z" />
        <text y={22} textAnchor="middle">
          {t('incidentReport.north')}
        </text>
      </g>
      {/* Scale bar */}
      <g transform={`translate(${PAD + 6}, ${MAP_H - 18})`} className="report-map__scale">
        <rect x={0} y={0} width={barPx / 2} height={6} className="report-map__scale-dark" />
        <rect x={barPx / 2} y={0} width={barPx / 2} height={6} className="report-map__scale-light" />
        <text x={0} y={-4}>
          0
        </text>
        <text x={barPx} y={-4} textAnchor="middle">
          {barMeters >= 1000 ? `${barMeters / 1000} km` : `${barMeters} m`}
        </text>
      </g>
      {/* Legend */}
      <g transform={`translate(0, ${MAP_H + 12})`} className="report-map__legend">
        {classes.map((cls, k) => (
          <g key={cls} transform={`translate(${(k % 4) * 165}, ${Math.floor(k / 4) * 18})`}>
            <rect x={0} y={0} width={14} height={12} fill={cls === 0 ? NOT_SIGNIFICANT : css(HOTSPOT_COLOURS[cls]!)} className="report-map__swatch" />
            <text x={19} y={10}>
              {cls === 0 ? t('incidentReport.notSignificant') : t(cls > 0 ? 'incidentReport.hot' : 'incidentReport.cold', { level: [0, 90, 95, 99][Math.abs(cls)] })}
            </text>
          </g>
        ))}
        <text x={0} y={52} className="report-map__caption">
          {caption}
        </text>
        <text x={0} y={70} className="report-map__caption">
          {dateLine}
        </text>
      </g>
    </svg>
  );
}
