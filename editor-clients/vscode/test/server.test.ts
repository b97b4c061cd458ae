import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./vscodeMock'));
vi.mock('vscode-languageclient/node', () => import('./languageClientMock'));

import * as lc from './languageClientMock';
import * as vscode from './vscodeMock';
import { findServer, nodeProbe, ServerManager } from '../src/server';

let dir: string;
let exe: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refract-vscode-'));
  fs.mkdirSync(path.join(dir, '.venv', 'bin'), { recursive: true });
  exe = path.join(dir, '.venv', 'bin', 'refract');
  fs.writeFileSync(exe, '#!/bin/sh\n');
  fs.chmodSync(exe, 0o755);
  fs.writeFileSync(path.join(dir, 'not-executable'), 'x');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function output() {
  const lines: string[] = [];
  return { lines, channel: { appendLine: (l: string) => lines.push(l), show: vi.fn() } as any };
}

beforeEach(() => {
  vscode.reset();
  lc.resetClients();
});

describe('nodeProbe', () => {
  it('accepts executable files only', () => {
    expect(nodeProbe.isExecutableFile(exe)).toBe(true);
    expect(nodeProbe.isExecutableFile(path.join(dir, 'not-executable'))).toBe(false);
    expect(nodeProbe.isExecutableFile(dir)).toBe(false);
    expect(nodeProbe.isExecutableFile(path.join(dir, 'missing'))).toBe(false);
  });
});

describe('ServerManager', () => {
  it('finds the workspace .venv and starts `refract serve` over stdio with the protocol\'s options', async () => {
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file(dir) }];
    expect(findServer()).toMatchObject({ found: true, path: exe });
    const out = output();
    const manager = new ServerManager(out.channel);
    await manager.start();
    expect(lc.clients).toHaveLength(1);
    const client = lc.clients[0];
    expect(client.serverOptions).toMatchObject({ command: exe, args: ['serve'], transport: lc.TransportKind.stdio, options: { cwd: dir } });
    expect(client.clientOptions.synchronize).toEqual({ configurationSection: 'refract' });
    expect(client.clientOptions.outputChannel).toBe(out.channel);
    const languages = new Set(client.clientOptions.documentSelector.map((f: any) => f.language));
    expect([...languages]).toEqual(['markdown', 'plaintext', 'git-commit', 'restructuredtext', 'latex']);
    expect(manager.running).toBe(true);
    expect(out.lines[0]).toContain(`Starting ${exe} serve`);
  });

  it('honours refract.languages', async () => {
    vscode.state.config['refract.languages'] = ['markdown', 'gitcommit'];
    vscode.state.config['refract.server.path'] = exe;
    await new ServerManager(output().channel).start();
    const languages = new Set(lc.clients[0].clientOptions.documentSelector.map((f: any) => f.language));
    expect([...languages]).toEqual(['markdown', 'git-commit']);
  });

  it('sends workspace/executeCommand with exactly one argument object', async () => {
    vscode.state.config['refract.server.path'] = exe;
    const manager = new ServerManager(output().channel);
    await manager.start();
    const args = { uri: 'file:///a.md', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, op: 'shorten' };
    await manager.execute('refract.rewrite', args);
    expect(lc.clients[0].requests[0].params).toEqual({ command: 'refract.rewrite', arguments: [args] });
    expect(lc.clients[0].requests[0].type).toBe(lc.ExecuteCommandRequest.type);
  });

  it('shows what it tried when no server is found, and offers the setting', async () => {
    vscode.state.config['refract.server.path'] = path.join(dir, 'not-executable');
    const out = output();
    vscode.state.messageAnswers.push('Open Settings');
    await new ServerManager(out.channel).start();
    expect(lc.clients).toHaveLength(0);
    expect(vscode.state.errors[0]).toContain('not an executable file');
    expect(out.lines[0]).toContain('Tried:');
    expect(vscode.state.executed).toContainEqual({ command: 'workbench.action.openSettings', args: ['refract.server.path'] });
    await expect(new ServerManager(out.channel).execute('refract.rewrite', {})).rejects.toThrow(/not running/);
  });

  it('restart stops and disposes the old client, then starts a new one', async () => {
    vscode.state.config['refract.server.path'] = exe;
    const manager = new ServerManager(output().channel);
    await manager.start();
    await manager.restart();
    expect(lc.clients).toHaveLength(2);
    expect(lc.clients[0].stop).toHaveBeenCalledOnce();
    expect(lc.clients[0].dispose).toHaveBeenCalledOnce();
    expect(lc.clients[1].state).toBe(lc.State.Running);
    expect(vscode.state.statusMessages).toContain('Refract: language server restarted');
    await manager.execute('refract.listPatches', {});
    expect(lc.clients[1].requests).toHaveLength(1);
    expect(lc.clients[0].requests).toHaveLength(0);
  });

  it('a server that fails to start is reported with the error', async () => {
    vscode.state.config['refract.server.path'] = exe;
    lc.behaviour.failStart = new Error('spawn EACCES');
    await new ServerManager(output().channel).start();
    expect(vscode.state.errors[0]).toBe(`Refract: could not start ${exe} serve: spawn EACCES`);
  });
});
