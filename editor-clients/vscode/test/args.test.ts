import { describe, expect, it } from 'vitest';
import {
  applyPatchArgs,
  applyTextArgs,
  blendArgs,
  defaultPatchPath,
  endAfterInsert,
  featureArgs,
  featuresArgs,
  heatmapArgs,
  parseFeatureValue,
  pasteStyleArgs,
  rangeAfterReplace,
  rewriteArgs,
  savePatchArgs,
  selectionArgs,
  slugify,
  toRange,
  UserError,
  validateFeatureName,
  validateFeatureValue,
  validatePatchPath,
  variationsArgs,
} from '../src/core/args';

const uri = 'file:///work/notes.md';
const sel = { start: { line: 2, character: 4 }, end: { line: 3, character: 10 } };

describe('selection arguments', () => {
  it('copies a range-shaped object into plain JSON (no class instances, no extra fields)', () => {
    class Pos {
      constructor(
        public line: number,
        public character: number,
      ) {}
      get extra() {
        return 1;
      }
    }
    const range = toRange({ start: new Pos(1, 2), end: new Pos(1, 5) });
    expect(range).toEqual({ start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
    expect(JSON.parse(JSON.stringify(range))).toEqual(range);
    expect(Object.getPrototypeOf(range.start)).toBe(Object.prototype);
  });

  it('refuses an empty or missing selection with a message for the writer', () => {
    const empty = { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } };
    expect(() => selectionArgs(uri, empty)).toThrow(UserError);
    expect(() => selectionArgs(uri, empty)).toThrow(/Select some text first/);
    expect(() => selectionArgs(uri, undefined)).toThrow(UserError);
  });

  it('orders a backwards range', () => {
    const back = { start: { line: 3, character: 1 }, end: { line: 1, character: 0 } };
    expect(selectionArgs(uri, back).range).toEqual({ start: { line: 1, character: 0 }, end: { line: 3, character: 1 } });
  });
});

describe('refract.rewrite arguments', () => {
  it('builds {uri, range, op, amount} and leaves out absent fields', () => {
    const args = rewriteArgs(uri, sel, 'shorten');
    expect(args).toEqual({ uri, range: sel, op: 'shorten' });
    expect(Object.keys(args)).not.toContain('amount');
    expect(rewriteArgs(uri, sel, 'sentiment', { amount: -0.5 })).toEqual({ uri, range: sel, op: 'sentiment', amount: -0.5 });
  });

  it('passes apply:false through for previews', () => {
    expect(rewriteArgs(uri, sel, 'lengthen', { amount: 2, apply: false })).toMatchObject({ apply: false, amount: 2 });
  });

  it('clamps amounts to the documented -3..3 and rejects non-numbers', () => {
    expect(rewriteArgs(uri, sel, 'sentiment', { amount: 7 }).amount).toBe(3);
    expect(rewriteArgs(uri, sel, 'sentiment', { amount: -9 }).amount).toBe(-3);
    expect(() => rewriteArgs(uri, sel, 'sentiment', { amount: Number.NaN })).toThrow(UserError);
  });

  it('rejects an op the protocol does not list', () => {
    expect(() => rewriteArgs(uri, sel, 'summarise' as never)).toThrow(/Unknown operation/);
  });
});

describe('other commands', () => {
  it('variations: blur radius clamped to 0..2', () => {
    expect(variationsArgs(uri, sel)).toEqual({ uri, range: sel });
    expect(variationsArgs(uri, sel, 5)).toEqual({ uri, range: sel, amount: 2 });
  });

  it('applyText needs the version the preview came from', () => {
    expect(applyTextArgs(uri, sel, 'New text.', 7)).toEqual({ uri, range: sel, text: 'New text.', version: 7 });
    expect(() => applyTextArgs(uri, sel, 'x', undefined as unknown as number)).toThrow(/preview again/);
  });

  it('pasteStyle carries the aspect', () => {
    expect(pasteStyleArgs(uri, sel, 'topic')).toEqual({ uri, range: sel, aspect: 'topic' });
    expect(pasteStyleArgs(uri, sel, 'tone', { amount: 0.5 })).toEqual({ uri, range: sel, aspect: 'tone', amount: 0.5 });
  });

  it('savePatch trims, omits an empty name and validates the path', () => {
    expect(savePatchArgs(uri, sel, ' patches/formal.json ', '  ')).toEqual({ uri, range: sel, path: 'patches/formal.json' });
    expect(savePatchArgs(uri, sel, 'p.json', ' Formal ')).toEqual({ uri, range: sel, path: 'p.json', name: 'Formal' });
    expect(() => savePatchArgs(uri, sel, 'patches/formal.txt')).toThrow(/JSON/);
  });

  it('applyPatch, features and heatmap', () => {
    expect(applyPatchArgs(uri, sel, '/p/formal.json')).toEqual({ uri, range: sel, path: '/p/formal.json' });
    expect(featuresArgs(uri, sel)).toEqual({ uri, range: sel });
    expect(heatmapArgs(uri)).toEqual({ uri });
    expect(heatmapArgs(uri, ' formality ')).toEqual({ uri, feature: 'formality' });
    expect(heatmapArgs(uri, '')).toEqual({ uri });
  });
});

describe('blend and set-feature arguments', () => {
  it('blend is refract.pasteStyle with aspect "blend" and the copied passage\'s weight', () => {
    expect(blendArgs(uri, sel, 0.25)).toEqual({ uri, range: sel, aspect: 'blend', amount: 0.25 });
    expect(blendArgs(uri, sel, 0.75, { apply: false })).toEqual({ uri, range: sel, aspect: 'blend', amount: 0.75, apply: false });
  });

  it('blend weights outside 0..1 (or not numbers) are refused before the server is asked', () => {
    expect(blendArgs(uri, sel, 0).amount).toBe(0);
    expect(blendArgs(uri, sel, 1).amount).toBe(1);
    expect(() => blendArgs(uri, sel, 1.5)).toThrow(UserError);
    expect(() => blendArgs(uri, sel, -0.1)).toThrow(/between 0 and 1/);
    expect(() => blendArgs(uri, sel, Number.NaN)).toThrow(UserError);
    expect(() => blendArgs(uri, undefined, 0.5)).toThrow(/Select some text first/);
  });

  it('feature is refract.rewrite {uri, range, op: "feature", feature, amount}, the name trimmed', () => {
    expect(featureArgs(uri, sel, ' concert / band ', 1.5)).toEqual({ uri, range: sel, op: 'feature', feature: 'concert / band', amount: 1.5 });
    expect(featureArgs(uri, sel, '841', 0)).toEqual({ uri, range: sel, op: 'feature', feature: '841', amount: 0 });
    expect(featureArgs(uri, sel, '841', 3, { apply: false })).toMatchObject({ amount: 3, apply: false });
  });

  it('feature: an empty name or a value outside 0..3 is a UserError', () => {
    expect(() => featureArgs(uri, sel, '  ', 1)).toThrow(/feature label/);
    expect(() => featureArgs(uri, sel, 'night', 3.5)).toThrow(/between 0 and 3/);
    expect(() => featureArgs(uri, sel, 'night', -1)).toThrow(UserError);
    expect(() => featureArgs(uri, sel, 'night', Number.NaN)).toThrow(UserError);
  });

  it('parses and validates typed feature values', () => {
    expect(parseFeatureValue(' 1.5 ')).toBe(1.5);
    expect(parseFeatureValue('0,5')).toBe(0.5);
    expect(parseFeatureValue('.5')).toBe(0.5);
    expect(parseFeatureValue('2.')).toBe(2);
    expect(parseFeatureValue('')).toBeUndefined();
    expect(parseFeatureValue('abc')).toBeUndefined();
    expect(parseFeatureValue('1e2')).toBeUndefined();
    expect(parseFeatureValue('Infinity')).toBeUndefined();
    for (const ok of ['0', '1', '0.5', '3', '2.75']) expect(validateFeatureValue(ok), ok).toBeUndefined();
    for (const bad of ['', 'x', '-0.5', '3.01', '10']) expect(validateFeatureValue(bad), bad).toMatch(/between 0 and 3.*0 turns the feature off.*1 is as strong/);
    expect(validateFeatureName('night')).toBeUndefined();
    expect(validateFeatureName(' ')).toMatch(/feature label.*feature id/);
  });
});

describe('patch paths', () => {
  it('slugifies names for the default path', () => {
    expect(slugify('Formal Letter!')).toBe('formal-letter');
    expect(slugify('Café au lait')).toBe('cafe-au-lait');
    expect(slugify('***')).toBe('style');
    expect(defaultPatchPath('My Blog Voice')).toBe('patches/my-blog-voice.json');
    expect(defaultPatchPath('')).toBe('patches/style.json');
    expect(defaultPatchPath(undefined)).toBe('patches/style.json');
  });

  it('validates typed paths', () => {
    expect(validatePatchPath('patches/a.json')).toBeUndefined();
    expect(validatePatchPath('')).toMatch(/Enter a path/);
    expect(validatePatchPath('patches/a.yaml')).toMatch(/\.json/);
  });
});

describe('ranges after an edit', () => {
  it('single-line text ends on the same line', () => {
    expect(endAfterInsert({ line: 4, character: 2 }, 'Short.')).toEqual({ line: 4, character: 8 });
  });
  it('multi-line text ends on a later line, at the last line\'s length', () => {
    expect(endAfterInsert({ line: 4, character: 2 }, 'One.\nTwo three.')).toEqual({ line: 5, character: 10 });
    expect(endAfterInsert({ line: 0, character: 0 }, 'a\r\nbc')).toEqual({ line: 1, character: 2 });
  });
  it('counts UTF-16 units like LSP', () => {
    expect(endAfterInsert({ line: 0, character: 0 }, 'a😀b')).toEqual({ line: 0, character: 4 });
    expect(rangeAfterReplace({ line: 1, character: 1 }, 'xy')).toEqual({ start: { line: 1, character: 1 }, end: { line: 1, character: 3 } });
  });
});
