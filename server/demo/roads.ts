/**
 * The demo district's synthetic walking network (stated as synthetic in data/PROVENANCE.md):
 * a street lattice, 250 m apart where the town is dense and 1 km apart among the villages, cut by
 * the Wei River (渭河) — crossed only at three bridges — and by the Longhai railway (陇海铁路),
 * crossed only at a few underpasses. Deterministic: no randomness, only the layout's urbanity.
 */
import { PreparedArea, type LocalProjection, type MultiPolygonXY, type XY } from './geometry.js';
import { makeUrbanity } from './layout.js';

export interface DemoRoad {
  /** OpenStreetMap highway value (a road_class code), or 'railway' for the track itself. */
  roadClass: string;
  name: string | null;
  bridge: boolean;
  tunnel: boolean;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
}

/** The river's centre line and the railway, WGS84, west to east. */
const WEI_RIVER: [number, number][] = [[108.50, 34.292], [108.62, 34.300], [108.70, 34.309], [108.78, 34.318], [108.88, 34.330]];
const RAILWAY: [number, number][] = [[108.50, 34.330], [108.64, 34.336], [108.74, 34.343], [108.88, 34.349]];
/** Where the bridges and the underpasses are (longitudes). */
const BRIDGES = [108.648, 108.700, 108.745];
const UNDERPASSES = [108.62, 108.68, 108.715, 108.75, 108.78];

const FINE = 250;
const COARSE_EVERY = 4; // 1 km
const EW_NAMES = ['人民', '文林', '乐育', '渭阳', '世纪', '秦皇', '玉泉', '咸通', '陈杨', '毕塬', '沣河', '北平', '西兰', '朝阳', '胜利', '团结', '渭城', '安谷', '天王', '马泉', '双照', '钓台', '上林', '吴家'];
const NS_NAMES = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十', '二十一', '二十二', '二十三', '二十四', '二十五', '二十六', '二十七', '二十八', '二十九', '三十'];

function crosses(a: XY, b: XY, line: XY[]): boolean {
  for (let i = 0; i < line.length - 1; i++) {
    const c = line[i]!;
    const d = line[i + 1]!;
    const d1 = (d[0] - c[0]) * (a[1] - c[1]) - (d[1] - c[1]) * (a[0] - c[0]);
    const d2 = (d[0] - c[0]) * (b[1] - c[1]) - (d[1] - c[1]) * (b[0] - c[0]);
    const d3 = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    const d4 = (b[0] - a[0]) * (d[1] - a[1]) - (b[1] - a[1]) * (d[0] - a[0]);
    if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  }
  return false;
}

export function generateRoads(district: MultiPolygonXY, proj: LocalProjection): DemoRoad[] {
  const area = new PreparedArea(district);
  const urbanity = makeUrbanity(proj);
  const river = WEI_RIVER.map((p) => proj.project(p));
  const railway = RAILWAY.map((p) => proj.project(p));
  const bridgesX = BRIDGES.map((lon) => proj.project([lon, 34.31])[0]);
  const underpassX = UNDERPASSES.map((lon) => proj.project([lon, 34.36])[0]);
  const [x0, y0, x1, y1] = [area.bbox[0], area.bbox[1], area.bbox[2], area.bbox[3]];
  const i0 = Math.floor(x0 / FINE);
  const j0 = Math.floor(y0 / FINE);
  const i1 = Math.ceil(x1 / FINE);
  const j1 = Math.ceil(y1 / FINE);
  const roads: DemoRoad[] = [];
  const line = (a: XY, b: XY): DemoRoad['geometry'] => ({ type: 'LineString', coordinates: [proj.unproject(a), proj.unproject(b)] });

  const consider = (a: XY, b: XY, onCoarse: boolean, coarseIndex: number, eastWest: boolean) => {
    const mid: XY = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    if (!area.contains(mid[0], mid[1])) return;
    const u = urbanity(mid);
    if (!onCoarse && u < 0.45) return;
    let bridge = false;
    let tunnel = false;
    if (crosses(a, b, river)) {
      if (eastWest || !onCoarse || !bridgesX.some((x) => Math.abs(x - mid[0]) < FINE * 2)) return;
      bridge = true;
    }
    if (crosses(a, b, railway)) {
      if (eastWest || !onCoarse || !underpassX.some((x) => Math.abs(x - mid[0]) < FINE * 2)) return;
      tunnel = true;
    }
    const urban = u >= 0.45;
    const roadClass = onCoarse ? (urban ? (coarseIndex % 2 === 0 ? 'primary' : 'secondary') : 'unclassified') : 'residential';
    const names = eastWest ? EW_NAMES : NS_NAMES;
    const name = onCoarse
      ? eastWest
        ? `${names[((coarseIndex % names.length) + names.length) % names.length]}路`
        : `${names[((coarseIndex % names.length) + names.length) % names.length]}号街`
      : null;
    roads.push({ roadClass, name: bridge ? `渭河${name ?? ''}大桥` : name, bridge, tunnel, geometry: line(a, b) });
  };

  for (let j = j0; j <= j1; j++) {
    for (let i = i0; i < i1; i++) consider([i * FINE, j * FINE], [(i + 1) * FINE, j * FINE], j % COARSE_EVERY === 0, Math.floor(j / COARSE_EVERY), true);
  }
  for (let i = i0; i <= i1; i++) {
    for (let j = j0; j < j1; j++) consider([i * FINE, j * FINE], [i * FINE, (j + 1) * FINE], i % COARSE_EVERY === 0, Math.floor(i / COARSE_EVERY), false);
  }
  // The railway itself, drawn on the map and not walkable.
  for (let k = 0; k < railway.length - 1; k++) {
    const a = railway[k]!;
    const b = railway[k + 1]!;
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 500));
    for (let m = 0; m < n; m++) {
      const p: XY = [a[0] + ((b[0] - a[0]) * m) / n, a[1] + ((b[1] - a[1]) * m) / n];
      const q: XY = [a[0] + ((b[0] - a[0]) * (m + 1)) / n, a[1] + ((b[1] - a[1]) * (m + 1)) / n];
      if (area.contains((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)) roads.push({ roadClass: 'railway', name: '陇海铁路', bridge: false, tunnel: false, geometry: line(p, q) });
    }
  }
  return roads;
}
