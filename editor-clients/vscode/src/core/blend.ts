/** The weights offered in the Blend with Copied Passage quick pick, least of the copied passage first. */
export interface BlendWeight {
  label: string;
  amount: number;
}

export const BLEND_WEIGHTS: readonly BlendWeight[] = [
  { label: 'A touch', amount: 0.25 },
  { label: 'Half way', amount: 0.5 },
  { label: 'Mostly the copied passage', amount: 0.75 },
];

export interface BlendPickItem {
  label: string;
  description: string;
  amount: number;
}

export function blendPickItems(): BlendPickItem[] {
  return BLEND_WEIGHTS.map((w) => ({ label: w.label, description: `copied passage's weight ${w.amount}`, amount: w.amount }));
}

/** What the status bar says after a blend ("blended a quarter of the way …"). */
export function blendDone(amount: number): string {
  return `blended ${Math.round(amount * 100)}% toward the copied passage`;
}
