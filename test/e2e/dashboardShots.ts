// Screenshots of the dashboard as a person sees it in code-server: a 2-D sweep TR, a multi-agent TR,
// a comparison, a live multi-agent run (mid-run and finished) and a dark-theme view, written to
// test/e2e/artifacts/dashboard-*.png. Real engines (llama.cpp, tiny generated model) produce the data.
// Usage (after `node esbuild.mjs`): npx tsx test/e2e/dashboardShots.ts
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { startEngine, type EngineHandle } from '../../engine/api';
import { normalizeExperiment } from '../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../src/core/experiment/types';
import { runExperiment } from '../../src/core/runner/runExperiment';
import { launchBrowser } from '../harness/browser';
import { startCodeServer } from '../harness/codeServer';
import { makeTempDir, makeWorkspace } from '../harness/workspace';
import type { RenderedMessage } from '../../src/shared/protocol';
import type { ShotPlan } from './dashboardDriver';

const ROOT = resolve(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test', 'e2e', 'artifacts');
const SHOTS = ['tr-sweep', 'tr-multi', 'compare', 'live-running', 'live-finished', 'live-opened-tr', 'tr-multi-before-theme', 'tr-multi-dark'];

async function main(): Promise<void> {
  const ws = makeWorkspace({ prefix: 'chimeraforge-shots-' });
  const control = makeTempDir('chimeraforge-shots-ctl-');
  cpSync(join(ROOT, 'presets', 'demo-data'), join(ws.path, 'data'), { recursive: true });
  const reportsDir = join(ws.path, 'reports');
  const engines: EngineHandle[] = [await startEngine({ mode: 'llama' }), await startEngine({ mode: 'llama' })];
  try {
    const [a, b] = engines;
    const sweep: ExperimentFile = {
      title: 'Prompt sweep: context × temperature (tiny model, llama.cpp CPU)', kind: 'prompt', model: 'tiny:latest', endpoints: { default: a.url },
      prompts: ['Why is the sky blue?', 'Summarise the benchmark in three bullet points.', 'Name three prime numbers.'],
      sweep: { num_ctx: [512, 1024, 2048], temperature: [0.2, 0.8] }, repetitions: 4, warmup: 1, maxTokens: 96,
    };
    const trSweep = (await runExperiment(normalizeExperiment(sweep, { workspaceDir: ws.path }), { reportsDir })).trId;
    const dual = JSON.parse(readFileSync(join(ROOT, 'presets', 'demo-dual-agents.experiment.json'), 'utf8')) as ExperimentFile & { $schema?: string };
    delete dual.$schema;
    dual.endpoints = { default: a.url, b: b.url };
    const trMulti = (await runExperiment(normalizeExperiment(dual, { workspaceDir: ws.path }), { reportsDir })).trId;
    const plan: ShotPlan = {
      reportsDir, workspace: ws.path, trSweep, trMulti,
      compare: { a: { trId: trSweep, variant: 'ctx512_temp0p2' }, b: { trId: trSweep, variant: 'ctx2048_temp0p2' } },
      live: { ...dual, title: 'Live: two agents on two endpoints', repetitions: 6, maxTokens: 160 },
    };
    writeFileSync(join(control, 'plan.json'), JSON.stringify(plan));
    console.log(`data: ${trSweep} (sweep), ${trMulti} (multi-agent) in ${reportsDir}`);

    const driverDir = makeTempDir('chimeraforge-shots-driver-');
    await esbuild.build({ entryPoints: [join(__dirname, 'dashboardDriver.ts')], outfile: join(driverDir, 'driver.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'node-llama-cpp', '@napi-rs/canvas'], logLevel: 'warning' });
    const server = await startCodeServer({ workspace: ws.path, env: { CHIMERAFORGE_SHOTS_DIR: control } });
    const { browser, close } = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      let onExit: (c: number) => void = () => {};
      const exitOnce = (): Promise<number> => new Promise<number>((res) => (onExit = res));
      const exited = exitOnce();
      await page.exposeFunction('codeAutomationExit', (c: number) => onExit(c));
      await page.exposeFunction('codeAutomationLog', (_t: string, args: unknown) => {
        const line = String(Array.isArray(args) ? args[0] : args);
        if (/error|fail/i.test(line)) console.log('[host]', line.slice(0, 400));
      });
      await page.goto(server.workbenchUrl({ payload: [['extensionDevelopmentPath', server.remoteUri(ROOT)], ['extensionTestsPath', server.remoteUri(join(driverDir, 'driver.js'))]] }));
      mkdirSync(ARTIFACTS, { recursive: true });
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      for (const name of SHOTS) {
        const ready = join(control, `ready-${name}.json`);
        const deadline = Date.now() + 240_000;
        while (!existsSync(ready)) {
          if (Date.now() > deadline) throw new Error(`the driver never got to ${name}`);
          await page.waitForTimeout(200);
        }
        const m = JSON.parse(readFileSync(ready, 'utf8')) as RenderedMessage;
        console.log(`${name}: ${m.figures.map((f) => `${f.id} ${f.points} pts ink ${f.ink}`).join('; ')}${m.progress ? ` · ${m.progress.done}/${m.progress.planned} ${m.progress.status}` : ''}`);
        if (!name.endsWith('before-theme')) {
          await page.waitForTimeout(400);
          await page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}.png`) });
          // The rest of the page: scroll the webview to its figures and shoot again.
          const figs = frame.locator('[data-section="figures"], .chart-grid').first();
          if (name.startsWith('tr-') && (await figs.count()) > 0) {
            await figs.evaluate((el) => el.scrollIntoView({ block: 'start' }));
            await page.waitForTimeout(300);
            await page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}-figures.png`) });
            const out = frame.locator('[data-section="outputs"]');
            if ((await out.count()) > 0) {
              await out.evaluate((el) => el.scrollIntoView({ block: 'end' }));
              await page.waitForTimeout(300);
              await page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}-bottom.png`) });
            }
          }
        }
        // As a person would: the finished live run's button opens its full results.
        if (name === 'live-finished') await frame.locator('[data-action="open-tr"]').click();
        writeFileSync(join(control, `shot-${name}`), '');
      }
      // The driver reloads the window: the dashboard must come back through its serializer, data re-read from disk.
      const ready = join(control, 'ready-revived.json');
      const deadline = Date.now() + 180_000;
      while (!existsSync(ready)) {
        if (Date.now() > deadline) throw new Error('the dashboard was not revived after the reload');
        await page.waitForTimeout(200);
      }
      const m = JSON.parse(readFileSync(ready, 'utf8')) as RenderedMessage;
      console.log(`revived: ${m.trIds.join(', ')}: ${m.figures.map((f) => `${f.id} ${f.points} pts`).join('; ')}`);
      if (m.trIds[0] !== trMulti || !m.figures.every((f) => f.nonEmpty)) throw new Error(`revived view is not ${trMulti} with its figures`);
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-revived.png') });
      writeFileSync(join(control, 'shot-revived'), '');
      console.log(`driver exit: ${await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 60_000))])}`);
    } finally {
      await close();
      await server.stop();
    }
  } finally {
    await Promise.all(engines.map((e) => e.stop()));
    await ws.dispose();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
