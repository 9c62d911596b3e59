/**
 * A printable map of one community's grids (for the wall of the community office): drawn on a
 * canvas of its own at A4-landscape proportions, with each grid's code, name and grid leader,
 * the community outline, a legend, a north arrow and a scale bar. No map tiles are needed.
 * Drawn in Web Mercator (EPSG:3857), so that the image comes with an exact world file.
 */
import type { Geometry, Position } from 'geojson';
import type { GridFeature } from './plan-api';
import { labelPoint, TYPE_COLOURS } from './PlanLayers';
import { toWebMercator, type Georeference } from '../exports/world-file';

export interface PrintStrings {
  title: string;
  subtitle: string;
  leader: (name: string | null) => string;
  legendComprehensive: string;
  legendDedicated: string;
  north: string;
  scale: (metres: number) => string;
}

const WIDTH = 1754;
const HEIGHT = 1240;

function rings(geometry: Geometry): Position[][] {
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
}

/** Renders the map: the PNG, and where it lies in Web Mercator (for its world file). */
export async function renderPrintMap(community: Geometry, grids: readonly GridFeature[], strings: PrintStrings): Promise<{ png: Blob; georeference: Georeference }> {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);

  // Web Mercator fitted into the map frame: one scale for x and y (metres of EPSG:3857 per pixel).
  const all = [...rings(community), ...grids.flatMap((g) => rings(g.geometry as Geometry))].flat();
  const projected = all.map((p) => toWebMercator([p[0]!, p[1]!]));
  const xs = projected.map((p) => p[0]);
  const ys = projected.map((p) => p[1]);
  const [west, east, south, north] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const frame = { left: 60, top: 150, width: WIDTH - 120, height: HEIGHT - 260 };
  const scale = Math.min(frame.width / ((east - west) || 1e-3), frame.height / ((north - south) || 1e-3));
  const offsetX = frame.left + (frame.width - (east - west) * scale) / 2;
  const offsetY = frame.top + (frame.height - (north - south) * scale) / 2;
  const project = ([lon, lat]: Position): [number, number] => {
    const [x, y] = toWebMercator([lon!, lat!]);
    return [offsetX + (x - west) * scale, offsetY + (north - y) * scale];
  };
  // Canvas coordinates are pixel edges: x = 0 is the image's left edge, x = WIDTH its right.
  const left = west - offsetX / scale;
  const top = north + offsetY / scale;
  const georeference: Georeference = { width: WIDTH, height: HEIGHT, left, top, right: left + WIDTH / scale, bottom: top - HEIGHT / scale, crs: 'EPSG:3857' };
  const lats = all.map((p) => p[1]!);
  const midLatitude = (Math.min(...lats) + Math.max(...lats)) / 2;
  const path = (geometry: Geometry) => {
    ctx.beginPath();
    for (const ring of rings(geometry)) {
      ring.forEach((p, i) => {
        const [x, y] = project(p);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.closePath();
    }
  };

  ctx.fillStyle = '#1f2a24';
  ctx.font = 'bold 44px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(strings.title, WIDTH / 2, 70);
  ctx.font = '24px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  ctx.fillStyle = '#555f58';
  ctx.fillText(strings.subtitle, WIDTH / 2, 110);

  for (const grid of grids) {
    path(grid.geometry as Geometry);
    ctx.fillStyle = `${TYPE_COLOURS[grid.properties.gridType]}55`;
    ctx.fill('evenodd');
    ctx.strokeStyle = '#37474f';
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  path(community);
  ctx.strokeStyle = '#b71c1c';
  ctx.lineWidth = 4;
  ctx.setLineDash([14, 8]);
  ctx.stroke();
  ctx.setLineDash([]);

  ctx.textAlign = 'center';
  for (const grid of grids) {
    const [x, y] = project(labelPoint(grid.geometry as Geometry));
    const lines = [grid.properties.code, grid.properties.name, strings.leader(grid.properties.gridLeader?.name ?? null)];
    ctx.font = 'bold 22px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
    const widths = lines.map((line) => ctx.measureText(line).width);
    const boxWidth = Math.max(...widths) + 16;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(x - boxWidth / 2, y - 40, boxWidth, 84);
    ctx.fillStyle = '#1f2a24';
    ctx.fillText(lines[0]!, x, y - 14);
    ctx.font = '20px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
    ctx.fillText(lines[1]!, x, y + 12);
    ctx.fillText(lines[2]!, x, y + 36);
  }

  // Legend
  ctx.textAlign = 'left';
  ctx.font = '22px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  [[TYPE_COLOURS.comprehensive, strings.legendComprehensive], [TYPE_COLOURS.dedicated, strings.legendDedicated]].forEach(([colour, label], i) => {
    const x = 60 + i * 260;
    const y = HEIGHT - 60;
    ctx.fillStyle = `${colour}55`;
    ctx.fillRect(x, y - 20, 36, 24);
    ctx.strokeStyle = '#37474f';
    ctx.strokeRect(x, y - 20, 36, 24);
    ctx.fillStyle = '#1f2a24';
    ctx.fillText(label!, x + 46, y);
  });

  // Scale bar: a round number of metres about 1/5 of the frame (Mercator metres × cos φ = ground metres).
  const metresPerPixel = Math.cos((midLatitude * Math.PI) / 180) / scale;
  const target = (frame.width / 5) * metresPerPixel;
  const step = [50, 100, 200, 250, 500, 1000, 2000, 5000].find((m) => m >= target * 0.6) ?? 5000;
  const barPixels = step / metresPerPixel;
  const barX = WIDTH - 80 - barPixels;
  const barY = HEIGHT - 70;
  ctx.fillStyle = '#1f2a24';
  ctx.fillRect(barX, barY, barPixels, 8);
  ctx.textAlign = 'center';
  ctx.fillText(strings.scale(step), barX + barPixels / 2, barY + 34);

  // North arrow
  const nx = WIDTH - 90;
  const ny = 190;
  ctx.beginPath();
  ctx.moveTo(nx, ny - 40);
  ctx.lineTo(nx - 16, ny + 10);
  ctx.lineTo(nx, ny);
  ctx.lineTo(nx + 16, ny + 10);
  ctx.closePath();
  ctx.fill();
  ctx.font = 'bold 24px sans-serif';
  ctx.fillText(strings.north, nx, ny + 40);

  const png = await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))), 'image/png'));
  return { png, georeference };
}
