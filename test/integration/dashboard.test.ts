// The dashboard inside the real extension host (code-server): the panel of the loaded extension,
// opened through its API on TR directories written by real runs against the engine (paced mode), fed
// live by a real runExperiment; every assertion is on what the webview reports it drew.
import { replaceOutputText } from '../helpers/outputs';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startEngine, type EngineHandle } from '../../engine/api';
import { normalizeExperiment } from '../../src/core/experiment/normalize';
import { runExperiment } from '../../src/core/runner/runExperiment';
import { readRunsSync } from '../../src/core/store/read';
import type { RenderedMessage } from '../../src/shared/protocol';
import type { ChimeraforgeApi } from '../../src/vscode/api';

const XSS = '<img src=x onerror="document.title=\'pwned\'"><script>alert(1)</script><b>bold?</b> & "quotes"';

async function api(): Promise<ChimeraforgeApi> {
  const ext = vscode.extensions.getExtension<ChimeraforgeApi>('chimeraforge.chimeraforge');
  assert.ok(ext, 'extension not loaded');
  return ext.activate();
}


function reportsDir(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'no workspace folder');
  return join(root, 'dashboard-reports');
}

function experiment(url: string, title: string, variants: string[], repetitions: number) {
  return normalizeExperiment({
    title, kind: 'prompt', model: 'tiny:latest', endpoints: { default: url }, prompts: ['Why is the sky blue?', 'Name three prime numbers.'],
    repetitions, warmup: 1, variants: variants.map((name, i) => ({ name, options: { temperature: 0.2 + i * 0.3 } })),
  });
}

function figure(m: RenderedMessage, id: string) {
  const f = m.figures.find((x) => x.id === id);
  assert.ok(f, `figure ${id} not drawn; drawn: ${m.figures.map((x) => x.id).join(', ')}`);
  return f;
}

describe('dashboard (extension host, real engine)', function () {
  this.timeout(180_000);
  let eng: EngineHandle;
  let trFast = '';
  let trSlow = '';

  before(async () => {
    eng = await startEngine({ mode: 'paced', paced: { ttftMs: 25, tokensPerSec: 500, tokens: 24 } });
    trFast = (await runExperiment(experiment(eng.url, 'Dashboard: two variants', ['base', 'warm'], 3), { reportsDir: reportsDir() })).trId;
    await eng.configure({ paced: { tokensPerSec: 250 } });
    trSlow = (await runExperiment(experiment(eng.url, 'Dashboard: slower engine', ['base'], 3), { reportsDir: reportsDir() })).trId;
  });
  after(async () => {
    await eng?.stop();
  });

  it('a finished TR: summary rows and every figure drawn with points and ink', async () => {
    const a = await api();
    const panel = a.dashboard.show({ kind: 'tr', trId: trFast, reportsDir: reportsDir() });
    const m = await panel.whenRendered((r) => r.view === 'tr' && r.trIds[0] === trFast);
    assert.equal(m.summaryRows, 2);
    assert.equal(m.callSettingsRows, 2, 'the prompt cache / thinking / structured output card, one row per variant');
    for (const id of ['throughput', 'ttft_box', 'ttft_vs_tps']) {
      const f = figure(m, id);
      assert.ok(f.nonEmpty, `${id} is empty: ${JSON.stringify(f)}`);
    }
    assert.equal(figure(m, 'throughput').points, 2, 'one bar per variant');
    const counted = readRunsSync(join(reportsDir(), trFast)).runs.filter((r) => !r.warmup && r.status === 'ok' && r.valid);
    assert.equal(counted.length, 6);
    assert.equal(figure(m, 'ttft_vs_tps').points, counted.reduce((n, r) => n + r.calls.length, 0), 'one point per counted call');
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('chimeraforge.dashboard'));
    assert.ok(tab, 'dashboard tab open');
    assert.equal(tab.label, `Chimeraforge: ${trFast}`);
  });

  it('generated text with markup shows as text: textContent equal, no element created', async () => {
    const dir = join(reportsDir(), trFast);
    const last = readRunsSync(dir).runs.at(-1)!;
    replaceOutputText(dir, last.calls.find((c) => c.outputFile)!.outputFile!, XSS);
    const a = await api();
    const before = a.dashboard.current()?.lastRendered;
    const panel = a.dashboard.show({ kind: 'tr', trId: trFast, reportsDir: reportsDir() });
    const m = await panel.whenRendered((r) => r !== before && r.view === 'tr' && r.outputs.length > 0);
    const out = m.outputs.find((o) => o.run === last.run);
    assert.ok(out, `run ${last.run} output not shown`);
    assert.equal(out.text, XSS);
    assert.equal(out.elements, 0);
  });

  it('comparison of two TRs: both groups and the CI of the difference drawn, the verdict shown', async () => {
    const a = await api();
    const panel = a.dashboard.show({ kind: 'compare', a: { trId: trFast, variant: 'base' }, b: { trId: trSlow }, reportsDir: reportsDir() });
    const m = await panel.whenRendered((r) => r.view === 'compare');
    assert.deepEqual(m.trIds, [trFast, trSlow]);
    assert.equal(figure(m, 'compare-groups').points, 2);
    assert.ok(figure(m, 'compare-groups').nonEmpty);
    assert.equal(figure(m, 'compare-difference').points, 1);
    assert.match(m.verdict ?? '', /^not testable \(no variation\) on decode_tps/, 'exact paced server rates: no spread, no test');
  });

  it('a theme switch redraws every figure with the new theme\'s colours', async () => {
    const a = await api();
    const config = vscode.workspace.getConfiguration('workbench');
    const original = config.inspect<string>('colorTheme')?.globalValue;
    const panel = a.dashboard.show({ kind: 'tr', trId: trFast, reportsDir: reportsDir() });
    const first = await panel.whenRendered((r) => r.view === 'tr' && r.trIds[0] === trFast);
    const target = first.theme?.kind === 'vscode-dark' ? 'Default Light Modern' : 'Default Dark Modern';
    try {
      await config.update('colorTheme', target, vscode.ConfigurationTarget.Global);
      const m = await panel.whenRendered((r) => r !== first && r.view === 'tr' && r.theme?.kind !== first.theme?.kind);
      assert.equal(m.theme?.kind, target.includes('Dark') ? 'vscode-dark' : 'vscode-light');
      assert.notEqual(m.theme?.bg, first.theme?.bg, 'background colour follows the theme');
      assert.notEqual(m.theme?.fg, first.theme?.fg, 'text colour follows the theme');
      assert.deepEqual(m.figures.map((f) => [f.id, f.points, f.nonEmpty]), first.figures.map((f) => [f.id, f.points, f.nonEmpty]));
    } finally {
      await config.update('colorTheme', original, vscode.ConfigurationTarget.Global);
    }
  });

  it('a comparison that cannot be made shows the reason instead of charts', async () => {
    const a = await api();
    const panel = a.dashboard.show({ kind: 'compare', a: { trId: trFast }, b: { trId: trSlow }, reportsDir: reportsDir() });
    const m = await panel.whenRendered((r) => r.view === 'error');
    assert.deepEqual(m.figures, []);
  });

  it('live: a real run streams in batches (≤ 10 per second), ends with the summary, and survives a webview reload', async () => {
    const a = await api();
    const panel = a.dashboard.show({ kind: 'live' });
    await panel.whenRendered((r) => r.view === 'live');
    await eng.configure({ paced: { tokensPerSec: 120, tokens: 40 } });
    const batchesBefore = panel.batchesPosted;
    let events = 0;
    const t0 = Date.now();
    const r = await runExperiment(experiment(eng.url, 'Dashboard: live', ['base', 'warm'], 3), {
      reportsDir: reportsDir(),
      onEvent: (e) => {
        events++;
        panel.postRunnerEvent(e);
      },
    });
    const m = await panel.whenRendered((x) => x.view === 'live' && x.progress?.status === 'complete' && x.summaryRows > 0);
    const seconds = (Date.now() - t0) / 1000;
    const batches = panel.batchesPosted - batchesBefore;
    console.log(`      live: ${events} runner events → ${batches} batches in ${seconds.toFixed(1)} s`);
    assert.deepEqual(m.trIds, [r.trId]);
    assert.deepEqual(m.progress, { done: 8, planned: 8, status: 'complete' });
    assert.equal(m.summaryRows, 2);
    assert.ok(batches >= 3, `only ${batches} batches`);
    assert.ok(batches < events, `${batches} batches for ${events} events: nothing was batched`);
    assert.ok(batches <= Math.ceil(seconds * 10) + 1, `${batches} batches in ${seconds.toFixed(1)} s`);
    assert.equal(m.batches, batches, 'the webview applied every batch posted');
    const calls = readRunsSync(r.trDir).runs.reduce((n, x) => n + x.calls.length, 0);
    assert.ok(calls >= 8, `${calls} calls`);
    assert.equal(figure(m, 'live-tokens').points, calls, 'one tokens/s point per call');
    assert.ok(figure(m, 'live-tokens').nonEmpty && figure(m, 'live-ttft').nonEmpty);
    // The webview is rebuilt from the host's snapshot (ready → init): same state, no batch replayed.
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    const again = await panel.whenRendered((x) => x !== m && x.view === 'live' && x.batches === 0);
    assert.deepEqual(again.progress, m.progress);
    assert.equal(again.summaryRows, 2);
    assert.equal(figure(again, 'live-tokens').points, calls);
  });
});
