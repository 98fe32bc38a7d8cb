// A person's view of a run, with the packaged .vsix in code-server: F1 → "Chimeraforge: Run
// Experiment…" → "New from template…" → the TR109 A/B template → the dashboard updates while the
// run goes → the results explorer shows the new TR → its report opens in the markdown preview.
// Screenshots (dashboard live and finished, explorer, preview) go to test/e2e/artifacts/experience-*.
import * as assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { startEngine, type EngineHandle } from '../../engine/api';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { makeTempDir, makeWorkspace, type TempWorkspace } from '../harness/workspace';

const ROOT = resolve(__dirname, '..', '..');
const VSIX = join(ROOT, 'dist', 'chimeraforge.vsix');
const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');

interface CanvasInk { id: string; width: number; height: number; ink: number }

/** Every frame (webviews are nested iframes) whose document matches `selector`. */
function framesWith(page: Page, selector: string): Promise<Frame[]> {
  return Promise.all(page.frames().map(async (f) => ((await f.locator(selector).count().catch(() => 0)) > 0 ? f : null)))
    .then((fs) => fs.filter((f): f is Frame => f !== null));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms: number, page: Page): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      await page.screenshot({ path: join(ARTIFACTS, 'experience-failed.png') }).catch(() => undefined);
      throw new Error(`timed out after ${ms} ms waiting for ${what} (screenshot experience-failed.png)`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Pixels of each visible canvas that differ from its background (the colour of its top-left pixel,
 * the chart area's fill): an empty chart has axes and a legend at most, a drawn one has many more.
 */
// The subset of a canvas element the ink count uses (this project's test tsconfig has no DOM types).
interface CanvasLike {
  id: string; width: number; height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/**
 * Pixels of each drawn canvas that differ from its background (the colour of its top-left pixel, the
 * chart area's fill): an empty chart has axes and a legend at most, a drawn one many more.
 */
function canvasInk(frame: FrameLocator): Promise<CanvasInk[]> {
  return frame.locator('canvas').evaluateAll((els) => (els as unknown as CanvasLike[]).filter((c) => c.width > 0 && c.height > 0).map((c, i) => {
    const ctx = c.getContext('2d');
    const id = c.id || `canvas${i}`;
    if (!ctx) return { id, width: c.width, height: c.height, ink: 0 };
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let p = 0; p < d.length; p += 4) {
      if (Math.abs(d[p] - d[0]) + Math.abs(d[p + 1] - d[1]) + Math.abs(d[p + 2] - d[2]) + Math.abs(d[p + 3] - d[3]) > 48) ink++;
    }
    return { id, width: c.width, height: c.height, ink };
  }));
}

describe('e2e experience: palette → template → live dashboard → explorer → report preview', function () {
  this.timeout(300_000);
  let eng: EngineHandle;
  let ws: TempWorkspace;
  let wb: Workbench;
  const reports = (): string => join(ws.path, 'reports');

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` (npm run test:e2e does)`);
    const vsix = join(makeTempDir('chimeraforge-vsix-'), 'chimeraforge.vsix');
    copyFileSync(VSIX, vsix);
    // The template asks for 512 tokens per call: ~0.4 s per call, two calls per agent run, so 22 runs
    // take ~20 s: slow enough to watch, fast enough for a test. The engine's 600-token budget exceeds the ask,
    // so every call stops at num_predict (a natural stop would be valid too, but this keeps runs uniform).
    eng = await startEngine({ mode: 'paced', paced: { ttftMs: 60, tokensPerSec: 1500, tokens: 600 } });
    ws = makeWorkspace({ prefix: 'chimeraforge-experience-' });
    // the agents of the template ingest data/**: the benchmark files shipped for the demo
    cpSync(join(ROOT, 'presets', 'demo-data'), join(ws.path, 'data'), { recursive: true });
    wb = await openWorkbench({
      workspace: ws.path, installVsix: [vsix], artifactsDir: ARTIFACTS, viewport: { width: 1600, height: 1000 },
      settings: {
        'chimeraforge.endpoints': { default: eng.url }, 'chimeraforge.defaultModel': 'tiny:latest',
        'workbench.colorTheme': 'Default Dark Modern', 'window.commandCenter': false, 'workbench.layoutControl.enabled': false,
      },
    });
  });
  after(async () => {
    await wb?.close();
    await ws?.dispose();
    await eng?.stop();
  });

  it('runs the TR109 template from the palette while the dashboard draws it live, then shows the TR and its report', async () => {
    const page = wb.page;
    await wb.runCommand('Chimeraforge: Run Experiment…');
    const input = page.locator('.quick-input-widget input');
    const row = (text: string) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row('New from template…').waitFor({ timeout: 60_000 });
    await wb.screenshot('experience-1-run-experiment-pick');
    await row('New from template…').click();
    await input.fill('TR109');
    await row('TR109-style agent A/B').waitFor({ timeout: 30_000 });
    await wb.screenshot('experience-2-template-pick');
    await row('TR109-style agent A/B').click();

    // the template is in the workspace, with the default model and the engine's URL from the settings
    const file = join(ws.path, 'tr109-agent-ab.experiment.json');
    // Written through VS Code's file system: it may exist a moment before its content is all there.
    const x = await waitFor('the experiment file', async () => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as { model: string; endpoints: Record<string, string> };
      } catch {
        return undefined;
      }
    }, 30_000, page);
    assert.deepEqual({ model: x.model, endpoints: x.endpoints }, { model: 'tiny:latest', endpoints: { default: eng.url } });

    // the dashboard updates while the run goes: progress text moves, charts get ink
    // a webview is an iframe (the host) holding the content's iframe; the dashboard is the only one yet
    const dash = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame');
    await dash.locator('canvas').first().waitFor({ timeout: 90_000 });
    const progressOf = async (): Promise<number> => {
      const m = /(\d+)\s*\/\s*22/.exec(await dash.locator('body').innerText({ timeout: 5000 }).catch(() => ''));
      return m ? Number(m[1]) : -1;
    };
    const first = await waitFor('the first runs in the dashboard', async () => { const n = await progressOf(); return n >= 2 ? n : undefined; }, 90_000, page);
    const midway = await waitFor('about half the runs', async () => { const n = await progressOf(); return n >= 9 && n < 22 ? n : undefined; }, 120_000, page);
    assert.ok(midway > first, `progress did not move: ${first} → ${midway}`);
    const liveInk = await canvasInk(dash);
    await wb.screenshot('experience-3-dashboard-live');
    assert.ok(liveInk.some((c) => c.ink > 200), `no live chart has ink: ${JSON.stringify(liveInk)}`);

    // finished: the notification offers the report, the dashboard shows the summary
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /TR1 complete/ });
    await toast.waitFor({ timeout: 180_000 });
    assert.equal(await progressOf(), 22);
    const finishedInk = await canvasInk(dash);
    assert.ok(finishedInk.filter((c) => c.ink > 200).length >= 2, `finished dashboard: ${JSON.stringify(finishedInk)}`);
    await wb.screenshot('experience-4-dashboard-finished');
    const meta = JSON.parse(readFileSync(join(reports(), 'TR1', 'meta.json'), 'utf8')) as { status: string; counts: { completed: number } };
    assert.equal(meta.status, 'complete');
    assert.equal(meta.counts.completed, 22);

    // the results explorer lists TR1 as complete
    await page.locator('.activitybar .action-item a[aria-label^="Chimeraforge"]').first().click();
    const tr = page.locator('.pane-body .monaco-list-row', { hasText: 'TR1' }).first();
    await tr.waitFor({ timeout: 30_000 });
    assert.match(await tr.innerText(), /TR109-style agent A\/B[\s\S]*agent · complete/);
    // widen the side bar so the description (kind · status · date) reads in full, and show the tooltip
    const bar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    if (bar) {
      await page.mouse.move(bar.x + bar.width + 1, bar.y + 300);
      await page.mouse.down();
      await page.mouse.move(bar.x + bar.width + 260, bar.y + 300, { steps: 8 });
      await page.mouse.up();
    }
    await tr.hover();
    await page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'runs:' }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await wb.screenshot('experience-5-explorer');

    // the item's context menu holds the TR actions; its report opens from the row's inline Preview Report action
    await tr.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    const actions = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter((t) => t !== '');
    for (const want of ['Open Report', 'Preview Report', 'Open meta.json', 'Open in Dashboard', 'Compare Runs…', 'Mark Superseded…', 'Regenerate Report', 'Reveal in Explorer', 'Delete (Move to Trash)']) {
      assert.ok(actions.includes(want), `context menu lacks ${want}: ${actions.join(', ')}`);
    }
    await wb.screenshot('experience-6-explorer-menu');
    await page.keyboard.press('Escape');
    await tr.hover();
    await tr.locator('.action-label[aria-label="Preview Report"]').click();
    const preview = await waitFor('the report preview', async () => (await framesWith(page, '.markdown-body h1, body.vscode-body h1'))[0], 60_000, page);
    const h1 = await preview.locator('h1').first().innerText();
    assert.match(h1, /TR109-style agent A\/B/);
    const tables = await preview.locator('table').count();
    assert.ok(tables >= 1, 'the report preview shows no table');
    await wb.screenshot('experience-7-report-preview');
    assert.ok(readdirSync(reports()).includes('Technical_Report_1.md'));
  });

  it('a workspace experiment picked from the palette, cancelled from its progress notification, leaves a cancelled TR', async () => {
    const page = wb.page;
    await wb.runCommand('Chimeraforge: Run Experiment…');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'tr109-agent-ab.experiment.json' }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    // the model step: "As in the file" (first, the default) or one installed model for every call
    const asInFile = page.locator('.quick-input-list .monaco-list-row', { hasText: 'As in the file' }).first();
    await asInFile.waitFor({ timeout: 30_000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /^\s*tiny:latest/ }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('experience-8a-model-step');
    await asInFile.click();
    const progress = page.locator('.notifications-toasts .notification-toast', { hasText: /TR2: [2-9]\/22 runs/ });
    await progress.waitFor({ timeout: 60_000 });
    await progress.hover();
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: /TR2 cancelled/ }).waitFor({ timeout: 60_000 });
    const meta = JSON.parse(readFileSync(join(reports(), 'TR2', 'meta.json'), 'utf8')) as { status: string; counts: { completed: number; planned: number }; experiment: { modelOverride?: unknown } };
    assert.equal(meta.status, 'cancelled');
    assert.equal(meta.experiment.modelOverride, undefined, '"As in the file" must not override the model');
    assert.ok(meta.counts.completed >= 2 && meta.counts.completed < 22, JSON.stringify(meta.counts));
    await wb.screenshot('experience-8-cancelled');
  });

  it('Check Ollama Endpoints shows each endpoint, its version, installed and loaded models in a quick view', async () => {
    const page = wb.page;
    await wb.runCommand('Chimeraforge: Check Ollama Endpoints');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: 'Chimeraforge: Ollama endpoints' }).waitFor({ timeout: 30_000 });
    const text = (await widget.innerText()).replace(/\u00a0/g, ' ');
    assert.ok(text.includes(eng.url), text);
    assert.match(text, /Ollama \d+\.\d+/);
    assert.equal(await widget.locator('input').getAttribute('placeholder'), '1 of 1 endpoint(s) answer');
    assert.match(text, /1 installed, 1 loaded/);
    assert.match(text, /CPU only \(nothing in GPU memory\)/);
    assert.match(text, /tiny:latest/);
    await wb.screenshot('experience-9-endpoints');
    await page.keyboard.press('Escape');
  });

  it('the installed .vsix offers no Start/Stop Local Engine in the palette (the engine comes with a development install only)', async () => {
    const page = wb.page;
    // Another Chimeraforge command is listed first, so the palette holds the extension's contributions.
    await wb.findCommand('Chimeraforge: Check Ollama Endpoints');
    const input = page.locator('.quick-input-widget input');
    for (const label of ['Chimeraforge: Start Local Engine', 'Chimeraforge: Stop Local Engine']) {
      await input.fill(`>${label}`);
      const name = label.slice('Chimeraforge: '.length);
      const rows = page.locator('.quick-input-list .monaco-list-row');
      // Wait for the list to answer this query: the command's row, or VS Code's "No matching commands" row
      // (given up after 10 s: then nothing matched at all, which is as good).
      await rows.filter({ hasText: new RegExp(`${name}|No matching commands`) }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
      assert.equal(await rows.filter({ hasText: name }).count(), 0, `${label} is offered in the palette of the installed .vsix`);
    }
    await wb.screenshot('experience-10-no-local-engine');
    await page.keyboard.press('Escape');
  });
});
