// The dashboard's HTML shell: a strict CSP (nothing but our own bundle, stylesheet, images and fonts
// from the extension; scripts only with this render's nonce), no inline script, every value escaped.
import { randomUUID } from 'node:crypto';

export interface ShellInputs {
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri of dist/webview.js and dist/webview.css */
  scriptUri: string;
  styleUri: string;
  nonce: string;
  title: string;
}

/** A fresh nonce per render: a new one every time the HTML is set. */
export function newNonce(): string {
  return randomUUID();
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function dashboardHtml(i: ShellInputs): string {
  const nonce = escapeHtml(i.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(i.cspSource, i.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(i.styleUri)}">
<title>${escapeHtml(i.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading the dashboard…</p></main>
<script nonce="${nonce}" src="${escapeHtml(i.scriptUri)}"></script>
</body>
</html>
`;
}
