import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./vscodeMock'));

import * as vscode from './vscodeMock';
import { FeaturesPanel, SliderPanel } from '../src/panels';

const TEXT = 'Intro.\nThe room was spotless and the staff were friendly.\n';
const SENTENCE = 'The room was spotless and the staff were friendly.';
const RANGE = { start: { line: 1, character: 0 }, end: { line: 1, character: SENTENCE.length } };

beforeEach(() => vscode.reset());

describe('slider panel', () => {
  it('opens a scripted webview with a nonce CSP and no local resources', () => {
    const editor = vscode.openEditor(TEXT, SENTENCE);
    new SliderPanel({ execute: vi.fn() }).open(editor as any, RANGE);
    const panel = vscode.state.panels[0];
    expect(panel.options).toMatchObject({ enableScripts: true, localResourceRoots: [] });
    const nonce = /nonce-([A-Za-z0-9+/=]+)/.exec(panel.webview.html)![1];
    expect(panel.webview.html).toContain(`<script nonce="${nonce}">`);
    expect(panel.webview.html).toContain(`style-src ${panel.webview.cspSource}`);
  });

  it('wires webview messages to refract.rewrite (apply:false) and refract.applyText', async () => {
    const editor = vscode.openEditor(TEXT, SENTENCE);
    const execute = vi.fn(async (_kind: string, command: string) =>
      command === 'refract.rewrite'
        ? { text: 'Spotless.', candidates: [{ text: 'Spotless.', score: 0.8 }], seconds: 0.3, version: 5, applied: false, reason: null }
        : { applied: true },
    );
    new SliderPanel({ execute } as any).open(editor as any, RANGE);
    const webview = vscode.state.panels[0].webview;
    webview.send({ type: 'ready' });
    await vi.waitFor(() => expect(webview.posted).toContainEqual({ type: 'init', excerpt: SENTENCE }));
    webview.send({ type: 'preview', sentiment: 0, length: -1 });
    await vi.waitFor(() => expect(webview.posted.some((m: any) => m.type === 'candidates')).toBe(true));
    expect(execute).toHaveBeenCalledWith('preview', 'refract.rewrite', {
      uri: 'file:///work/doc.md',
      range: RANGE,
      op: 'shorten',
      amount: 1,
      apply: false,
    });
    webview.send({ type: 'apply', group: 0, index: 0 });
    await vi.waitFor(() => expect(webview.posted.some((m: any) => m.type === 'applied')).toBe(true));
    expect(execute).toHaveBeenLastCalledWith('apply', 'refract.applyText', {
      uri: 'file:///work/doc.md',
      range: RANGE,
      text: 'Spotless.',
      version: 5,
    });
  });

  it('opening again replaces the old panel', () => {
    const editor = vscode.openEditor(TEXT, SENTENCE);
    const sliders = new SliderPanel({ execute: vi.fn() });
    sliders.open(editor as any, RANGE);
    sliders.open(editor as any, RANGE);
    expect(vscode.state.panels).toHaveLength(2);
    expect(vscode.state.panels[0].disposed).toBe(true);
    expect(sliders.isOpen).toBe(true);
    vscode.state.panels[1].dispose();
    expect(sliders.isOpen).toBe(false);
  });
});

describe('features panel', () => {
  const result = { axes: { sentiment: 0.41 }, features: [{ id: 3, label: 'hotels', value: 0.7 }], markdown: '**Refract**' };

  it('renders the server markdown through VS Code\'s markdown.api.render into a script-free webview', async () => {
    vscode.state.commandResults['markdown.api.render'] = '<p><strong>Refract</strong></p>';
    await new FeaturesPanel().show('The room was spotless.', result);
    expect(vscode.state.executed).toContainEqual({ command: 'markdown.api.render', args: ['**Refract**'] });
    const panel = vscode.state.panels[0];
    expect(panel.options).toMatchObject({ enableScripts: false });
    expect(panel.webview.html).toContain('<p><strong>Refract</strong></p>');
    expect(panel.webview.html).toContain('hotels');
    expect(panel.webview.html).toContain("script-src 'none'");
  });

  it('falls back to preformatted text when rendering is unavailable, and reuses the panel', async () => {
    vscode.state.commandResults['markdown.api.render'] = new Error('command not found');
    const features = new FeaturesPanel();
    await features.show('a', result);
    await features.show('b', { ...result, markdown: '# second' });
    expect(vscode.state.panels).toHaveLength(1);
    expect(vscode.state.panels[0].webview.html).toContain('<pre># second</pre>');
  });
});
