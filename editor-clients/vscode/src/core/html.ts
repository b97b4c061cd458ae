/**
 * HTML of the webviews (slider panel, feature readout). Pure string building: every piece of
 * text from a document or the server is escaped, and each page carries a strict
 * Content-Security-Policy in which only scripts with this page's nonce may run.
 */
import { randomBytes } from 'node:crypto';
import type { FeaturesResult } from './protocol';
import { SLIDER_MAX, SLIDER_MIN, SLIDER_STEP } from './slider';
import { signed } from './heatmap';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A fresh nonce: 128 random bits, base64 (letters, digits, +, /, =). */
export function makeNonce(random: (n: number) => Uint8Array = randomBytes): string {
  return Buffer.from(random(16)).toString('base64');
}

/**
 * The Content-Security-Policy: nothing by default; styles and scripts only with the nonce;
 * images and fonts only from the webview's own resource origin.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string, scripts: boolean): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    scripts ? `script-src 'nonce-${nonce}'` : "script-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const BASE_CSS = `
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
         background: var(--vscode-editor-background); padding: 0 1.2em 1.2em; line-height: 1.45; }
  h1 { font-size: 1.3em; font-weight: 600; margin: 1em 0 .4em; }
  h2 { font-size: 1.05em; font-weight: 600; margin: 1.2em 0 .4em; }
  .excerpt { border-left: 3px solid var(--vscode-textBlockQuote-border, #888); padding: .3em .8em; margin: .5em 0 1em;
             background: var(--vscode-textBlockQuote-background, transparent); white-space: pre-wrap; }
  .muted { color: var(--vscode-descriptionForeground); }
  button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background);
           border: 1px solid var(--vscode-button-border, transparent); padding: .25em .9em; cursor: pointer; border-radius: 2px; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button:disabled { opacity: .5; cursor: default; }
  table { border-collapse: collapse; }
  td, th { padding: .2em .8em .2em 0; text-align: left; vertical-align: middle; }
  .num { font-family: var(--vscode-editor-font-family); text-align: right; white-space: nowrap; }
`;

function page(title: string, cspSource: string, nonce: string, css: string, body: string, script?: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce, script !== undefined)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${BASE_CSS}${css}</style>
</head>
<body>
${body}
${script !== undefined ? `<script nonce="${nonce}">${script}</script>` : ''}
</body>
</html>`;
}

/* ---------------------------------------------------------------- slider panel */

const SLIDER_CSS = `
  .slider { display: grid; grid-template-columns: 7em 1fr 3.5em; gap: .6em; align-items: center; margin: .6em 0; max-width: 34em; }
  .slider input { width: 100%; }
  .ends { display: grid; grid-template-columns: 7em 1fr 3.5em; gap: .6em; max-width: 34em; font-size: .85em; margin-top: -.5em; }
  .ends span:nth-child(2) { display: flex; justify-content: space-between; }
  .actions { margin: 1em 0; display: flex; gap: .6em; }
  #status { min-height: 1.4em; margin: .4em 0; }
  #status.error { color: var(--vscode-errorForeground); }
  ol.candidates { padding-left: 1.6em; }
  ol.candidates li { margin: .45em 0; }
  ol.candidates .text { white-space: pre-wrap; }
  ol.candidates .score { margin: 0 .6em; }
`;

export function sliderBody(): string {
  const slider = (id: string, label: string, low: string, high: string) => `
  <div class="slider">
    <label for="${id}">${label}</label>
    <input type="range" id="${id}" min="${SLIDER_MIN}" max="${SLIDER_MAX}" step="${SLIDER_STEP}" value="0" aria-describedby="${id}-value">
    <output id="${id}-value" class="num" for="${id}">0</output>
  </div>
  <div class="ends muted"><span></span><span><span>${low}</span><span>${high}</span></span><span></span></div>`;
  return `
  <h1>Refract sliders</h1>
  <div class="muted">Selection captured when the panel opened:</div>
  <div id="excerpt" class="excerpt"></div>
  ${slider('sentiment', 'Sentiment', 'more negative', 'more positive')}
  ${slider('length', 'Length', 'shorter', 'longer')}
  <div class="actions">
    <button id="preview">Preview</button>
    <button id="reset" class="secondary">Reset</button>
  </div>
  <div id="status" role="status" aria-live="polite"></div>
  <div id="results"></div>`;
}

/** The panel's script: plain DOM code, no innerHTML for anything the server sent. */
export const SLIDER_SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const sentiment = $('sentiment');
  const length = $('length');
  const previewButton = $('preview');
  const status = $('status');
  const results = $('results');
  const fmt = (v) => (v > 0 ? '+' : '') + v;
  let busy = false;

  function setStatus(text, isError) {
    status.textContent = text || '';
    status.className = isError ? 'error' : '';
  }
  function setBusy(b) {
    busy = b;
    previewButton.disabled = b;
    document.querySelectorAll('button.apply').forEach((x) => { x.disabled = b; });
  }
  function showValues() {
    $('sentiment-value').textContent = fmt(Number(sentiment.value));
    $('length-value').textContent = fmt(Number(length.value));
    vscode.setState({ sentiment: Number(sentiment.value), length: Number(length.value) });
  }
  function renderGroups(groups) {
    results.textContent = '';
    groups.forEach((group, g) => {
      const h = document.createElement('h2');
      h.textContent = group.title + ' ';
      const took = document.createElement('span');
      took.className = 'muted';
      took.textContent = '(' + Number(group.seconds).toFixed(1) + ' s)';
      h.appendChild(took);
      results.appendChild(h);
      if (!group.candidates.length) {
        const p = document.createElement('p');
        p.className = 'muted';
        p.textContent = 'No candidates.';
        results.appendChild(p);
        return;
      }
      const ol = document.createElement('ol');
      ol.className = 'candidates';
      group.candidates.forEach((c, i) => {
        const li = document.createElement('li');
        const text = document.createElement('span');
        text.className = 'text';
        text.textContent = c.text;
        const score = document.createElement('span');
        score.className = 'score muted num';
        score.textContent = 'score ' + Number(c.score).toFixed(2);
        score.title = 'cosine between the candidate and where the edit aimed (1.00 = exactly there)';
        const apply = document.createElement('button');
        apply.className = 'apply';
        apply.textContent = 'Apply';
        apply.dataset.group = String(g);
        apply.dataset.index = String(i);
        apply.addEventListener('click', () => {
          if (busy) return;
          setBusy(true);
          vscode.postMessage({ type: 'apply', group: g, index: i });
        });
        li.append(text, score, apply);
        ol.appendChild(li);
      });
      results.appendChild(ol);
    });
  }

  const saved = vscode.getState();
  if (saved) {
    sentiment.value = String(saved.sentiment ?? 0);
    length.value = String(saved.length ?? 0);
  }
  showValues();
  sentiment.addEventListener('input', showValues);
  length.addEventListener('input', showValues);
  $('reset').addEventListener('click', () => {
    sentiment.value = '0';
    length.value = '0';
    showValues();
    results.textContent = '';
    setStatus('');
  });
  previewButton.addEventListener('click', () => {
    if (busy) return;
    setBusy(true);
    setStatus('Previewing…');
    vscode.postMessage({ type: 'preview', sentiment: Number(sentiment.value), length: Number(length.value) });
  });

  window.addEventListener('message', (event) => {
    const m = event.data || {};
    switch (m.type) {
      case 'init':
        $('excerpt').textContent = m.excerpt;
        break;
      case 'busy':
        setBusy(true);
        setStatus(m.label);
        break;
      case 'candidates':
        setBusy(false);
        setStatus(m.groups.length ? 'Pick a candidate to apply it.' : '');
        renderGroups(m.groups);
        break;
      case 'applied':
        setBusy(false);
        setStatus(m.message, !m.applied);
        $('excerpt').textContent = m.excerpt;
        if (m.applied) results.textContent = '';
        break;
      case 'error':
        setBusy(false);
        setStatus(m.message, true);
        break;
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
`;

export function sliderHtml(cspSource: string, nonce: string): string {
  return page('Refract sliders', cspSource, nonce, SLIDER_CSS, sliderBody(), SLIDER_SCRIPT);
}

/* ---------------------------------------------------------------- features */

const FEATURES_CSS = `
  .bar { position: relative; width: 14em; height: .8em; background: var(--vscode-editorWidget-background, rgba(128,128,128,.15));
         border: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.4)); }
  .bar .mid { position: absolute; left: 50%; top: -2px; bottom: -2px; width: 1px; background: var(--vscode-descriptionForeground); }
  .bar .fill { position: absolute; top: 0; bottom: 0; }
  .bar .fill.pos { background: rgba(249, 115, 22, .75); }
  .bar .fill.neg { background: rgba(37, 99, 235, .75); }
  .report { margin-top: 1.5em; }
  .report pre { white-space: pre-wrap; }
`;

/** Axis readouts are calibrated (±1 = where the axis's examples sit); bars span -2..2. */
export const BAR_LIMIT = 2;

/** Left offset and width (percent of the bar) of a value's fill, from the middle. */
export function barGeometry(value: number, limit = BAR_LIMIT): { left: number; width: number; positive: boolean } {
  const v = Number.isFinite(value) ? Math.max(-limit, Math.min(limit, value)) : 0;
  const width = Math.round((Math.abs(v) / limit) * 50 * 10) / 10;
  return { left: v >= 0 ? 50 : 50 - width, width, positive: v >= 0 };
}

/** Style rules for the bars (inline style attributes are blocked by the CSP, so classes per row). */
function barRules(values: number[]): string {
  return values
    .map((v, i) => {
      const g = barGeometry(v);
      return `.fill.b${i} { left: ${g.left}%; width: ${g.width}%; }`;
    })
    .join('\n');
}

export interface FeaturesPage {
  excerpt: string;
  result: FeaturesResult;
  /** The server's markdown rendered to HTML by VS Code's Markdown extension, if available. */
  renderedMarkdown?: string;
}

export function featuresHtml(cspSource: string, nonce: string, p: FeaturesPage): string {
  const axes = Object.entries(p.result.axes ?? {});
  const axisRows = axes
    .map(([name, value], i) => {
      const g = barGeometry(value);
      return `<tr><th scope="row">${escapeHtml(name)}</th>
  <td><div class="bar" role="img" aria-label="${escapeHtml(name)} ${signed(value)}"><div class="mid"></div><div class="fill b${i} ${g.positive ? 'pos' : 'neg'}"></div></div></td>
  <td class="num">${signed(value)}</td></tr>`;
    })
    .join('\n');
  const features = p.result.features ?? [];
  const featureRows = features
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.label)}</td><td class="num muted">#${escapeHtml(String(f.id))}</td><td class="num">${signed(f.value)}</td></tr>`,
    )
    .join('\n');
  const report = p.renderedMarkdown
    ? `<div class="report"><h2>Server report</h2>${p.renderedMarkdown}</div>`
    : p.result.markdown
      ? `<div class="report"><h2>Server report</h2><pre>${escapeHtml(p.result.markdown)}</pre></div>`
      : '';
  const body = `
  <h1>Refract features</h1>
  <div class="excerpt">${escapeHtml(p.excerpt)}</div>
  <h2>Axes</h2>
  ${axes.length ? `<table>${axisRows}</table><p class="muted">Calibrated: −1 is where the axis's low examples sit on average, +1 where its high examples sit.</p>` : '<p class="muted">No axis readouts.</p>'}
  <h2>Strongest labelled features</h2>
  ${features.length ? `<table><tr><th>label</th><th class="num">id</th><th class="num">value</th></tr>${featureRows}</table>` : '<p class="muted">No labelled feature is confident enough for this text.</p>'}
  ${report}`;
  return page('Refract features', cspSource, nonce, FEATURES_CSS + barRules(axes.map(([, v]) => v)), body);
}
