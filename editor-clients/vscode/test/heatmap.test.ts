import { describe, expect, it } from 'vitest';
import {
  alphaAt,
  bucketColour,
  bucketOf,
  colourAt,
  groupByBucket,
  heatDecorations,
  heatHover,
  heatStatus,
  HEAT_BUCKETS,
  normalise,
  rgba,
} from '../src/core/heatmap';
import type { HeatmapResult } from '../src/core/protocol';

const r = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 10 } });
const map: HeatmapResult = {
  feature: 'sentiment',
  label: 'negative … positive',
  min: -1.2,
  max: 0.9,
  sentences: [
    { range: r(0), value: -1.2 },
    { range: r(1), value: 0.9 },
    { range: r(2), value: -0.15 },
  ],
};

describe('heat-map colours', () => {
  it('places values between min and max, clamped, 0.5 for a flat map', () => {
    expect(normalise(-1.2, -1.2, 0.9)).toBe(0);
    expect(normalise(0.9, -1.2, 0.9)).toBe(1);
    expect(normalise(-0.15, -1.2, 0.9)).toBeCloseTo(0.5);
    expect(normalise(5, 0, 1)).toBe(1);
    expect(normalise(0.3, 0.3, 0.3)).toBe(0.5);
    expect(normalise(Number.NaN, 0, 1)).toBe(0.5);
  });

  it('is blue at the low end and red at the high end, orange above the middle', () => {
    const [rl, , bl] = colourAt(0);
    expect(bl).toBeGreaterThan(rl); // blue dominates
    const [rh, gh, bh] = colourAt(1);
    expect(rh).toBeGreaterThan(gh);
    expect(rh).toBeGreaterThan(bh); // red dominates
    const [ro, go, bo] = colourAt(0.75);
    expect([ro, go, bo]).toEqual([249, 115, 22]);
  });

  it('tints the ends more strongly than the middle', () => {
    expect(alphaAt(0)).toBeGreaterThan(alphaAt(0.5));
    expect(alphaAt(1)).toBeGreaterThan(alphaAt(0.5));
    expect(alphaAt(0)).toBeLessThanOrEqual(0.5); // text stays readable
    expect(rgba(0)).toMatch(/^rgba\(37, 99, 235, 0\.44\)$/);
  });

  it('buckets: min in the first, max in the last, distinct colours at the ends', () => {
    expect(bucketOf(-1.2, -1.2, 0.9)).toBe(0);
    expect(bucketOf(0.9, -1.2, 0.9)).toBe(HEAT_BUCKETS - 1);
    expect(bucketOf(-0.15, -1.2, 0.9)).toBe(Math.floor(HEAT_BUCKETS / 2));
    expect(bucketColour(0)).not.toBe(bucketColour(HEAT_BUCKETS - 1));
    expect(bucketColour(0)).toBe(rgba(0));
    expect(bucketColour(HEAT_BUCKETS - 1)).toBe(rgba(1));
  });
});

describe('heat-map decorations', () => {
  it('one decoration per sentence, with its bucket and a hover showing the value', () => {
    const decos = heatDecorations(map);
    expect(decos.map((d) => d.bucket)).toEqual([0, HEAT_BUCKETS - 1, 5]);
    expect(decos[1].range).toEqual(r(1));
    expect(decos[1].hover).toContain('sentiment');
    expect(decos[1].hover).toContain('**+0.90**');
    expect(decos[0].hover).toContain('-1.20');
  });

  it('groups ranges by bucket for one decoration type per colour', () => {
    const groups = groupByBucket(heatDecorations(map));
    expect(groups).toHaveLength(HEAT_BUCKETS);
    expect(groups[0].map((d) => d.value)).toEqual([-1.2]);
    expect(groups[HEAT_BUCKETS - 1].map((d) => d.value)).toEqual([0.9]);
    expect(groups.flat()).toHaveLength(3);
  });

  it('hover and status text', () => {
    expect(heatHover(0.3, { feature: 'formality', label: 'formality', min: 0, max: 1 })).not.toContain('(formality)');
    expect(heatHover(0.3, map)).toContain('(negative … positive)');
    expect(heatStatus(map)).toBe('$(flame) sentiment: 3 sentences');
    expect(heatStatus({ feature: 'x', sentences: [map.sentences[0]] })).toBe('$(flame) x: 1 sentence');
  });
});
