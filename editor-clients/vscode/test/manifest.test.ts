import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./vscodeMock'));
vi.mock('vscode-languageclient/node', () => import('./languageClientMock'));

import * as lc from './languageClientMock';
import * as vscode from './vscodeMock';
import { activate } from '../src/extension';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);

beforeEach(() => {
  vscode.reset();
  lc.resetClients();
});

describe('package.json', () => {
  it('has what the marketplace and vsce need', () => {
    expect(pkg.publisher).toBeTruthy();
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository.url).toMatch(/^https:/);
    expect(pkg.engines.vscode).toMatch(/^\^1\.\d+\.0$/);
    expect(pkg.main).toBe('./dist/extension.js');
    expect(fs.existsSync(path.join(root, 'LICENSE'))).toBe(true);
  });

  it('stays off in untrusted and virtual workspaces (it runs an executable the workspace may provide)', () => {
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe(false);
    expect(pkg.capabilities.virtualWorkspaces.supported).toBe(false);
  });

  it('activates on every default language', () => {
    const langs = pkg.contributes.configuration.properties['refract.languages'].default as string[];
    expect(pkg.activationEvents).toEqual(langs.map((l) => `onLanguage:${l}`));
  });

  it('contributes every setting the server reads, with the documented defaults', () => {
    const props = pkg.contributes.configuration.properties;
    expect(props['refract.codec']).toMatchObject({ type: 'string', default: 'embedded' });
    expect(props['refract.samples']).toMatchObject({ type: 'integer', default: 4, minimum: 1, maximum: 32 });
    expect(props['refract.variations']).toMatchObject({ type: 'integer', default: 8, minimum: 1, maximum: 32 });
    expect(props['refract.corrections']).toMatchObject({ type: 'integer', default: 12, minimum: 0, maximum: 32 });
    expect(props['refract.sentenceSeconds']).toMatchObject({ type: 'number', default: 1.4, minimum: 0 });
    expect(props['refract.patchFolders']).toMatchObject({ type: 'array', default: [] });
    expect(props['refract.hover.enabled']).toMatchObject({ type: 'boolean', default: true });
    expect(props['refract.heatmap.feature']).toMatchObject({ type: 'string', default: 'sentiment' });
    expect(props['refract.server.path']).toMatchObject({ type: 'string', default: '' });
  });

  it('matches the settings table of docs/protocol.md when the repository is around', () => {
    const doc = path.resolve(root, '../../docs/protocol.md');
    if (!fs.existsSync(doc)) return; // packaged on its own: the test above covers the defaults
    const rows = [...fs.readFileSync(doc, 'utf8').matchAll(/^\| `(refract\.[\w.]+)` \| ([^|]+) \| `?([^|`]+)`? \|/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const [, name, , def] of rows) {
      const prop = pkg.contributes.configuration.properties[name];
      expect(prop, name).toBeDefined();
      expect(JSON.stringify(prop.default), name).toBe(def.trim());
    }
  });

  it('context-menu entries need a selection, except the heat map', () => {
    const menu = pkg.contributes.menus['refract.context'] as Array<{ command: string; when?: string }>;
    for (const entry of menu) {
      if (entry.command === 'refract.editor.toggleHeatmap') continue;
      expect(entry.when, entry.command).toBe('editorHasSelection');
    }
    expect(pkg.contributes.menus['editor/context'][0]).toMatchObject({ submenu: 'refract.context', when: 'editorHasSelection' });
  });

  it('Blend sits with Paste Tone, Set Feature with Shorten, in the palette and the context menu', () => {
    const titles = Object.fromEntries(pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
    expect(titles['refract.editor.blend']).toBe('Blend with Copied Passage');
    expect(titles['refract.editor.setFeature']).toBe('Set Feature…');
    const menu = pkg.contributes.menus['refract.context'] as Array<{ command: string; when?: string; group: string }>;
    const entry = (id: string) => menu.find((m) => m.command === id)!;
    const group = (id: string) => entry(id).group.split('@')[0];
    expect(group('refract.editor.blend')).toBe(group('refract.editor.pasteTone'));
    expect(group('refract.editor.setFeature')).toBe(group('refract.editor.shorten'));
    for (const id of ['refract.editor.blend', 'refract.editor.setFeature']) {
      expect(entry(id).when, id).toBe(entry('refract.editor.pasteTone').when);
    }
    const hidden = (pkg.contributes.menus.commandPalette as Array<{ command: string }>).map((m) => m.command);
    expect(hidden).not.toContain('refract.editor.blend');
    expect(hidden).not.toContain('refract.editor.setFeature');
  });

  it('no contributed command clashes with a server command (the language client registers those)', () => {
    const server = ['rewrite', 'variations', 'applyText', 'copyStyle', 'pasteStyle', 'savePatch', 'applyPatch', 'listPatches', 'features', 'heatmap'];
    for (const s of server) expect(contributed).not.toContain(`refract.${s}`);
  });
});

describe('activate', () => {
  it('registers exactly the contributed commands and starts the server', async () => {
    vscode.state.config['refract.server.path'] = process.execPath; // any executable will do for the mock client
    const context = { subscriptions: [] as Array<{ dispose(): unknown }> };
    await activate(context as any);
    expect([...vscode.state.registered.keys()].sort()).toEqual([...contributed].sort());
    await vi.waitFor(() => expect(lc.clients).toHaveLength(1));
    expect(lc.clients[0].serverOptions.args).toEqual(['serve']);
  });

  it('Restart Server command restarts the client', async () => {
    vscode.state.config['refract.server.path'] = process.execPath;
    await activate({ subscriptions: [] } as any);
    await vi.waitFor(() => expect(lc.clients).toHaveLength(1));
    await vscode.state.registered.get('refract.restartServer')!();
    expect(lc.clients).toHaveLength(2);
    expect(lc.clients[0].stop).toHaveBeenCalled();
  });
});

describe('code-action commands (language client middleware)', () => {
  async function middleware() {
    vscode.state.config['refract.server.path'] = process.execPath;
    await activate({ subscriptions: [] } as any);
    await vi.waitFor(() => expect(lc.clients).toHaveLength(1));
    return lc.clients[0].clientOptions.middleware.executeCommand as (
      command: string,
      args: unknown[],
      next: (c: string, a: unknown[]) => Promise<unknown>,
    ) => Promise<unknown>;
  }

  it('shows the server\'s InvalidParams message as written', async () => {
    const exec = await middleware();
    const msg = 'nothing was copied yet; select a passage and run Copy Style first';
    const result = await exec('refract.pasteStyle', [{ aspect: 'tone' }], async () => {
      throw Object.assign(new Error(msg), { code: -32602 });
    });
    expect(result).toBeUndefined();
    expect(vscode.state.errors).toEqual([msg]);
  });

  it('warns with the reason when the edit was not applied, and shows progress meanwhile', async () => {
    const exec = await middleware();
    let spinner = '';
    const result = await exec('refract.rewrite', [{ op: 'shorten' }], async () => {
      spinner = vscode.state.statusItems.find((i) => i.visible)?.text ?? '';
      return { applied: false, reason: 'the document changed while the rewrite was computing' };
    });
    expect(spinner).toBe('$(sync~spin) Refract: shortening…');
    expect(result).toMatchObject({ applied: false });
    expect(vscode.state.warnings).toEqual(['Refract did not change the text: the document changed while the rewrite was computing']);
  });
});

describe('code-action resolve (language client middleware)', () => {
  it('shows the spinner while the edit is computed, and the server\'s message if it fails', async () => {
    vscode.state.config['refract.server.path'] = process.execPath;
    await activate({ subscriptions: [] } as any);
    await vi.waitFor(() => expect(lc.clients).toHaveLength(1));
    const resolve = lc.clients[0].clientOptions.middleware.resolveCodeAction;
    let spinner = '';
    const resolved = await resolve({ title: 'Lengthen' }, {}, async (item: any) => {
      spinner = vscode.state.statusItems.find((i) => i.visible)?.text ?? '';
      return { ...item, edit: 'an edit' };
    });
    expect(spinner).toBe('$(sync~spin) Refract: lengthening…');
    expect(resolved).toEqual({ title: 'Lengthen', edit: 'an edit' });
    const failed = await resolve({ title: 'Paste tone' }, {}, async () => {
      throw Object.assign(new Error('nothing was copied yet'), { code: -32602 });
    });
    expect(failed).toEqual({ title: 'Paste tone' });
    expect(vscode.state.errors).toEqual(['nothing was copied yet']);
  });
});
