import { describe, expect, it } from 'vitest';
import type { Range } from '../src/core/protocol';
import { previewRequests, SliderController, sliderValue, type SliderHost, type ToWebview } from '../src/core/slider';

const uri = 'file:///ws/a.md';
const range: Range = { start: { line: 1, character: 0 }, end: { line: 1, character: 32 } };

function fakeHost(answers: Record<string, unknown | ((args: any) => unknown)>) {
  const calls: Array<{ command: string; args: any; progress: string }> = [];
  const posted: ToWebview[] = [];
  const reported: Array<{ level: string; message: string }> = [];
  const host: SliderHost = {
    async execute<T>(command: string, args: object, progress: string) {
      calls.push({ command, args, progress });
      const a = answers[command];
      if (a instanceof Error) throw a;
      return (typeof a === 'function' ? (a as (x: unknown) => unknown)(args) : a) as T;
    },
    post: (m) => posted.push(m),
    report: (o) => reported.push(o),
  };
  return { host, calls, posted, reported };
}

const rewriteAnswer = (args: any) => ({
  text: `${args.op} best`,
  candidates: [
    { text: `${args.op} best`, score: 0.9 },
    { text: `${args.op} second`, score: 0.7 },
  ],
  seconds: 0.5,
  version: 12,
  applied: false,
  reason: null,
});

describe('preview requests from slider positions', () => {
  it('sentiment only: one sentiment rewrite with the signed amount, not applied', () => {
    const reqs = previewRequests(uri, range, -1.5, 0);
    expect(reqs).toHaveLength(1);
    expect(reqs[0].title).toBe('Sentiment -1.5');
    expect(reqs[0].args).toEqual({ uri, range, op: 'sentiment', amount: -1.5, apply: false });
  });

  it('length picks shorten or lengthen by sign, with a positive amount', () => {
    expect(previewRequests(uri, range, 0, -2)[0].args).toEqual({ uri, range, op: 'shorten', amount: 2, apply: false });
    expect(previewRequests(uri, range, 0, 0.75)[0].args).toEqual({ uri, range, op: 'lengthen', amount: 0.75, apply: false });
    expect(previewRequests(uri, range, 0, -2)[0].title).toBe('Shorter +2');
  });

  it('both sliders: two requests; both at 0: none', () => {
    expect(previewRequests(uri, range, 1, 1).map((r) => r.args.op)).toEqual(['sentiment', 'lengthen']);
    expect(previewRequests(uri, range, 0, 0)).toEqual([]);
  });

  it('clamps slider values to -2..2 and treats junk as 0', () => {
    expect(sliderValue(5)).toBe(2);
    expect(sliderValue('-1.25')).toBe(-1.25);
    expect(sliderValue('abc')).toBe(0);
  });
});

describe('SliderController', () => {
  it('greets the webview with the captured selection', async () => {
    const { host, posted } = fakeHost({});
    const c = new SliderController(host, uri, range, 'The hotel staff were friendly.\n');
    await c.handle({ type: 'ready' });
    expect(posted).toEqual([{ type: 'init', excerpt: 'The hotel staff were friendly.' }]);
  });

  it('preview: calls refract.rewrite with apply:false and posts the candidates with their version', async () => {
    const { host, calls, posted } = fakeHost({ 'refract.rewrite': rewriteAnswer });
    const c = new SliderController(host, uri, range, 'text');
    await c.handle({ type: 'preview', sentiment: 1, length: -1 });
    expect(calls.map((x) => [x.command, x.args.op, x.args.apply, x.progress])).toEqual([
      ['refract.rewrite', 'sentiment', false, 'preview'],
      ['refract.rewrite', 'shorten', false, 'preview'],
    ]);
    const last = posted[posted.length - 1];
    expect(last.type).toBe('candidates');
    if (last.type === 'candidates') {
      expect(last.groups.map((g) => g.title)).toEqual(['Sentiment +1', 'Shorter +1']);
      expect(last.groups[1].candidates[0].text).toBe('shorten best');
      expect(last.groups[0].version).toBe(12);
    }
    expect(posted.filter((m) => m.type === 'busy')).toHaveLength(2);
  });

  it('preview with both sliders at 0 asks the writer to move one, without calling the server', async () => {
    const { host, calls, posted } = fakeHost({});
    await new SliderController(host, uri, range, 't').handle({ type: 'preview', sentiment: 0, length: 0 });
    expect(calls).toEqual([]);
    expect(posted).toEqual([{ type: 'error', message: 'Move the sentiment or length slider away from 0 first.' }]);
  });

  it('apply: calls refract.applyText with the chosen text and the preview\'s version, then tracks the new range', async () => {
    const { host, calls, posted } = fakeHost({
      'refract.rewrite': rewriteAnswer,
      'refract.applyText': { applied: true },
    });
    const c = new SliderController(host, uri, range, 'text');
    await c.handle({ type: 'preview', sentiment: 0, length: 1 });
    await c.handle({ type: 'apply', group: 0, index: 1 });
    expect(calls[1]).toEqual({
      command: 'refract.applyText',
      args: { uri, range, text: 'lengthen second', version: 12 },
      progress: 'apply',
    });
    expect(posted[posted.length - 1]).toMatchObject({ type: 'applied', applied: true, excerpt: 'lengthen second' });
    expect(c.currentRange).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 15 } });
  });

  it('a reloaded page (panel hidden and shown) gets the excerpt and the candidates back', async () => {
    const { host, posted } = fakeHost({ 'refract.rewrite': rewriteAnswer });
    const c = new SliderController(host, uri, range, 'text');
    await c.handle({ type: 'preview', sentiment: 1, length: 0 });
    posted.length = 0;
    await c.handle({ type: 'ready' });
    expect(posted.map((m) => m.type)).toEqual(['init', 'candidates']);
  });

  it('apply refused: shows the reason in the panel and as a warning', async () => {
    const reason = 'the document changed since the preview';
    const { host, posted, reported } = fakeHost({
      'refract.rewrite': rewriteAnswer,
      'refract.applyText': { applied: false, reason },
    });
    const c = new SliderController(host, uri, range, 'text');
    await c.handle({ type: 'preview', sentiment: 2, length: 0 });
    await c.handle({ type: 'apply', group: 0, index: 0 });
    expect(posted[posted.length - 1]).toEqual({ type: 'applied', applied: false, message: `Not applied: ${reason}`, excerpt: 'text' });
    expect(reported).toEqual([{ level: 'warning', message: `Refract did not change the text: ${reason}` }]);
    expect(c.currentRange).toEqual(range);
  });

  it('server error: the server\'s message in the panel and as an error message', async () => {
    const err = Object.assign(new Error('the selection has 412 words; Refract rewrites up to 200 at a time'), { code: -32602 });
    const { host, posted, reported } = fakeHost({ 'refract.rewrite': err });
    await new SliderController(host, uri, range, 't').handle({ type: 'preview', sentiment: 1, length: 0 });
    expect(posted[posted.length - 1]).toEqual({ type: 'error', message: err.message });
    expect(reported).toEqual([{ level: 'error', message: err.message }]);
  });

  it('apply of a candidate that does not exist is refused without calling the server', async () => {
    const { host, calls, posted } = fakeHost({});
    await new SliderController(host, uri, range, 't').handle({ type: 'apply', group: 3, index: 0 });
    expect(calls).toEqual([]);
    expect(posted[0]).toMatchObject({ type: 'error' });
  });
});
