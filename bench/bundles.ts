// bundle_bytes.*: sizes of the built bundles (dist/, as `node esbuild.mjs` just wrote them).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export interface BundleBytes { extension: number; webview: number; webview_css: number; cli: number; engine: number }

export function measureBundles(distDir = resolve('dist')): BundleBytes {
  const size = (f: string): number => statSync(resolve(distDir, f)).size;
  return { extension: size('extension.js'), webview: size('webview.js'), webview_css: size('webview.css'), cli: size('cli.js'), engine: size('engine.mjs') };
}
