// A person installs a .vsix into code-server and runs a workspace experiment from the palette against
// the real engine; the report the installed extension writes (in its worker thread) is checked:
// - the linux-x64 .vsix carries the chart renderer: the report's PNG figures exist and it links each one;
// - the universal .vsix has none: the report says its figures are in the dashboard only.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEngine, type EngineHandle } from '../../engine/api';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { makeTempDir, makeWorkspace, type TempWorkspace } from '../harness/workspace';

const ROOT = resolve(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DASHBOARD_ONLY = 'Figures are drawn in the dashboard only';

interface Installed { wb: Workbench; ws: TempWorkspace; eng: EngineHandle; root: string }

/** The .vsix (copied: a rebuild of dist/ must not pull it away) in code-server, a workspace with a small A/B experiment. */
function installed(vsixName: string): () => Installed {
  let it: Installed | undefined;
  before(async () => {
    const src = join(ROOT, 'dist', vsixName);
    assert.ok(existsSync(src), `${src} is missing: run \`node scripts/package-vsix.mjs universal linux-x64\` (npm run test:e2e does)`);
    const vsix = join(makeTempDir('chimeraforge-vsix-'), vsixName);
    copyFileSync(src, vsix);
    const eng = await startEngine({ mode: 'paced', paced: { ttftMs: 20, tokensPerSec: 2000, tokens: 40 } });
    const ws = makeWorkspace({ prefix: 'chimeraforge-vsix-figures-' });
    writeFileSync(join(ws.path, 'ab.experiment.json'), JSON.stringify({
      title: 'Report figures from the installed extension', kind: 'prompt', model: 'tiny:latest', prompts: ['Why is the sky blue?'],
      variants: [{ name: 'baseline', options: {} }, { name: 'tuned', options: { temperature: 0.8, top_k: 40 } }],
      repetitions: 4, warmup: 0, cooldownMs: 0, maxTokens: 40,
    }, null, 2));
    const wb = await openWorkbench({ workspace: ws.path, installVsix: [vsix], artifactsDir: ARTIFACTS, settings: { 'chimeraforge.endpoints': { default: eng.url } } });
    const root = readdirSync(wb.server.extensionsDir).find((d) => d.startsWith(`chimeraforge.chimeraforge-${VERSION}`));
    assert.ok(root, `not installed: ${readdirSync(wb.server.extensionsDir).join(', ')}`);
    it = { wb, ws, eng, root: join(wb.server.extensionsDir, root) };
  });
  after(async () => {
    await it?.wb.close();
    await it?.ws.dispose();
    await it?.eng.stop();
  });
  return () => it!;
}

/** Runs ab.experiment.json from the palette ("As in the file") and returns TR1's report text. */
async function runFromPalette(x: Installed, shot: string): Promise<string> {
  const page = x.wb.page;
  await x.wb.runCommand('Chimeraforge: Run Experiment…');
  const row = (text: string) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row('ab.experiment.json').waitFor({ timeout: 60_000 });
  await row('ab.experiment.json').click();
  await row('As in the file').waitFor({ timeout: 30_000 });
  await row('As in the file').click();
  await page.locator('.notifications-toasts .notification-toast', { hasText: /TR1 complete/ }).waitFor({ timeout: 180_000 });
  await x.wb.screenshot(shot);
  const file = join(x.ws.path, 'reports', 'Technical_Report_1.md');
  assert.ok(existsSync(file), 'the installed extension wrote no report');
  return readFileSync(file, 'utf8');
}

// The binary in this .vsix runs on linux-x64 only; elsewhere the tier has nothing to install.
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

(onLinuxX64 ? describe : describe.skip)('e2e platform .vsix (linux-x64): reports written by the installed extension have their figures', function () {
  this.timeout(300_000);
  const x = installed('chimeraforge-linux-x64.vsix');

  it('installs the chart renderer with the extension: @napi-rs/canvas, its linux-x64 binary and chart.js under dist/node_modules', () => {
    for (const f of ['dist/extension.js', 'dist/reportWorker.js', 'dist/node_modules/@napi-rs/canvas/package.json', 'dist/node_modules/@napi-rs/canvas-linux-x64-gnu/skia.linux-x64-gnu.node', 'dist/node_modules/chart.js/dist/chart.cjs']) {
      assert.ok(existsSync(join(x().root, f)), `${f} missing from the installed extension in ${x().root}`);
    }
  });

  it('a run from the palette writes a report whose figures exist as PNG files and are linked from it', async () => {
    const report = await runFromPalette(x(), 'vsix-linux-x64-run-finished');
    const reports = join(x().ws.path, 'reports');
    const linked = [...report.matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)].map((m) => m[1]);
    assert.ok(linked.length >= 2, `the report links ${linked.length} figures:\n${report.slice(report.indexOf('### Figures'), report.indexOf('### Figures') + 600)}`);
    for (const rel of linked) {
      const file = join(reports, rel);
      assert.ok(existsSync(file), `${rel} is linked from the report but missing`);
      const png = readFileSync(file);
      assert.ok(png.subarray(0, 8).equals(PNG_MAGIC) && png.length > 2000, `${rel} is not a drawn PNG (${png.length} bytes)`);
    }
    assert.ok(!report.includes(DASHBOARD_ONLY), 'the platform .vsix report says it has no figures');
    const meta = JSON.parse(readFileSync(join(reports, 'TR1', 'meta.json'), 'utf8')) as { artifacts: { charts: string[] } };
    assert.deepEqual(meta.artifacts.charts.map((c) => `TR1/${c}`).sort(), [...linked].sort());
  });
});

describe('e2e universal .vsix: no chart renderer, and the report says its figures are in the dashboard only', function () {
  this.timeout(300_000);
  const x = installed('chimeraforge.vsix');

  it('a run from the palette writes a report without PNG files that says where the figures are', async () => {
    assert.ok(!existsSync(join(x().root, 'dist', 'node_modules')), 'the universal .vsix carries node_modules');
    const report = await runFromPalette(x(), 'vsix-universal-run-finished');
    assert.ok(report.includes(`### Figures\n\n_${DASHBOARD_ONLY}`), report.slice(report.indexOf('### Figures') - 40, report.indexOf('### Figures') + 400));
    assert.ok(!/!\[[^\]]*\]\([^)]+\.png\)/.test(report), 'the universal report links a PNG');
    const charts = join(x().ws.path, 'reports', 'TR1', 'charts');
    assert.ok(!existsSync(charts) || readdirSync(charts).length === 0, `PNG files in ${charts}`);
  });
});
