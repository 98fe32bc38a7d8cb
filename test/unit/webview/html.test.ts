// The dashboard's HTML shell: strict CSP, every script carries this render's nonce and a src (no
// inline script), a fresh nonce per render, every interpolated value escaped.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contentSecurityPolicy, dashboardHtml, escapeHtml, newNonce } from '../../../src/vscode/dashboard/html';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function shell(nonce: string, title = 'Chimeraforge: TR12'): string {
  return dashboardHtml({ cspSource: CSP_SOURCE, scriptUri: `${CSP_SOURCE}/ext/dist/webview.js`, styleUri: `${CSP_SOURCE}/ext/dist/webview.css`, nonce, title });
}

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'no CSP meta tag');
  return m[1].replace(/&#39;/g, "'");
}

describe('webview: HTML shell', () => {
  it('declares the strict CSP: nothing by default, scripts by nonce only, styles/images/fonts from the extension', () => {
    const nonce = newNonce();
    const directives = cspOf(shell(nonce)).split(';').map((d) => d.trim());
    assert.deepEqual(directives, [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${CSP_SOURCE} 'nonce-${nonce}'`,
      `img-src ${CSP_SOURCE} data:`,
      `font-src ${CSP_SOURCE}`,
    ]);
    assert.ok(!/unsafe-inline|unsafe-eval|https?:\/\/\*|\*/.test(cspOf(shell(nonce))), 'no wildcard or unsafe source');
  });

  it('every script tag has the nonce and a src, and no inline body; no inline handlers or style blocks', () => {
    const nonce = newNonce();
    const html = shell(nonce);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, new RegExp(`nonce="${nonce}"`));
      assert.match(attrs, /src="[^"]+\/dist\/webview\.js"/);
      assert.equal(body.trim(), '');
    }
    assert.ok(!/\son[a-z]+=/i.test(html), 'inline event handler');
    assert.ok(!/<style\b/i.test(html), 'inline style block');
    assert.match(html, new RegExp(`<link rel="stylesheet" nonce="${nonce}" href="[^"]+/dist/webview\\.css">`));
  });

  it('a fresh nonce per render: 1,000 nonces are distinct and valid CSP nonce values', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const n = newNonce();
      assert.match(n, /^[A-Za-z0-9+/_-]{16,}$/);
      seen.add(n);
    }
    assert.equal(seen.size, 1000);
    const [a, b] = [newNonce(), newNonce()];
    assert.notEqual(cspOf(shell(a)), cspOf(shell(b)));
  });

  const escapes: [string, string][] = [
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"onload="x', '&quot;onload=&quot;x'],
    ["it's & more", 'it&#39;s &amp; more'],
    ['plain', 'plain'],
  ];
  for (const [raw, escaped] of escapes) {
    it(`escapes ${JSON.stringify(raw)} in interpolated values`, () => {
      assert.equal(escapeHtml(raw), escaped);
      const html = shell(newNonce(), raw);
      assert.ok(html.includes(`<title>${escaped}</title>`));
      assert.equal([...html.matchAll(/<script\b/g)].length, 1, 'the title did not add a script');
    });
  }

  it('contentSecurityPolicy is what the shell embeds', () => {
    const n = newNonce();
    assert.equal(cspOf(shell(n)), contentSecurityPolicy(CSP_SOURCE, n));
  });
});

describe('webview: no HTML parsing of data', () => {
  // The app builds DOM with createElement/textContent only; any of these would parse strings as HTML.
  const dir = resolve(__dirname, '..', '..', '..', 'webview');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  it('the webview sources exist', () => assert.ok(files.length >= 8, files.join(', ')));
  for (const f of files) {
    it(`${f} never uses innerHTML, outerHTML, insertAdjacentHTML, document.write or eval`, () => {
      const src = readFileSync(join(dir, f), 'utf8');
      assert.deepEqual(src.match(/\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(/g), null);
    });
  }
});
