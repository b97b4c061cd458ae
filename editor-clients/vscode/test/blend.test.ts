import { describe, expect, it } from 'vitest';
import { BLEND_WEIGHTS, blendDone, blendPickItems } from '../src/core/blend';
import { blendArgs } from '../src/core/args';

describe('blend weights', () => {
  it('offers a touch, half way and mostly the copied passage', () => {
    expect(BLEND_WEIGHTS.map((w) => [w.label, w.amount])).toEqual([
      ['A touch', 0.25],
      ['Half way', 0.5],
      ['Mostly the copied passage', 0.75],
    ]);
  });

  it('quick-pick items carry the weight, shown in the description', () => {
    expect(blendPickItems()[1]).toEqual({ label: 'Half way', description: "copied passage's weight 0.5", amount: 0.5 });
  });

  it('every offered weight is one the server accepts (0..1)', () => {
    const sel = { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } };
    for (const w of BLEND_WEIGHTS) expect(blendArgs('file:///a.md', sel, w.amount).amount).toBe(w.amount);
  });

  it('says how far it blended', () => {
    expect(blendDone(0.25)).toBe('blended 25% toward the copied passage');
    expect(blendDone(0.75)).toBe('blended 75% toward the copied passage');
  });
});
