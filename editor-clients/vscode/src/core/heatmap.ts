/**
 * Heat-map colours: a sentence's value between the map's min and max becomes a background
 * colour, blue for low through grey to orange and red for high. Decorations in VS Code have
 * one style per decoration type, so values are put into a fixed number of buckets, one
 * decoration type each. Pure.
 */
import type { HeatmapResult, Range } from './protocol';

export const HEAT_BUCKETS = 11;

type RGB = readonly [number, number, number];

/** Colour stops along 0..1 (low..high). */
const STOPS: ReadonlyArray<readonly [number, RGB]> = [
  [0, [37, 99, 235]], // blue
  [0.5, [148, 163, 184]], // slate grey
  [0.75, [249, 115, 22]], // orange
  [1, [220, 38, 38]], // red
];

/** Where `value` sits between min and max, clamped to 0..1; 0.5 when the map is flat. */
export function normalise(value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(min) || !Number.isFinite(max) || max <= min) return 0.5;
  return Math.min(1, Math.max(0, (value - min) / (max - min)));
}

export function colourAt(t: number): RGB {
  const x = Math.min(1, Math.max(0, t));
  for (let i = 1; i < STOPS.length; i++) {
    const [t1, c1] = STOPS[i];
    const [t0, c0] = STOPS[i - 1];
    if (x <= t1) {
      const f = (x - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k] + (c1[k] - c0[k]) * f)) as unknown as RGB;
    }
  }
  return STOPS[STOPS.length - 1][1];
}

/** Stronger tint toward either end, faint in the middle, so text stays readable. */
export function alphaAt(t: number): number {
  return Math.round((0.14 + 0.3 * Math.abs(2 * Math.min(1, Math.max(0, t)) - 1)) * 100) / 100;
}

export function rgba(t: number): string {
  const [r, g, b] = colourAt(t);
  return `rgba(${r}, ${g}, ${b}, ${alphaAt(t)})`;
}

export function bucketOf(value: number, min: number, max: number, buckets = HEAT_BUCKETS): number {
  return Math.min(buckets - 1, Math.floor(normalise(value, min, max) * buckets));
}

/** Colour of a bucket: the colour at the bucket's centre. */
export function bucketColour(bucket: number, buckets = HEAT_BUCKETS): string {
  return rgba(buckets === 1 ? 0.5 : bucket / (buckets - 1));
}

export function signed(v: number, digits = 2): string {
  const s = v.toFixed(digits);
  return v > 0 ? `+${s}` : s;
}

/** Hover text of one sentence's decoration (Markdown). */
export function heatHover(value: number, map: Pick<HeatmapResult, 'feature' | 'label' | 'min' | 'max'>): string {
  const label = map.label && map.label !== map.feature ? ` (${map.label})` : '';
  return `**Refract heat map**: ${map.feature}${label} = **${signed(value)}**  \nthis document: ${signed(map.min)} … ${signed(map.max)}`;
}

export interface HeatDecoration {
  bucket: number;
  range: Range;
  value: number;
  hover: string;
}

/** Decorations for a heat-map result, one per sentence, with its colour bucket. */
export function heatDecorations(map: HeatmapResult, buckets = HEAT_BUCKETS): HeatDecoration[] {
  return map.sentences.map((s) => ({
    bucket: bucketOf(s.value, map.min, map.max, buckets),
    range: s.range,
    value: s.value,
    hover: heatHover(s.value, map),
  }));
}

/** Groups decorations by bucket: index i holds the ranges to draw with bucket i's colour. */
export function groupByBucket(decorations: HeatDecoration[], buckets = HEAT_BUCKETS): HeatDecoration[][] {
  const groups: HeatDecoration[][] = Array.from({ length: buckets }, () => []);
  for (const d of decorations) groups[d.bucket].push(d);
  return groups;
}

/** Status-bar text while the heat map is on. */
export function heatStatus(map: Pick<HeatmapResult, 'feature' | 'sentences'>): string {
  return `$(flame) ${map.feature}: ${map.sentences.length} sentence${map.sentences.length === 1 ? '' : 's'}`;
}
