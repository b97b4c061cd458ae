import { describe, expect, it } from 'vitest';
import { formatAmount, SENTIMENT_STEPS, sentimentPickItems, sentimentVerb } from '../src/core/sentiment';

describe('sentiment steps', () => {
  it('offers exactly the six steps, most negative first', () => {
    expect(SENTIMENT_STEPS.map((s) => s.amount)).toEqual([-2, -1, -0.5, 0.5, 1, 2]);
    expect(SENTIMENT_STEPS.map((s) => s.label)).toEqual([
      'Much more negative',
      'More negative',
      'Slightly more negative',
      'Slightly more positive',
      'More positive',
      'Much more positive',
    ]);
  });

  it('labels quick-pick items with a signed amount', () => {
    const items = sentimentPickItems();
    expect(items[0]).toEqual({ label: 'Much more negative', description: 'sentiment -2', amount: -2 });
    expect(items[3].description).toBe('sentiment +0.5');
  });

  it('formats amounts and verbs', () => {
    expect(formatAmount(1)).toBe('+1');
    expect(formatAmount(-0.5)).toBe('-0.5');
    expect(formatAmount(0)).toBe('0');
    expect(sentimentVerb(-2)).toBe('making much more negative');
    expect(sentimentVerb(0.5)).toBe('making slightly more positive');
    expect(sentimentVerb(1)).toBe('making more positive');
  });
});
