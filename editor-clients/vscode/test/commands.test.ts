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

describe('Blend with Copied Passage', () => {
  it('quick pick of weights; sends refract.pasteStyle {uri, range, aspect: "blend", amount}', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.pasteStyle': rewriteResult() });
    vscode.state.quickPickAnswers.push((items) => items.find((i) => i.label === 'Mostly the copied passage'));
    await commands[EditorCommand.blend]();
    const items = vscode.state.quickPicks[0].items as Array<{ label: string; amount: number }>;
    expect(items.map((i) => [i.label, i.amount])).toEqual([
      ['A touch', 0.25],
      ['Half way', 0.5],
      ['Mostly the copied passage', 0.75],
    ]);
    expect(sent).toEqual([{ command: 'refract.pasteStyle', args: { uri: URI, range: RANGE, aspect: 'blend', amount: 0.75 } }]);
    expect(vscode.state.statusMessages).toContain('Refract: blended 75% toward the copied passage (0.4 s, score 0.87)');
    expect(vscode.state.errors).toEqual([]);
  });

  it('shows the spinner while it runs', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    let spinner = '';
    const { commands } = setup({
      'refract.pasteStyle': () => {
        spinner = vscode.state.statusItems.find((i) => i.visible)?.text ?? '';
        return rewriteResult();
      },
    });
    vscode.state.quickPickAnswers.push((items) => items[0]);
    await commands[EditorCommand.blend]();
    expect(spinner).toBe('$(sync~spin) Refract: blending with the copied passage…');
  });

  it('dismissing the pick sends nothing; no selection sends nothing', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup();
    await commands[EditorCommand.blend]();
    expect(sent).toEqual([]);
    vscode.openEditor(TEXT);
    await commands[EditorCommand.blend]();
    expect(vscode.state.quickPicks).toHaveLength(1);
    expect(vscode.state.errors[0]).toMatch(/Select some text first/);
  });

  it('before copying: the server\'s "no style copied yet" message is shown as written', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const msg = 'no style copied yet; select a passage and run Copy Style first';
    const { commands } = setup({ 'refract.pasteStyle': Object.assign(new Error(msg), { code: -32602 }) });
    vscode.state.quickPickAnswers.push((items) => items[1]);
    await commands[EditorCommand.blend]();
    expect(vscode.state.errors).toEqual([msg]);
    expect(vscode.state.statusMessages).toEqual([]);
  });

  it('a refused edit shows the server\'s reason as a warning', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const reason = 'the document changed while the rewrite was computing';
    const { commands } = setup({ 'refract.pasteStyle': rewriteResult({ applied: false, reason }) });
    vscode.state.quickPickAnswers.push((items) => items[0]);
    await commands[EditorCommand.blend]();
    expect(vscode.state.warnings).toEqual([`Refract did not change the text: ${reason}`]);
  });
});

describe('Set Feature', () => {
  const features = {
    axes: { sentiment: 0.6 },
    features: [
      { id: 841, label: 'concert / band', value: 0.924 },
      { id: 459, label: 'night', value: 0.375 },
    ],
    markdown: '',
  };

  it('reads the selection\'s features, offers them with their values, then a value; sends op "feature"', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.features': features, 'refract.rewrite': rewriteResult() });
    vscode.state.quickPickAnswers.push(
      (items) => items.find((i) => i.label === 'concert / band'),
      (items) => items.find((i) => i.amount === 1.5),
    );
    await commands[EditorCommand.setFeature]();
    const featureItems = vscode.state.quickPicks[0].items as Array<{ label: string; description: string }>;
    expect(featureItems.map((i) => [i.label, i.description])).toEqual([
      ['concert / band', 'now 0.92'],
      ['night', 'now 0.38'],
      ['Other feature by label or id…', 'e.g. "concert / band" or 841'],
    ]);
    const valueItems = vscode.state.quickPicks[1].items as Array<{ label: string }>;
    expect(valueItems.map((i) => i.label)).toEqual(['0', '0.5', '1', '1.5', '2', '3', 'Other value…']);
    expect((vscode.state.quickPicks[1].options as { title: string }).title).toBe('Refract: Set Feature "concert / band" (2/2)');
    expect(sent).toEqual([
      { command: 'refract.features', args: { uri: URI, range: RANGE } },
      { command: 'refract.rewrite', args: { uri: URI, range: RANGE, op: 'feature', feature: '841', amount: 1.5 } },
    ]);
    expect(vscode.state.inputBoxes).toEqual([]);
    expect(vscode.state.statusMessages).toContain('Refract: set "concert / band" to 1.5 (0.4 s, score 0.87)');
  });

  it('value 0 turns the feature off', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.features': features, 'refract.rewrite': rewriteResult() });
    vscode.state.quickPickAnswers.push((items) => items[1], (items) => items[0]);
    await commands[EditorCommand.setFeature]();
    expect(sent[1].args).toEqual({ uri: URI, range: RANGE, op: 'feature', feature: '459', amount: 0 });
    expect(vscode.state.statusMessages).toContain('Refract: turned off "night" (0.4 s, score 0.87)');
  });

  it('"Other feature…" and "Other value…" open validated input boxes; the typed label and value are sent', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.features': features, 'refract.rewrite': rewriteResult() });
    vscode.state.quickPickAnswers.push((items) => items.at(-1), (items) => items.at(-1));
    vscode.state.inputBoxAnswers.push('  weather ', '2.5');
    await commands[EditorCommand.setFeature]();
    const [nameBox, valueBox] = vscode.state.inputBoxes;
    const validateName = nameBox.validateInput as (v: string) => string | undefined;
    expect(validateName('')).toMatch(/feature label/);
    expect(validateName('weather')).toBeUndefined();
    expect(valueBox.value).toBe('1');
    const validateValue = valueBox.validateInput as (v: string) => string | undefined;
    expect(validateValue('4')).toBe('Enter a number between 0 and 3: 0 turns the feature off, 1 is as strong as in its top examples');
    expect(validateValue('abc')).toMatch(/between 0 and 3/);
    expect(validateValue('2.5')).toBeUndefined();
    expect(sent[1]).toEqual({ command: 'refract.rewrite', args: { uri: URI, range: RANGE, op: 'feature', feature: 'weather', amount: 2.5 } });
    expect(vscode.state.statusMessages).toContain('Refract: set "weather" to 2.5 (0.4 s, score 0.87)');
  });

  it('"Other value…" for a listed feature starts from its current value', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.features': features, 'refract.rewrite': rewriteResult() });
    vscode.state.quickPickAnswers.push((items) => items[0], (items) => items.at(-1));
    vscode.state.inputBoxAnswers.push('0,25');
    await commands[EditorCommand.setFeature]();
    expect(vscode.state.inputBoxes[0].value).toBe('0.92');
    expect(sent[1].args).toMatchObject({ feature: '841', amount: 0.25 });
  });

  it('with no features listed, only "Other feature…" is offered', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { commands } = setup({ 'refract.features': { axes: {}, features: [], markdown: '' } });
    await commands[EditorCommand.setFeature]();
    const items = vscode.state.quickPicks[0].items as Array<{ label: string }>;
    expect(items.map((i) => i.label)).toEqual(['Other feature by label or id…']);
    expect((vscode.state.quickPicks[0].options as { placeHolder: string }).placeHolder).toMatch(/no strong labelled feature/);
  });

  it('Escape at any step sends no rewrite', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.features': features, 'refract.rewrite': rewriteResult() });
    await commands[EditorCommand.setFeature](); // feature pick dismissed
    vscode.state.quickPickAnswers.push((items) => items[0]); // value pick dismissed
    await commands[EditorCommand.setFeature]();
    vscode.state.quickPickAnswers.push((items) => items.at(-1)); // name box dismissed
    vscode.state.inputBoxAnswers.push(undefined);
    await commands[EditorCommand.setFeature]();
    vscode.state.quickPickAnswers.push((items) => items[0], (items) => items.at(-1)); // value box dismissed
    vscode.state.inputBoxAnswers.push(undefined);
    await commands[EditorCommand.setFeature]();
    expect(sent.map((s) => s.command)).toEqual(Array(4).fill('refract.features'));
    expect(vscode.state.errors).toEqual([]);
  });

  it('a value that is not a number never reaches the server', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const { sent, commands } = setup({ 'refract.features': features, 'refract.rewrite': rewriteResult() });
    vscode.state.quickPickAnswers.push((items) => items[0], (items) => items.at(-1));
    vscode.state.inputBoxAnswers.push('lots'); // the mock skips validateInput
    await commands[EditorCommand.setFeature]();
    expect(sent.map((s) => s.command)).toEqual(['refract.features']);
    expect(vscode.state.errors[0]).toMatch(/between 0 and 3/);
  });

  it('the server\'s message for an unknown feature is shown as written', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const msg = "no feature is labelled 'wether'; did you mean 'weather'?";
    const { commands } = setup({ 'refract.features': features, 'refract.rewrite': Object.assign(new Error(msg), { code: -32602 }) });
    vscode.state.quickPickAnswers.push((items) => items.at(-1), (items) => items[2]);
    vscode.state.inputBoxAnswers.push('wether');
    await commands[EditorCommand.setFeature]();
    expect(vscode.state.errors).toEqual([msg]);
  });

  it('if reading the features fails, the error is shown and nothing is offered', async () => {
    vscode.openEditor(TEXT, SENTENCE);
    const msg = 'the selection has 412 words; Refract reads up to 200 at a time';
    const { sent, commands } = setup({ 'refract.features': Object.assign(new Error(msg), { code: -32602 }) });
    await commands[EditorCommand.setFeature]();
    expect(vscode.state.errors).toEqual([msg]);
    expect(vscode.state.quickPicks).toEqual([]);
    expect(sent).toHaveLength(1);
  });
});
