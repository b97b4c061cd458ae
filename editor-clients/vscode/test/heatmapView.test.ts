import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./vscodeMock'));

import * as vscode from './vscodeMock';
import { HEAT_BUCKETS, rgba } from '../src/core/heatmap';
import { HeatmapController } from '../src/heatmapView';

const TEXT = 'I love this place. The food was awful.\nIt rained.';
const map = (values: number[] = [0.9, -1.2, 0.1]) => ({
  feature: 'sentiment',
  label: 'negative … positive',
  min: Math.min(...values),
  max: Math.max(...values),
  sentences: [
    { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 18 } }, value: values[0] },
    { range: { start: { line: 0, character: 19 }, end: { line: 0, character: 38 } }, value: values[1] },
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } }, value: values[2] },
  ],
});

function setup(answer: (args: any) => unknown = () => map()) {
  const calls: any[] = [];
  const runner = {
    execute: vi.fn(async (kind: string, command: string, args: object) => {
      calls.push({ kind, command, args });
      return answer(args);
    }),
  };
  const controller = new HeatmapController(runner as any, () => ['markdown'], 500);
  return { controller, runner, calls };
}

beforeEach(() => {
  vscode.reset();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('heat map', () => {
  it('toggle on: asks refract.heatmap for the active document and colours each sentence', async () => {
    const editor = vscode.openEditor(TEXT);
    const { controller, calls } = setup();
    await controller.toggle();
    expect(calls).toEqual([{ kind: 'heatmap', command: 'refract.heatmap', args: { uri: 'file:///work/doc.md' } }]);
    expect(controller.enabled).toBe(true);
    const drawn = editor.drawn();
    expect(drawn).toHaveLength(3);
    const first = drawn.find((d) => d.range.start.line === 0 && d.range.start.character === 0)!;
    const second = drawn.find((d) => d.range.start.character === 19)!;
    expect(first.colour).toBe(rgba(1)); // the max: red end
    expect(second.colour).toBe(rgba(0)); // the min: blue end
    expect(second.hover).toContain('**-1.20**');
    expect(vscode.state.decorationTypes).toHaveLength(HEAT_BUCKETS);
    expect(vscode.state.statusItems.some((i) => i.visible && i.text === '$(flame) sentiment: 3 sentences')).toBe(true);
  });

  it('toggle off clears every decoration and stops listening to edits', async () => {
    const editor = vscode.openEditor(TEXT);
    const { controller, runner } = setup();
    await controller.toggle();
    await controller.toggle();
    expect(controller.enabled).toBe(false);
    expect(editor.drawn()).toEqual([]);
    expect(vscode.state.decorationTypes.every((t) => t.disposed)).toBe(true);
    editor.document.edit(TEXT + ' More.');
    await vi.advanceTimersByTimeAsync(2000);
    expect(runner.execute).toHaveBeenCalledTimes(1);
  });

  it('re-requests once, after the debounce, when the writer keeps typing', async () => {
    const editor = vscode.openEditor(TEXT);
    const { controller, runner } = setup();
    await controller.toggle();
    editor.document.edit(TEXT + ' A');
    await vi.advanceTimersByTimeAsync(200);
    editor.document.edit(TEXT + ' AB');
    await vi.advanceTimersByTimeAsync(200);
    expect(runner.execute).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(400);
    expect(runner.execute).toHaveBeenCalledTimes(2);
  });

  it('drops a map computed for a version the writer has already changed', async () => {
    const editor = vscode.openEditor(TEXT);
    const { controller } = setup(() => {
      editor.document.version += 1; // the writer typed while the server computed
      return map();
    });
    await controller.toggle();
    expect(editor.drawn()).toEqual([]);
  });

  it('a server error turns the heat map off and shows the message', async () => {
    vscode.openEditor(TEXT);
    const { controller } = setup(() => {
      throw Object.assign(new Error('unknown feature "sarcasm"; try one of: sentiment, length'), { code: -32602 });
    });
    await controller.toggle();
    expect(vscode.state.errors).toEqual(['unknown feature "sarcasm"; try one of: sentiment, length']);
    expect(controller.enabled).toBe(false);
  });

  it('refuses documents Refract does not serve', async () => {
    vscode.openEditor('x = 1', undefined, 'python', vscode.Uri.file('/w/a.py'));
    const { controller, runner } = setup();
    await controller.toggle();
    expect(controller.enabled).toBe(false);
    expect(runner.execute).not.toHaveBeenCalled();
    expect(vscode.state.errors[0]).toMatch(/python/);
  });

  it('switching to another editor while on draws that document\'s map', async () => {
    vscode.openEditor(TEXT);
    const { controller, calls } = setup();
    await controller.toggle();
    const other = vscode.openEditor('Another text. Here.', undefined, 'markdown', vscode.Uri.file('/work/other.md'));
    vscode.state.onDidChangeActiveTextEditor.fire(other);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.args.uri)).toEqual(['file:///work/doc.md', 'file:///work/other.md']);
    expect(other.drawn()).toHaveLength(3);
  });
});
