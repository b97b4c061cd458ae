import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./vscodeMock'));

import * as vscode from './vscodeMock';
import { EditorCommand, editorCommands, type CommandDeps } from '../src/commands';
import { DEFAULT_LANGUAGES } from '../src/core/languages';
import { Runner } from '../src/runner';

const TEXT = '# Notes\n\nThe hotel staff were friendly and the room was spotless. We stayed a week.\n';
const SENTENCE = 'The hotel staff were friendly and the room was spotless.';
const URI = 'file:///work/doc.md';
const RANGE = { start: { line: 2, character: 0 }, end: { line: 2, character: SENTENCE.length } };

type Answer = unknown | ((args: any) => unknown);

function setup(answers: Record<string, Answer> = {}) {
  const sent: Array<{ command: string; args: any }> = [];
  const runner = new Runner(async (command, args) => {
    sent.push({ command, args });
    const a = answers[command];
    if (a instanceof Error) throw a;
    return typeof a === 'function' ? (a as (x: unknown) => unknown)(args) : a;
  });
  const deps: CommandDeps = {
    runner,
    languages: () => [...DEFAULT_LANGUAGES],
    toggleHeatmap: vi.fn(async () => undefined),
    openSliders: vi.fn(),
    showFeatures: vi.fn(async () => undefined),
  };
  return { sent, deps, commands: editorCommands(deps) };
}

const rewriteResult = (over: object = {}) => ({
  text: 'The staff were kind.',
  candidates: [{ text: 'The staff were kind.', score: 0.87 }],
  seconds: 0.4,
  version: 3,
  applied: true,
  reason: null,
  ...over,
});

beforeEach(() => vscode.reset());

describe('selection checks', () => {
  it('no editor: asks to open a document; nothing is sent', async () => {
    const { sent, commands } = setup();
    await commands[EditorCommand.shorten]();
    expect(vscode.state.errors).toEqual(['Refract: open a document and select some text first.']);
    expect(sent).toEqual([]);
  });

  it('empty selection: asks to select text; nothing is sent', async () => {
    vscode.openEditor(TEXT);
    const { sent, commands } = setup();
    await commands[EditorCommand.lengthen]();
    expect(vscode.state.errors[0]).toMatch(/Select some text first/);
    expect(sent).toEqual([]);
  });

  it('a language Refract does not serve is refused with the setting named', async () => {
    vscode.openEditor('x = 1\n', 'x = 1', 'python', vscode.Uri.file('/work/a.py'));
    const { sent, commands } = setup();
    await commands[EditorCommand.shorten]();
    expect(vscode.state.errors[0]).toMatch(/refract\.languages.*python/);
    expect(sent).toEqual([]);
  });
});

describe('rewrite commands', () => {
  it('Shorten sends refract.rewrite {uri, range, op} for the selection and notes success in the status bar', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.rewrite': rewriteResult() });
    await commands[EditorCommand.shorten]();
    expect(sent).toEqual([{ command: 'refract.rewrite', args: { uri: URI, range: RANGE, op: 'shorten' } }]);
    expect(vscode.state.statusMessages).toContain('Refract: shortened (0.4 s, score 0.87)');
    expect(vscode.state.errors).toEqual([]);
  });

  it('Lengthen: a refused edit shows the server\'s reason as a warning', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const reason = 'the document changed while the rewrite was computing';
    const { commands } = setup({ 'refract.rewrite': rewriteResult({ applied: false, reason }) });
    await commands[EditorCommand.lengthen]();
    expect(vscode.state.warnings).toEqual([`Refract did not change the text: ${reason}`]);
  });

  it('Sentiment: quick pick of the six steps; the picked amount is sent', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.rewrite': rewriteResult() });
    vscode.state.quickPickAnswers.push((items) => items.find((i) => i.label === 'Slightly more negative'));
    await commands[EditorCommand.sentiment]();
    const items = vscode.state.quickPicks[0].items as Array<{ amount: number }>;
    expect(items.map((i) => i.amount)).toEqual([-2, -1, -0.5, 0.5, 1, 2]);
    expect(sent[0].args).toEqual({ uri: URI, range: RANGE, op: 'sentiment', amount: -0.5 });
    expect(vscode.state.statusMessages.some((m) => m.startsWith('Refract: made slightly more negative'))).toBe(true);
  });

  it('Sentiment: dismissing the pick sends nothing', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup();
    await commands[EditorCommand.sentiment]();
    expect(sent).toEqual([]);
  });

  it('server InvalidParams errors are shown as written', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const msg = 'the selection has 412 words; Refract rewrites up to 200 at a time';
    const { commands } = setup({ 'refract.rewrite': Object.assign(new Error(msg), { code: -32602 }) });
    await commands[EditorCommand.shorten]();
    expect(vscode.state.errors).toEqual([msg]);
  });
});

describe('style commands', () => {
  it('Copy Style then Paste Tone / Paste Topic', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({
      'refract.copyStyle': { copied: 'The hotel staff were…', axes: { sentiment: 1 } },
      'refract.pasteStyle': rewriteResult(),
    });
    await commands[EditorCommand.copyStyle]();
    await commands[EditorCommand.pasteTone]();
    await commands[EditorCommand.pasteTopic]();
    expect(sent.map((s) => [s.command, s.args])).toEqual([
      ['refract.copyStyle', { uri: URI, range: RANGE }],
      ['refract.pasteStyle', { uri: URI, range: RANGE, aspect: 'tone' }],
      ['refract.pasteStyle', { uri: URI, range: RANGE, aspect: 'topic' }],
    ]);
    expect(vscode.state.infos[0]).toContain('copied the style of "The hotel staff were…"');
    expect(vscode.state.statusMessages).toContain('Refract: pasted the topic (0.4 s, score 0.87)');
  });

  it('Paste Tone before copying: the server\'s "nothing copied" message is shown', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const msg = 'nothing was copied yet; select a passage and run Copy Style first';
    const { commands } = setup({ 'refract.pasteStyle': Object.assign(new Error(msg), { code: -32602 }) });
    await commands[EditorCommand.pasteTone]();
    expect(vscode.state.errors).toEqual([msg]);
  });

  it('Save Style Patch: asks a name, offers patches/<name>.json, sends both', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.savePatch': { path: '/work/patches/hotel-review.json', name: 'Hotel review', axes: {} } });
    vscode.state.inputBoxAnswers.push('Hotel review', 'patches/hotel-review.json');
    await commands[EditorCommand.savePatch]();
    expect(vscode.state.inputBoxes[1].value).toBe('patches/hotel-review.json');
    const validate = vscode.state.inputBoxes[1].validateInput as (v: string) => string | undefined;
    expect(validate('x.txt')).toMatch(/\.json/);
    expect(sent).toEqual([
      { command: 'refract.savePatch', args: { uri: URI, range: RANGE, path: 'patches/hotel-review.json', name: 'Hotel review' } },
    ]);
    expect(vscode.state.infos[0]).toBe('Refract saved the style patch "Hotel review" to /work/patches/hotel-review.json.');
  });

  it('Save Style Patch: an empty name is left out; Escape at either box cancels', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.savePatch': { path: '/work/patches/style.json', name: 'style' } });
    vscode.state.inputBoxAnswers.push('', 'patches/style.json');
    await commands[EditorCommand.savePatch]();
    expect(sent[0].args).toEqual({ uri: URI, range: RANGE, path: 'patches/style.json' });
    vscode.state.inputBoxAnswers.push(undefined);
    await commands[EditorCommand.savePatch]();
    expect(sent).toHaveLength(1);
  });

  it('Save Style Patch: "Open Patch" opens the saved file, relative paths taken from the workspace folder', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file('/work') }];
    const { commands } = setup({ 'refract.savePatch': { path: 'patches/a.json', name: 'a' } });
    vscode.state.inputBoxAnswers.push('a', 'patches/a.json');
    vscode.state.messageAnswers.push('Open Patch');
    await commands[EditorCommand.savePatch]();
    const opened = (vscode.window.showTextDocument as any).mock.calls[0][0];
    expect(opened.fsPath).toBe('/work/patches/a.json');
  });

  it('Apply Style Patch: lists patches, applies the picked one by path', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file('/work') }];
    const { sent, commands } = setup({
      'refract.listPatches': {
        patches: [
          { path: '/work/patches/formal.json', name: 'formal', description: 'Formal register' },
          { path: '/work/patches/casual.json', name: 'casual', description: '' },
        ],
      },
      'refract.applyPatch': rewriteResult(),
    });
    vscode.state.quickPickAnswers.push((items) => items[1]);
    await commands[EditorCommand.applyPatch]();
    const items = vscode.state.quickPicks[0].items as Array<{ label: string; description: string }>;
    expect(items.map((i) => [i.label, i.description])).toEqual([
      ['formal', 'patches/formal.json'],
      ['casual', 'patches/casual.json'],
    ]);
    expect(sent).toEqual([
      { command: 'refract.listPatches', args: {} },
      { command: 'refract.applyPatch', args: { uri: URI, range: RANGE, path: '/work/patches/casual.json' } },
    ]);
  });

  it('Apply Style Patch with no patches explains how to make one', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.listPatches': { patches: [] } });
    await commands[EditorCommand.applyPatch]();
    expect(vscode.state.infos[0]).toMatch(/Save Style Patch/);
    expect(sent).toHaveLength(1);
  });
});

describe('variations, features, sliders, heat map', () => {
  it('Variations: picks a candidate and applies it with refract.applyText at the returned version', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({
      'refract.variations': {
        candidates: [
          { text: 'The staff were lovely.', score: 0.8 },
          { text: 'Friendly staff, spotless room.', score: 0.7 },
        ],
        version: 9,
        seconds: 1.2,
      },
      'refract.applyText': { applied: true },
    });
    vscode.state.quickPickAnswers.push((items) => items[1]);
    await commands[EditorCommand.variations]();
    expect(sent).toEqual([
      { command: 'refract.variations', args: { uri: URI, range: RANGE } },
      { command: 'refract.applyText', args: { uri: URI, range: RANGE, text: 'Friendly staff, spotless room.', version: 9 } },
    ]);
    expect(vscode.state.statusMessages).toContain('Refract: applied');
  });

  it('Variations: applyText refused shows the reason', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { commands } = setup({
      'refract.variations': { candidates: [{ text: 'A.', score: 0.8 }], version: 9, seconds: 1 },
      'refract.applyText': { applied: false, reason: 'the document changed since version 9' },
    });
    vscode.state.quickPickAnswers.push((items) => items[0]);
    await commands[EditorCommand.variations]();
    expect(vscode.state.warnings).toEqual(['Refract did not change the text: the document changed since version 9']);
  });

  it('Show Features hands the result and the excerpt to the panel', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const result = { axes: { sentiment: 0.4 }, features: [], markdown: '**x**' };
    const { sent, deps, commands } = setup({ 'refract.features': result });
    await commands[EditorCommand.showFeatures]();
    expect(sent).toEqual([{ command: 'refract.features', args: { uri: URI, range: RANGE } }]);
    expect(deps.showFeatures).toHaveBeenCalledWith(SENTENCE, result);
  });

  it('Open Sliders captures the selection; Toggle Heat Map delegates', async () => {
    const editor = vscode.openEditor(TEXT, SENTENCE);
    const { deps, commands } = setup();
    await commands[EditorCommand.openSliders]();
    expect(deps.openSliders).toHaveBeenCalledWith(editor, RANGE);
    await commands[EditorCommand.toggleHeatmap]();
    expect(deps.toggleHeatmap).toHaveBeenCalledOnce();
  });
});
