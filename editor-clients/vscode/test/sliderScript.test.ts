// @vitest-environment happy-dom
/**
 * Runs the slider panel's own webview script in a DOM (happy-dom) with a fake
 * `acquireVsCodeApi`, and checks what it posts and how it renders what it receives.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SLIDER_SCRIPT, sliderBody } from '../src/core/html';

let posted: any[];
let state: unknown;

function load(saved?: unknown) {
  posted = [];
  state = saved;
  document.body.innerHTML = sliderBody();
  (globalThis as any).acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => posted.push(m),
    getState: () => state,
    setState: (s: unknown) => (state = s),
  });
  new Function(SLIDER_SCRIPT)();
}

function receive(data: unknown) {
  window.dispatchEvent(new MessageEvent('message', { data }));
}

const $ = (id: string) => document.getElementById(id) as HTMLInputElement;

function move(id: string, value: string) {
  $(id).value = value;
  $(id).dispatchEvent(new Event('input'));
}

describe('slider webview script', () => {
  beforeEach(() => load());

  it('announces it is ready and shows the excerpt it is sent', () => {
    expect(posted).toEqual([{ type: 'ready' }]);
    receive({ type: 'init', excerpt: 'The hotel <b>staff</b> were friendly.' });
    expect($('excerpt').textContent).toBe('The hotel <b>staff</b> were friendly.');
    expect($('excerpt').querySelector('b')).toBeNull(); // text, never HTML
  });

  it('shows slider values and posts them on Preview, then disables Preview while busy', () => {
    move('sentiment', '1.5');
    move('length', '-0.75');
    expect($('sentiment-value').textContent).toBe('+1.5');
    expect($('length-value').textContent).toBe('-0.75');
    ($('preview') as unknown as HTMLButtonElement).click();
    expect(posted[posted.length - 1]).toEqual({ type: 'preview', sentiment: 1.5, length: -0.75 });
    expect(($('preview') as unknown as HTMLButtonElement).disabled).toBe(true);
    ($('preview') as unknown as HTMLButtonElement).click();
    expect(posted.filter((m) => m.type === 'preview')).toHaveLength(1);
    expect(state).toEqual({ sentiment: 1.5, length: -0.75 });
  });

  it('restores slider positions from saved state', () => {
    load({ sentiment: -2, length: 1 });
    expect($('sentiment').value).toBe('-2');
    expect($('length-value').textContent).toBe('+1');
  });

  it('renders candidates as text with scores and posts apply with group and index', () => {
    receive({
      type: 'candidates',
      groups: [
        { title: 'Sentiment +1', version: 3, seconds: 0.42, candidates: [{ text: 'Great <i>stay</i>.', score: 0.912 }] },
        { title: 'Shorter +1', version: 3, seconds: 0.3, candidates: [{ text: 'A.', score: 0.5 }, { text: 'B.', score: 0.4 }] },
      ],
    });
    const items = document.querySelectorAll('ol.candidates li');
    expect(items).toHaveLength(3);
    expect(items[0].querySelector('.text')!.textContent).toBe('Great <i>stay</i>.');
    expect(items[0].querySelector('i')).toBeNull();
    expect(items[0].querySelector('.score')!.textContent).toBe('score 0.91');
    expect(document.querySelectorAll('#results h2')[1].textContent).toBe('Shorter +1 (0.3 s)');
    (items[2].querySelector('button.apply') as HTMLButtonElement).click();
    expect(posted[posted.length - 1]).toEqual({ type: 'apply', group: 1, index: 1 });
    expect((items[0].querySelector('button.apply') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows an applied/not-applied reason and errors in the status line', () => {
    receive({ type: 'candidates', groups: [{ title: 'T', version: 1, seconds: 1, candidates: [{ text: 'x', score: 1 }] }] });
    receive({ type: 'applied', applied: false, message: 'Not applied: the document changed', excerpt: 'old' });
    expect($('status').textContent).toBe('Not applied: the document changed');
    expect($('status').className).toBe('error');
    expect(document.querySelectorAll('ol.candidates li')).toHaveLength(1); // still there to retry
    receive({ type: 'applied', applied: true, message: 'Applied.', excerpt: 'new text' });
    expect($('excerpt').textContent).toBe('new text');
    expect(document.querySelectorAll('ol.candidates li')).toHaveLength(0);
    receive({ type: 'error', message: 'Move the sentiment or length slider away from 0 first.' });
    expect($('status').textContent).toMatch(/Move the sentiment/);
    expect(($('preview') as unknown as HTMLButtonElement).disabled).toBe(false);
  });

  it('Reset puts both sliders back to 0 and clears results', () => {
    move('sentiment', '2');
    receive({ type: 'candidates', groups: [{ title: 'T', version: 1, seconds: 1, candidates: [{ text: 'x', score: 1 }] }] });
    ($('reset') as unknown as HTMLButtonElement).click();
    expect($('sentiment').value).toBe('0');
    expect($('sentiment-value').textContent).toBe('0');
    expect($('results').textContent).toBe('');
  });
});
