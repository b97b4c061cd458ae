import { describe, expect, it } from 'vitest';
import { barGeometry, contentSecurityPolicy, escapeHtml, featuresHtml, makeNonce, sliderHtml } from '../src/core/html';

const csp = 'vscode-webview://abc';

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  if (!m) throw new Error('no CSP meta');
  return m[1];
}

describe('webview security', () => {
  it('nonces are fresh, 128-bit and base64', () => {
    const a = makeNonce();
    const b = makeNonce();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(makeNonce(() => new Uint8Array(16))).toBe('AAAAAAAAAAAAAAAAAAAAAA==');
  });

  it('the CSP denies everything by default and allows scripts only by nonce', () => {
    const policy = contentSecurityPolicy(csp, 'N0NCE', true);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'nonce-N0NCE'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy(csp, 'N', false)).toContain("script-src 'none'");
  });

  it('the slider page: every script and style carries the nonce; no inline handlers', () => {
    const html = sliderHtml(csp, 'abc123');
    expect(cspOf(html)).toContain("script-src 'nonce-abc123'");
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBe(1);
    expect(scripts.every((s) => s.includes('nonce="abc123"'))).toBe(true);
    const styles = html.match(/<style[^>]*>/g) ?? [];
    expect(styles.every((s) => s.includes('nonce="abc123"'))).toBe(true);
    expect(html).not.toMatch(/\son[a-z]+=/i); // onclick= etc.
    expect(html).not.toMatch(/\sstyle="/); // inline styles would be blocked
    expect(html).toContain('type="range" id="sentiment" min="-2" max="2"');
    expect(html).toContain('type="range" id="length" min="-2" max="2"');
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
});

describe('features page', () => {
  const result = {
    axes: { sentiment: 0.41, formality: -1.3, length: 3.5 },
    features: [{ id: 12, label: 'weather <rain>', value: 0.8 }],
    markdown: '**Refract** <script>alert(1)</script>',
  };

  it('renders axes with signed values, features and the escaped excerpt; no scripts allowed', () => {
    const html = featuresHtml(csp, 'n1', { excerpt: 'It <b>rained</b>.', result });
    expect(cspOf(html)).toContain("script-src 'none'");
    expect(html).toContain('<th scope="row">sentiment</th>');
    expect(html).toContain('+0.41');
    expect(html).toContain('-1.30');
    expect(html).toContain('weather &lt;rain&gt;');
    expect(html).toContain('#12');
    expect(html).toContain('It &lt;b&gt;rained&lt;/b&gt;.');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)'); // server markdown shown as text when not rendered
  });

  it('uses VS Code\'s rendered markdown when given', () => {
    const html = featuresHtml(csp, 'n1', { excerpt: 'x', result, renderedMarkdown: '<p><strong>Refract</strong></p>' });
    expect(html).toContain('<p><strong>Refract</strong></p>');
  });

  it('bars grow from the middle and are clamped to ±2', () => {
    expect(barGeometry(1)).toEqual({ left: 50, width: 25, positive: true });
    expect(barGeometry(-2)).toEqual({ left: 0, width: 50, positive: false });
    expect(barGeometry(3.5)).toEqual({ left: 50, width: 50, positive: true });
    const html = featuresHtml(csp, 'n1', { excerpt: 'x', result });
    expect(html).toContain('.fill.b1 { left: 17.5%; width: 32.5%; }');
  });

  it('says so when there are no labelled features', () => {
    const html = featuresHtml(csp, 'n', { excerpt: 'x', result: { axes: {}, features: [], markdown: '' } });
    expect(html).toContain('No labelled feature is confident enough');
    expect(html).toContain('No axis readouts.');
  });
});
