/**
 * Against the real `refract serve` (run with `npm run test:server`; needs `refract` on PATH or
 * REFRACT_SERVER=/path/to/refract). Speaks LSP over stdio the way the extension does, builds
 * every argument object with the extension's own builders, and checks the answers against
 * docs/protocol.md. Commands the server does not list yet are skipped, and say so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  applyPatchArgs,
  applyTextArgs,
  blendArgs,
  featureArgs,
  featuresArgs,
  heatmapArgs,
  pasteStyleArgs,
  rewriteArgs,
  savePatchArgs,
  variationsArgs,
} from '../src/core/args';
import { discoverServer } from '../src/core/discovery';
import { errorOutcome, progressKindForTitle } from '../src/core/results';
import { blendPickItems } from '../src/core/blend';
import { featurePickItems } from '../src/core/setFeature';
import { previewRequests } from '../src/core/slider';

const URI = 'file:///tmp/refract-vscode-test.md';
const TEXT = '# Review\n\nThe hotel staff were friendly and the room was spotless.\n';
const LINE = 2;
const SENTENCE = 'The hotel staff were friendly and the room was spotless.';
const RANGE = { start: { line: LINE, character: 0 }, end: { line: LINE, character: SENTENCE.length } };

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'refract-ws-'));
let proc: ChildProcess;
let conn: MessageConnection;
let commands: string[] = [];
const applied: any[] = [];
const stderr: string[] = [];

function exe(): string {
  if (process.env.REFRACT_SERVER) return process.env.REFRACT_SERVER;
  const d = discoverServer(
    { workspaceFolders: [], env: process.env, platform: process.platform },
    { isExecutableFile: (p) => fs.existsSync(p) && fs.statSync(p).isFile() },
  );
  if (!d.found) throw new Error(d.message);
  return d.path;
}

const run = (command: string, args: object) => conn.sendRequest('workspace/executeCommand', { command, arguments: [args] });

beforeAll(async () => {
  proc = spawn(exe(), ['serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr!.on('data', (d) => stderr.push(String(d)));
  conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  conn.onRequest('workspace/configuration', (p: any) => p.items.map((i: any) => (i.section === 'refract' ? { samples: 2 } : null)));
  conn.onRequest('workspace/applyEdit', (p: any) => {
    applied.push(p);
    return { applied: true };
  });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification(() => undefined);
  conn.listen();
  const exited = new Promise<never>((_, reject) =>
    proc.on('exit', (code) => reject(new Error(`refract serve exited (code ${code}) before answering:\n${stderr.join('')}`))),
  );
  const init: any = await Promise.race([exited, conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: `file://${workspace}`,
    workspaceFolders: [{ uri: `file://${workspace}`, name: 'ws' }],
    capabilities: {
      workspace: { applyEdit: true, configuration: true, workspaceEdit: { documentChanges: true } },
      window: { workDoneProgress: true },
      textDocument: { hover: { contentFormat: ['markdown'] } },
    },
  })]);
  commands = init.capabilities.executeCommandProvider?.commands ?? [];
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: URI, languageId: 'markdown', version: 1, text: TEXT },
  });
}, 60_000);

afterAll(async () => {
  try {
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } catch {
    /* already gone */
  }
  conn?.dispose();
  proc?.kill();
  fs.rmSync(workspace, { recursive: true, force: true });
});

describe('refract serve, as the extension drives it', () => {
  it('lists refract.rewrite among its commands', () => {
    expect(commands).toContain('refract.rewrite');
  });

  it('slider preview: refract.rewrite with apply:false edits nothing and returns candidates and the version', async () => {
    const [req] = previewRequests(URI, RANGE, 0, -1);
    const result: any = await run('refract.rewrite', req.args);
    expect(typeof result.text).toBe('string');
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.candidates[0]).toEqual({
      text: expect.any(String),
      score: expect.any(Number),
      similarity: expect.any(Number),
      kept: expect.any(Number),
    });
    expect(result.version).toBe(1);
    expect(result.applied).toBe(false);
    expect(applied).toHaveLength(0);
  }, 120_000);

  it('Shorten: the server applies a versioned edit of the selection', async () => {
    const result: any = await run('refract.rewrite', rewriteArgs(URI, RANGE, 'shorten'));
    expect(result.applied).toBe(true);
    expect(applied).toHaveLength(1);
    const change = applied[0].edit.documentChanges[0];
    expect(change.textDocument).toEqual({ uri: URI, version: 1 });
    expect(change.edits[0].range).toEqual(RANGE);
    expect(change.edits[0].newText).toBe(result.text);
  }, 120_000);

  it('an empty selection answers InvalidParams with a message the extension shows as is', async () => {
    const empty = { start: { line: LINE, character: 3 }, end: { line: LINE, character: 3 } };
    const err: any = await run('refract.rewrite', { uri: URI, range: empty, op: 'shorten' }).then(
      () => undefined,
      (e) => e,
    );
    expect(err?.code).toBe(-32602);
    const shown = errorOutcome(err);
    expect(shown.level).toBe('error');
    expect(shown.message).toBe(err.message);
    expect(shown.message.length).toBeGreaterThan(5);
  }, 60_000);

  it('an unknown document answers InvalidParams too, and the server keeps serving', async () => {
    const err: any = await run('refract.rewrite', rewriteArgs('file:///nope.md', RANGE, 'shorten')).catch((e) => e);
    expect(err.code).toBe(-32602);
    expect(err.message).toMatch(/open it first|unknown document/);
  }, 60_000);

  it('refract.variations then refract.applyText', async (ctx) => {
    if (!commands.includes('refract.variations') || !commands.includes('refract.applyText')) {
      ctx.skip(); // not implemented by this server yet
    }
    const v: any = await run('refract.variations', variationsArgs(URI, RANGE));
    expect(v.candidates.length).toBeGreaterThan(0);
    expect(Number.isInteger(v.version)).toBe(true);
    const stale: any = await run('refract.applyText', applyTextArgs(URI, RANGE, v.candidates[0].text, v.version - 1));
    expect(stale.applied).toBe(false);
    expect(typeof stale.reason).toBe('string');
  }, 120_000);

  it('refract.features', async (ctx) => {
    if (!commands.includes('refract.features')) ctx.skip();
    const f: any = await run('refract.features', featuresArgs(URI, RANGE));
    expect(typeof f.axes).toBe('object');
    expect(Array.isArray(f.features)).toBe(true);
    expect(typeof f.markdown).toBe('string');
  }, 120_000);

  it('refract.heatmap', async (ctx) => {
    if (!commands.includes('refract.heatmap')) ctx.skip();
    const h: any = await run('refract.heatmap', heatmapArgs(URI));
    expect(h.sentences.length).toBeGreaterThan(0);
    expect(h.sentences[0].range.start).toEqual({ line: expect.any(Number), character: expect.any(Number) });
    expect(h.min).toBeLessThanOrEqual(h.max);
  }, 120_000);

  it('refract.listPatches', async (ctx) => {
    if (!commands.includes('refract.listPatches')) ctx.skip();
    const l: any = await run('refract.listPatches', {});
    expect(Array.isArray(l.patches)).toBe(true);
  }, 60_000);

  it('Blend before anything was copied: InvalidParams "no style copied yet…", shown as written', async (ctx) => {
    if (!commands.includes('refract.pasteStyle')) ctx.skip();
    const err: any = await run('refract.pasteStyle', blendArgs(URI, RANGE, 0.5, { apply: false })).then(
      () => undefined,
      (e) => e,
    );
    expect(err?.code).toBe(-32602);
    expect(err.message).toMatch(/no style copied yet/);
    expect(errorOutcome(err)).toEqual({ level: 'error', message: err.message });
  }, 60_000);

  it('Copy Style, then Paste Tone as a preview', async (ctx) => {
    if (!commands.includes('refract.copyStyle') || !commands.includes('refract.pasteStyle')) ctx.skip();
    const copied: any = await run('refract.copyStyle', { uri: URI, range: RANGE });
    expect(typeof copied.copied).toBe('string');
    const pasted: any = await run('refract.pasteStyle', pasteStyleArgs(URI, RANGE, 'tone', { apply: false }));
    expect(pasted.applied).toBe(false);
    expect(pasted.candidates.length).toBeGreaterThan(0);
  }, 120_000);

  it('Blend with the copied passage (aspect "blend", each offered weight accepted) as a preview', async (ctx) => {
    if (!commands.includes('refract.copyStyle') || !commands.includes('refract.pasteStyle')) ctx.skip();
    await run('refract.copyStyle', { uri: URI, range: RANGE });
    for (const weight of blendPickItems()) {
      const blended: any = await run('refract.pasteStyle', blendArgs(URI, RANGE, weight.amount, { apply: false }));
      expect(blended.applied, weight.label).toBe(false);
      expect(blended.candidates.length, weight.label).toBeGreaterThan(0);
      expect(typeof blended.text).toBe('string');
    }
  }, 120_000);

  it('Set Feature: refract.features, then refract.rewrite op "feature" by a listed id and by label, as previews', async (ctx) => {
    if (!commands.includes('refract.features')) ctx.skip();
    const f: any = await run('refract.features', featuresArgs(URI, RANGE));
    const listed = featurePickItems(f.features).filter((i) => i.feature !== undefined);
    if (listed.length) {
      const byId: any = await run('refract.rewrite', featureArgs(URI, RANGE, listed[0].feature!, 0, { apply: false }));
      expect(byId.applied).toBe(false);
      expect(byId.candidates.length).toBeGreaterThan(0);
    }
    const byLabel: any = await run('refract.rewrite', featureArgs(URI, RANGE, 'concert / band', 1.5, { apply: false }));
    expect(byLabel.applied).toBe(false);
    expect(byLabel.candidates.length).toBeGreaterThan(0);
    expect(applied).toHaveLength(1); // only the Shorten above edited the document
  }, 120_000);

  it('Set Feature: an unknown label is refused with a message the extension shows as is', async () => {
    const err: any = await run('refract.rewrite', featureArgs(URI, RANGE, 'concert / bandd', 1, { apply: false })).then(
      () => undefined,
      (e) => e,
    );
    expect(err?.code).toBe(-32602);
    expect(err.message).toMatch(/no feature is labelled/);
    expect(errorOutcome(err)).toEqual({ level: 'error', message: err.message });
  }, 120_000);

  it('Save Style Patch to the default relative path, find it in listPatches, apply it as a preview', async (ctx) => {
    for (const c of ['refract.savePatch', 'refract.listPatches', 'refract.applyPatch']) if (!commands.includes(c)) ctx.skip();
    const saved: any = await run('refract.savePatch', savePatchArgs(URI, RANGE, 'patches/hotel-review.json', 'hotel review'));
    expect(saved.name).toBe('hotel review');
    expect(fs.existsSync(path.resolve(workspace, saved.path))).toBe(true);
    const listed: any = await run('refract.listPatches', {});
    const found = listed.patches.find((p: any) => p.name === 'hotel review');
    expect(found).toBeDefined();
    const applied: any = await run('refract.applyPatch', applyPatchArgs(URI, RANGE, found.path, { apply: false }));
    expect(applied.candidates.length).toBeGreaterThan(0);
  }, 120_000);

  it('code actions on the selection include Shorten and Lengthen, kind refactor.rewrite', async () => {
    const actions: any[] = await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: RANGE,
      context: { diagnostics: [] },
    });
    const titles: string[] = actions.map((a) => a.title);
    expect(titles.some((t) => /\bShorten$/.test(t))).toBe(true);
    expect(titles.some((t) => /\bLengthen$/.test(t))).toBe(true);
    // The extension names the spinner after the code action's title.
    expect(titles.map(progressKindForTitle)).toEqual(expect.arrayContaining(['shorten', 'lengthen', 'sentiment']));
    expect(actions.every((a) => a.kind === 'refactor.rewrite')).toBe(true);
  }, 60_000);
});
