/**
 * The map as a PNG for reports: the map canvas as drawn, with a title bar and the share legend
 * painted on (the on-screen legend is HTML and is not part of the canvas). The tile-drawn layers
 * are in the canvas like any other once their tiles are loaded.
 */
import type { MapView } from '../map/MapView';
import { mercatorGeoreference, type Georeference } from '../exports/world-file';

export interface ImageLegendItem {
  colour: string;
  label: string;
}

/**
 * The PNG and where it lies: the map's outer corners (unprojected from the canvas edges, in CSS
 * pixels) span the map's image pixels in Web Mercator; the title bar above extends the same
 * pixel grid northwards, so the whole image has one world file.
 */
export async function composeMapImage(view: MapView, title: string, subtitle: string, legend: readonly ImageLegendItem[]): Promise<{ png: Blob; georeference: Georeference }> {
  if (view.map.getBearing() !== 0 || view.map.getPitch() !== 0) throw new Error('the map must be north-up and flat to be georeferenced');
  // The base layers are vector tiles: wait until those in view have arrived and are drawn.
  if (!view.map.loaded() || !view.map.areTilesLoaded()) await new Promise<void>((resolve) => view.map.once('idle', () => resolve()));
  const mapUrl = await view.snapshotPng();
  const mapImage = new Image();
  await new Promise<void>((resolve, reject) => {
    mapImage.onload = () => resolve();
    mapImage.onerror = () => reject(new Error('the map image could not be read'));
    mapImage.src = mapUrl;
  });
  const { clientWidth, clientHeight } = view.map.getCanvas();
  const topLeft = view.map.unproject([0, 0]);
  const bottomRight = view.map.unproject([clientWidth, clientHeight]);
  const scale = mapImage.width / clientWidth || 1;
  const header = Math.round(56 * scale);
  const canvas = document.createElement('canvas');
  canvas.width = mapImage.width;
  canvas.height = mapImage.height + header;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  const font = (px: number, weight = 400) => `${weight} ${Math.round(px * scale)}px 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif`;

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, header);
  ctx.fillStyle = '#1f2328';
  ctx.font = font(18, 600);
  ctx.textBaseline = 'top';
  ctx.fillText(title, 12 * scale, 8 * scale);
  ctx.fillStyle = '#5f6670';
  ctx.font = font(13);
  ctx.fillText(subtitle, 12 * scale, 33 * scale);
  ctx.drawImage(mapImage, 0, header);

  // Legend box, bottom right.
  const row = 20 * scale;
  const boxWidth = 170 * scale;
  const boxHeight = row * legend.length + 12 * scale;
  const x = canvas.width - boxWidth - 12 * scale;
  const y = canvas.height - boxHeight - 36 * scale;
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.fillRect(x, y, boxWidth, boxHeight);
  ctx.font = font(12);
  legend.forEach((item, i) => {
    const top = y + 6 * scale + i * row;
    ctx.fillStyle = item.colour;
    ctx.fillRect(x + 8 * scale, top + 3 * scale, 14 * scale, 12 * scale);
    ctx.fillStyle = '#1f2328';
    ctx.fillText(item.label, x + 28 * scale, top + 2 * scale);
  });

  const georeference = mercatorGeoreference(
    [topLeft.lng, topLeft.lat],
    [bottomRight.lng, bottomRight.lat],
    { width: mapImage.width, height: mapImage.height },
    { width: canvas.width, height: canvas.height, mapTop: header },
  );
  const png = await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'));
  return { png, georeference };
}
