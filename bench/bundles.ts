// bundle_bytes.*: sizes of the bundles as shipped (minified, as `npm run package` builds them: esbuild.mjs
// --production), built here into a temp dir with esbuild.mjs's options, plus the development build in
// dist/ and the largest inputs of the extension bundle (what to look at when it grows).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

export interface BundleBytes {
  extension: number;
  webview: number;
  cli: number;
  /** node esbuild.mjs (development: not minified) in dist/. */
  dev: { extension: number; webview: number; cli: number; engine: number };
  /** Largest inputs of the shipped extension bundle, bytes they add. */
  extension_top_inputs: { path: string; bytes: number }[];
}

const NODE_EXTERNALS = ['vscode', '@napi-rs/canvas', 'chart.js', 'node-llama-cpp', 'playwright-core', 'mocha'];

export async function measureBundles(distDir = resolve('dist')): Promise<BundleBytes> {
  const out = mkdtempSync(join(tmpdir(), 'cf-bench-bundles-'));
  try {
    const common = { bundle: true, minify: true, legalComments: 'none' as const, mainFields: ['module', 'main'], define: { __CHIMERAFORGE_VERSION__: '"0.0.0"' }, metafile: true, logLevel: 'silent' as const };
    const ext = await esbuild.build({ ...common, entryPoints: { extension: 'src/vscode/extension.ts' }, outdir: out, platform: 'node', format: 'cjs', target: 'node20',
      external: NODE_EXTERNALS.filter((x) => x !== '@napi-rs/canvas'), alias: { '@napi-rs/canvas': './src/vscode/lazyCanvas.ts' } });
    await esbuild.build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: out, platform: 'node', format: 'cjs', target: 'node20', external: NODE_EXTERNALS });
    await esbuild.build({ ...common, entryPoints: { webview: 'webview/main.ts' }, outdir: out, platform: 'browser', format: 'iife', target: 'es2022' });
    const size = (dir: string, f: string): number => statSync(join(dir, f)).size;
    const output = Object.values(ext.metafile?.outputs ?? {}).find((o) => o.entryPoint);
    const top = Object.entries(output?.inputs ?? {}).map(([path, v]) => ({ path, bytes: v.bytesInOutput })).sort((a, b) => b.bytes - a.bytes).slice(0, 8);
    return {
      extension: size(out, 'extension.js'),
      webview: size(out, 'webview.js'),
      cli: size(out, 'cli.js'),
      dev: { extension: size(distDir, 'extension.js'), webview: size(distDir, 'webview.js'), cli: size(distDir, 'cli.js'), engine: size(distDir, 'engine.mjs') },
      extension_top_inputs: top,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
