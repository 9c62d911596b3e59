/** Colour scales of the analyst's map (RGBA), shared by the layers and their legends. */
export type Rgba = [number, number, number, number];

/** Yellow → dark red, light to heavy. */
export const HEAT_COLOURS: [number, number, number][] = [
  [255, 255, 178],
  [254, 217, 118],
  [254, 178, 76],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
];

/**
 * The heatmap's fixed colour domain (deck.gl scales it per metre of the weight texture when
 * aggregating by SUM), so that a colour means the same density in every part of the map and does
 * not re-stretch to whatever is in view.
 */
export const HEAT_COLOUR_DOMAIN: [number, number] = [0.02, 3];

const SEQUENTIAL: Rgba[] = [
  [239, 243, 255, 200],
  [189, 215, 231, 210],
  [107, 174, 214, 220],
  [49, 130, 189, 230],
  [8, 81, 156, 240],
];

/** Hexagon fill by its share of the largest count (square root, so small counts still show). */
export function hexColour(count: number, max: number): Rgba {
  if (max <= 0) return SEQUENTIAL[0]!;
  const k = Math.min(SEQUENTIAL.length - 1, Math.floor(Math.sqrt(count / max) * SEQUENTIAL.length));
  return SEQUENTIAL[k]!;
}

export const CLASS_COLOURS: Rgba[] = [
  [254, 240, 217, 190],
  [253, 204, 138, 200],
  [252, 141, 89, 210],
  [227, 74, 51, 220],
  [179, 0, 0, 230],
];

/** Quantile breaks (4 inner breaks for 5 classes) of the non-null values. */
export function quantileBreaks(values: (number | null)[]): number[] {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  return [0.2, 0.4, 0.6, 0.8].map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
}

/** Gi* classes: −3..+3 → cold 99/95/90, none, hot 90/95/99. Not significant is transparent. */
export const HOTSPOT_COLOURS: Record<number, Rgba> = {
  [-3]: [33, 102, 172, 220],
  [-2]: [103, 169, 207, 210],
  [-1]: [209, 229, 240, 200],
  0: [0, 0, 0, 0],
  1: [253, 219, 199, 200],
  2: [239, 138, 98, 210],
  3: [178, 24, 43, 220],
};

export const css = (c: Rgba | [number, number, number]) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c.length === 4 ? (c[3] / 255).toFixed(2) : 1})`;

/** Single incidents by top-level category (ColorBrewer Dark2: tells six classes apart in print too). */
export const CATEGORY_COLOURS: Record<string, string> = {
  dispute: '#7570b3',
  safety_hazard: '#d95f02',
  public_order: '#e7298a',
  sanitation: '#1b9e77',
  street_order: '#66a61e',
  livelihood: '#e6ab02',
};

/** Single incidents by closed-loop status: warm while waiting, cool while in hand, green when closed. */
export const STATUS_COLOURS: Record<string, string> = {
  reported: '#d73027',
  accepted: '#f46d43',
  dispatched: '#fdae61',
  handling: '#74add1',
  verifying: '#4575b4',
  closed: '#1a9850',
  returned: '#8c8c8c',
};

export const UNKNOWN_COLOUR = '#555555';
/** Ring of an open incident past its deadline. */
export const OVERDUE_COLOUR = '#b2182b';
/** Circles of the incident counts (below single-incident zoom) and single incidents in other views. */
export const COUNT_COLOUR = '#1f4e8c';
