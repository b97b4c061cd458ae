import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./vscodeMock'));

import * as vscode from './vscodeMock';
import { Runner, showOutcome } from '../src/runner';

beforeEach(() => vscode.reset());

describe('Runner', () => {
  it('shows a spinner with the command\'s label while it runs, then hides it', async () => {
    let finish!: (v: unknown) => void;
    const send = vi.fn(() => new Promise((r) => (finish = r)));
    const runner = new Runner(send);
    const item = vscode.state.statusItems[0];
    const pending = runner.run('shorten', 'refract.rewrite', { op: 'shorten' });
    expect(item.visible).toBe(true);
    expect(item.text).toBe('$(sync~spin) Refract: shortening…');
    expect(item.command).toBe('refract.cancel');
    expect(runner.busy).toBe(true);
    expect(vscode.state.executed).toContainEqual({ command: 'setContext', args: ['refract.busy', true] });
    finish({ ok: 1 });
    await expect(pending).resolves.toEqual({ ok: 1 });
    expect(item.visible).toBe(false);
    expect(runner.busy).toBe(false);
    expect(send).toHaveBeenCalledWith('refract.rewrite', { op: 'shorten' }, expect.anything());
  });

  it('run shows the server\'s InvalidParams message as an error message and answers undefined', async () => {
    const message = 'unknown document file:///x.md; open it first';
    const runner = new Runner(async () => {
      throw Object.assign(new Error(message), { code: -32602 });
    });
    await expect(runner.run('shorten', 'refract.rewrite', {})).resolves.toBeUndefined();
    expect(vscode.state.errors).toEqual([message]);
    expect(vscode.state.statusItems[0].visible).toBe(false);
  });

  it('execute rethrows so callers can handle errors themselves', async () => {
    const runner = new Runner(async () => {
      throw Object.assign(new Error('nope'), { code: -32602 });
    });
    await expect(runner.execute('preview', 'refract.rewrite', {})).rejects.toThrow('nope');
    expect(vscode.state.errors).toEqual([]);
  });

  it('cancelAll cancels the token of every running request', async () => {
    const tokens: any[] = [];
    const runner = new Runner(
      (_c, _a, token) =>
        new Promise((_, reject) => {
          tokens.push(token);
          token.onCancellationRequested(() => reject(Object.assign(new Error('Request cancelled'), { code: -32800 })));
        }),
    );
    const a = runner.run('shorten', 'refract.rewrite', {});
    const b = runner.run('heatmap', 'refract.heatmap', {});
    expect(vscode.state.statusItems[0].text).toContain('computing heat map');
    expect(runner.cancelAll()).toBe(2);
    await Promise.all([a, b]);
    expect(tokens.every((t) => t.isCancellationRequested)).toBe(true);
    expect(vscode.state.errors).toEqual([]); // cancellation is not an error
    expect(vscode.state.statusMessages).toContain('Refract: shortening was cancelled.');
  });

  it('showOutcome routes levels to the matching VS Code call', () => {
    showOutcome({ level: 'status', message: 's' });
    showOutcome({ level: 'info', message: 'i' });
    showOutcome({ level: 'warning', message: 'w' });
    showOutcome({ level: 'error', message: 'e' });
    expect(vscode.state.statusMessages).toEqual(['s']);
    expect(vscode.state.infos).toEqual(['i']);
    expect(vscode.state.warnings).toEqual(['w']);
    expect(vscode.state.errors).toEqual(['e']);
  });
});
