// Builds every bundle of the project. Usage: node esbuild.mjs [--watch] [--production]
//   dist/extension.js  VS Code extension host (cjs, vscode external)
//   dist/reportWorker.js  the extension's report writer, run in a worker thread
//   dist/cli.js        the chimeraforge command (cjs, shebang)
//   dist/webview.js    the dashboard (browser iife; Chart.js lives here only)
//   dist/engine.mjs    the embedded Ollama-compatible engine (esm: node-llama-cpp is ESM-only)
//   dist/test/integration/*.js  the mocha suite that runs inside the real extension host
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// Native or ESM-only packages are loaded at run time from node_modules, never bundled.
// chart.js too: in node it only draws report PNGs and is loaded on first use; the webview bundle carries it.
const nodeExternals = ['vscode', '@napi-rs/canvas', 'chart.js', 'node-llama-cpp', 'playwright-core', 'mocha'];

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const common = {
  define: { __CHIMERAFORGE_VERSION__: JSON.stringify(pkg.version) },
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // Prefer ESM entry points: some packages' UMD "main" (jsonc-parser) hides requires from the bundler.
  mainFields: ['module', 'main'],
};

function testEntries(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

const builds = [
  // The native canvas is loaded lazily by the extension (src/vscode/lazyCanvas.ts): the .vsix carries no node_modules.
  { ...common, entryPoints: { extension: 'src/vscode/extension.ts', reportWorker: 'src/vscode/reportWorker.ts' }, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20',
    external: nodeExternals.filter((x) => x !== '@napi-rs/canvas'), alias: { '@napi-rs/canvas': './src/vscode/lazyCanvas.ts' } },
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals, banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: { engine: 'engine/main.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' }, platform: 'node', format: 'esm', target: 'node20', external: nodeExternals,
    // esm output of cjs dependencies needs a require()
    banner: { js: "import { createRequire as __cfCreateRequire } from 'node:module'; const require = __cfCreateRequire(import.meta.url);" } },
  { ...common, entryPoints: testEntries('test/integration'), outdir: 'dist/test/integration', outbase: 'test/integration', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
];

if (!watch) rmSync('dist', { recursive: true, force: true, maxRetries: 3 });
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  const t0 = Date.now();
  const entries = (b) => (Array.isArray(b.entryPoints) ? b.entryPoints : Object.values(b.entryPoints));
  await Promise.all(builds.filter((b) => entries(b).length > 0).map((b) => esbuild.build(b)));
  console.log(`esbuild: built ${builds.length} bundles in ${Date.now() - t0} ms`);
}
