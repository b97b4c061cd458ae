import { describe, expect, it } from 'vitest';
import { validateFeatureValue } from '../src/core/args';
import {
  FEATURE_VALUE_STEPS,
  featurePickItems,
  featureValueItems,
  formatValue,
  OTHER_FEATURE_LABEL,
  OTHER_VALUE_LABEL,
  setFeatureDone,
} from '../src/core/setFeature';

const FEATURES = [
  { id: 841, label: 'concert / band', value: 0.924 },
  { id: 459, label: 'night', value: 0.375 },
];

describe('feature pick', () => {
  it('one item per feature (label, current value), sending the id; then "Other feature by label or id…"', () => {
    const items = featurePickItems(FEATURES);
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ label: 'concert / band', description: 'now 0.92', feature: '841', value: 0.924 });
    expect(items[1]).toMatchObject({ label: 'night', description: 'now 0.38', feature: '459' });
    expect(items[2]).toMatchObject({ label: OTHER_FEATURE_LABEL, other: true });
    expect(items[2].feature).toBeUndefined();
    expect(OTHER_FEATURE_LABEL).toBe('Other feature by label or id…');
  });

  it('with no features (or a missing list) only "Other" is offered; an unlabelled feature is named by id', () => {
    expect(featurePickItems([]).map((i) => i.label)).toEqual([OTHER_FEATURE_LABEL]);
    expect(featurePickItems(undefined).map((i) => i.label)).toEqual([OTHER_FEATURE_LABEL]);
    expect(featurePickItems([{ id: 7, label: '', value: 1 }])[0]).toMatchObject({ label: 'feature 7', feature: '7' });
  });
});

describe('feature value pick', () => {
  it('offers 0, 0.5, 1, 1.5, 2, 3 with their meaning, then "Other value…"', () => {
    const items = featureValueItems();
    expect(items.slice(0, -1).map((i) => i.amount)).toEqual([0, 0.5, 1, 1.5, 2, 3]);
    expect(items.map((i) => i.label)).toEqual(['0', '0.5', '1', '1.5', '2', '3', OTHER_VALUE_LABEL]);
    expect(items[0].description).toBe('off');
    expect(items[2].description).toBe('as strong as in its top examples');
    expect(items[6]).toMatchObject({ other: true, description: 'any number from 0 to 3' });
  });

  it('names the current value in "Other value…" when known', () => {
    expect(featureValueItems(0.924).at(-1)!.description).toBe('now 0.92; any number from 0 to 3');
  });

  it('every offered value passes the typed-value validation', () => {
    for (const s of FEATURE_VALUE_STEPS) expect(validateFeatureValue(formatValue(s.amount))).toBeUndefined();
  });

  it('formats values and status text', () => {
    expect(formatValue(1)).toBe('1');
    expect(formatValue(0.375)).toBe('0.38');
    expect(formatValue(1.5)).toBe('1.5');
    expect(setFeatureDone('night', 0)).toBe('turned off "night"');
    expect(setFeatureDone('concert / band', 1.5)).toBe('set "concert / band" to 1.5');
  });
});
