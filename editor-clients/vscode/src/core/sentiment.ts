/** The sentiment steps offered in the Sentiment quick pick, most negative first. */
export interface SentimentStep {
  label: string;
  amount: number;
}

export const SENTIMENT_STEPS: readonly SentimentStep[] = [
  { label: 'Much more negative', amount: -2 },
  { label: 'More negative', amount: -1 },
  { label: 'Slightly more negative', amount: -0.5 },
  { label: 'Slightly more positive', amount: 0.5 },
  { label: 'More positive', amount: 1 },
  { label: 'Much more positive', amount: 2 },
];

/** "+0.5", "-2": the amount as shown next to a step. */
export function formatAmount(amount: number): string {
  const s = Number.isInteger(amount) ? amount.toFixed(0) : String(amount);
  return amount > 0 ? `+${s}` : s;
}

export interface SentimentPickItem {
  label: string;
  description: string;
  amount: number;
}

export function sentimentPickItems(): SentimentPickItem[] {
  return SENTIMENT_STEPS.map((s) => ({ label: s.label, description: `sentiment ${formatAmount(s.amount)}`, amount: s.amount }));
}

/** A word for what a sentiment amount does, for progress and status text. */
export function sentimentVerb(amount: number): string {
  if (amount === 0) return 'keeping sentiment';
  const size = Math.abs(amount) >= 2 ? 'much ' : Math.abs(amount) < 1 ? 'slightly ' : '';
  return `making ${size}more ${amount > 0 ? 'positive' : 'negative'}`;
}
