import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/args';
import {
  applyOutcome,
  candidateItems,
  commandResultOutcome,
  copyStyleMessage,
  errorOutcome,
  formatSeconds,
  noPatchesMessage,
  oneLine,
  patchItems,
  absolutePath,
  progressKindFor,
  progressKindForTitle,
  progressText,
  rewriteOutcome,
  savePatchMessage,
} from '../src/core/results';

const rpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

describe('errors', () => {
  it('shows the server\'s InvalidParams message exactly as written', () => {
    const msg = 'the selection has 412 words; Refract rewrites up to 200 at a time';
    expect(errorOutcome(rpcError(-32602, msg))).toEqual({ level: 'error', message: msg });
  });

  it('explains a command the server does not have yet', () => {
    const o = errorOutcome(rpcError(-32602, "Command name 'refract.heatmap' is not defined"));
    expect(o.level).toBe('error');
    expect(o.message).toContain('has no refract.heatmap command yet');
    expect(o.message).toContain('Update the server');
  });

  it('is quiet about cancellation', () => {
    expect(errorOutcome(rpcError(-32800, 'Request cancelled'), 'shortening').level).toBe('silent');
    expect(errorOutcome(rpcError(-32800, 'x'), 'shortening').message).toBe('Refract: shortening was cancelled.');
  });

  it('prefixes other errors and explains a stopped server', () => {
    expect(errorOutcome(rpcError(-32603, 'boom'))).toEqual({ level: 'error', message: 'Refract: boom' });
    expect(errorOutcome(new Error('Client is not running')).message).toMatch(/Restart Server/);
    expect(errorOutcome(new UserError('Select some text first.'))).toEqual({ level: 'error', message: 'Select some text first.' });
    expect(errorOutcome('weird').message).toBe('Refract: weird');
  });
});

describe('rewrite outcomes', () => {
  const result = {
    text: 'Short.',
    candidates: [{ text: 'Short.', score: 0.913, similarity: 0.8, kept: 0.226 }],
    seconds: 0.42,
    version: 7,
    applied: true,
    reason: null,
  };

  it('applied: a status-bar note with time and score', () => {
    expect(rewriteOutcome(result, 'shortened')).toEqual({ level: 'status', message: 'Refract: shortened (0.4 s, score 0.91)' });
  });

  it('not applied with a reason: a warning carrying the server\'s reason', () => {
    const o = rewriteOutcome({ ...result, applied: false, reason: 'the document changed while the rewrite was computing' }, 'shortened');
    expect(o).toEqual({ level: 'warning', message: 'Refract did not change the text: the document changed while the rewrite was computing' });
  });

  it('not applied without a reason (a preview): shows the best candidate', () => {
    expect(rewriteOutcome({ ...result, applied: false, reason: null }, 'x').message).toContain('Short.');
  });

  it('applyText outcomes', () => {
    expect(applyOutcome({ applied: true }).level).toBe('status');
    expect(applyOutcome({ applied: false, reason: 'the document changed' }).message).toBe(
      'Refract did not change the text: the document changed',
    );
    expect(applyOutcome({ applied: false }).message).toMatch(/refused/);
  });
});

describe('items and messages', () => {
  it('candidate items: one-line labels, best marked, full text kept', () => {
    const items = candidateItems([
      { text: 'One.\nTwo.', score: 0.9, similarity: 0.9, kept: 0 },
      { text: 'Three.', score: 0.456, similarity: 0.4, kept: 0.112 },
    ]);
    expect(items[0]).toEqual({ label: 'One. Two.', description: 'best · score 0.90', text: 'One.\nTwo.', score: 0.9 });
    expect(items[1].description).toBe('score 0.46');
  });

  it('patch items: names, workspace-relative paths, descriptions', () => {
    const items = patchItems(
      [
        { path: '/ws/patches/formal.json', name: 'formal', description: 'Formal register' },
        { path: '/elsewhere/casual.json', name: '', description: null },
      ],
      ['/ws'],
    );
    expect(items[0]).toEqual({ label: 'formal', description: 'patches/formal.json', detail: 'Formal register', path: '/ws/patches/formal.json' });
    expect(items[1]).toMatchObject({ label: 'casual', description: '/elsewhere/casual.json', detail: undefined });
  });

  it('messages', () => {
    expect(copyStyleMessage({ copied: 'Dear Sir or Madam, I am writing…' })).toContain('"Dear Sir or Madam, I am writing…"');
    expect(savePatchMessage({ path: '/ws/patches/a.json', name: 'a' })).toBe('Refract saved the style patch "a" to /ws/patches/a.json.');
    expect(noPatchesMessage()).toContain('refract.patchFolders');
    expect(copyStyleMessage({ copied: 'x' })).toContain('"Refract: Blend with Copied Passage"');
    expect(progressText('shorten')).toBe('$(sync~spin) Refract: shortening…');
    expect(progressText('blend')).toBe('$(sync~spin) Refract: blending with the copied passage…');
    expect(progressText('setFeature')).toBe('$(sync~spin) Refract: setting feature…');
    expect(formatSeconds(12.6)).toBe('13 s');
    expect(oneLine('  a\n  b  ', 0)).toBe('a b');
    expect(oneLine('abcdefgh', 5)).toBe('abcd…');
  });
});

describe('commands run by code actions', () => {
  it('progress labels follow the command and its op', () => {
    expect(progressKindFor('refract.rewrite', { op: 'shorten' })).toBe('shorten');
    expect(progressKindFor('refract.rewrite', { op: 'sentiment', amount: -1 })).toBe('sentiment');
    expect(progressKindFor('refract.pasteStyle', { aspect: 'topic' })).toBe('pasteTopic');
    expect(progressKindFor('refract.pasteStyle', { aspect: 'tone' })).toBe('pasteTone');
    expect(progressKindFor('refract.pasteStyle', { aspect: 'blend', amount: 0.5 })).toBe('blend');
    expect(progressKindFor('refract.rewrite', { op: 'feature', feature: 'night', amount: 0 })).toBe('setFeature');
    expect(progressKindFor('refract.applyPatch', {})).toBe('applyPatch');
    expect(progressKindFor('something.else', undefined)).toBe('apply');
  });

  it('a refused edit gives a warning with the reason; success says nothing', () => {
    expect(commandResultOutcome({ applied: false, reason: 'the document changed' })).toEqual({
      level: 'warning',
      message: 'Refract did not change the text: the document changed',
    });
    expect(commandResultOutcome({ applied: true })).toBeUndefined();
    expect(commandResultOutcome({ applied: false })).toBeUndefined(); // a preview
    expect(commandResultOutcome(undefined)).toBeUndefined();
  });
});

describe('code-action titles and server paths', () => {
  it('maps code-action titles to progress labels', () => {
    expect(progressKindForTitle('Shorten')).toBe('shorten');
    expect(progressKindForTitle('Refract: Lengthen')).toBe('lengthen');
    expect(progressKindForTitle('Refract: Apply patch "formal"')).toBe('applyPatch');
    expect(progressKindForTitle('More negative')).toBe('sentiment');
    expect(progressKindForTitle('Paste topic')).toBe('pasteTopic');
    expect(progressKindForTitle('Apply patch "formal"')).toBe('applyPatch');
    expect(progressKindForTitle('Something new')).toBe('apply');
  });

  it('resolves a relative patch path against the workspace folder', () => {
    expect(absolutePath('patches/a.json', '/ws')).toBe('/ws/patches/a.json');
    expect(absolutePath('/abs/a.json', '/ws')).toBe('/abs/a.json');
    expect(absolutePath('patches/a.json')).toBe('patches/a.json');
  });
});
