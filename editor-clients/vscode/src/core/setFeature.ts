/**
 * The Set Feature command's choices: which feature (from refract.features, or any by label or
 * id) and which value (0..3; 0 turns the feature off, 1 is as strong as in its top examples).
 */
import type { Feature } from './protocol';

export const OTHER_FEATURE_LABEL = 'Other feature by label or id…';
export const OTHER_VALUE_LABEL = 'Other value…';

/** A feature value as shown: at most two decimals, no trailing zeros ("0.92", "1", "0.5"). */
export function formatValue(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export interface FeaturePickItem {
  label: string;
  description?: string;
  detail?: string;
  /** What refract.rewrite gets as `feature`: the id (unambiguous, as a string); absent for "Other". */
  feature?: string;
  /** The feature's current value in the selection (same scale as the value to set). */
  value?: number;
  other?: true;
}

/** One item per feature the selection shows (label, current value), then "Other feature by label or id…". */
export function featurePickItems(features: readonly Feature[] = []): FeaturePickItem[] {
  const items: FeaturePickItem[] = features.map((f) => ({
    label: f.label || `feature ${f.id}`,
    description: `now ${formatValue(f.value)}`,
    feature: String(f.id),
    value: f.value,
  }));
  items.push({ label: OTHER_FEATURE_LABEL, description: 'e.g. "concert / band" or 841', other: true });
  return items;
}

export interface FeatureValueStep {
  amount: number;
  meaning: string;
}

export const FEATURE_VALUE_STEPS: readonly FeatureValueStep[] = [
  { amount: 0, meaning: 'off' },
  { amount: 0.5, meaning: 'half as strong as in its top examples' },
  { amount: 1, meaning: 'as strong as in its top examples' },
  { amount: 1.5, meaning: 'one and a half times as strong' },
  { amount: 2, meaning: 'twice as strong' },
  { amount: 3, meaning: 'three times as strong' },
];

export interface FeatureValueItem {
  label: string;
  description: string;
  amount?: number;
  other?: true;
}

/** The values 0, 0.5, 1, 1.5, 2, 3, then "Other value…"; `current` (if known) is named in the last item. */
export function featureValueItems(current?: number): FeatureValueItem[] {
  const items: FeatureValueItem[] = FEATURE_VALUE_STEPS.map((s) => ({
    label: formatValue(s.amount),
    description: s.meaning,
    amount: s.amount,
  }));
  const now = current === undefined || !Number.isFinite(current) ? '' : `now ${formatValue(current)}; `;
  items.push({ label: OTHER_VALUE_LABEL, description: `${now}any number from 0 to 3`, other: true });
  return items;
}

/** What the status bar says after setting a feature. */
export function setFeatureDone(name: string, amount: number): string {
  return amount === 0 ? `turned off "${name}"` : `set "${name}" to ${formatValue(amount)}`;
}
