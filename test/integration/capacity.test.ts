// A capacity sweep from the palette inside the real extension host (code-server) against a real engine
// (paced, 2 slots): "New from template" copies the capacity preset (tr116), the test shortens its load,
// "Run Experiment" runs it end to end; the TR's summary.capacity, the live dashboard's capacity chart
// and the opened TR's per-level rows and three capacity figures are checked.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EngineHandle } from '../../engine/api';
import type { CapacitySummary } from '../../src/core/capacity/summary';
import type { Meta } from '../../src/core/types';
import type { RunOutcome } from '../../src/vscode/runController';
import { api, engine, eventually, resetSettings, useSettings, workspaceDir } from './experienceHelpers';

const REPORTS = 'capacity-reports';

describe('experience: a capacity sweep from the template (extension host, real engine)', function () {
  this.timeout(180_000);
  let eng: EngineHandle;

  before(async () => {
    eng = await engine({ mode: 'paced', parallel: 2, paced: { ttftMs: 20, tokensPerSec: 400, tokens: 16 } });
    await useSettings(await api(), { endpoints: { default: eng.url }, reportsDir: REPORTS });
  });
  after(async () => {
    // Leave no dashboard panel behind: a later suite's first render must not be this suite's (TR ids
    // restart in every reports directory, so an old render of TR 1 would match theirs).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await eventually('no dashboard panel', async () => ((await api()).dashboard.current() ? undefined : true));
    await resetSettings();
    await eng?.stop();
  });

  it('New from template → Run Experiment: summary.capacity per level, live capacity chart, the TR view\'s levels and figures', async () => {
    const a = await api();
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('chimeraforge.newFromTemplate', 'tr116-capacity-sweep');
    assert.ok(uri, 'template copied');
    const x = JSON.parse(readFileSync(uri.fsPath, 'utf8')) as Record<string, unknown>;
    assert.equal(x.kind, 'capacity');
    assert.deepEqual(x.endpoints, { default: eng.url });
    // The preset sweeps 5 levels × 3 repetitions × 65 s; the test keeps its shape at two short levels.
    writeFileSync(uri.fsPath, JSON.stringify({ ...x, load: { mode: 'concurrency', levels: [1, 4], durationS: 1, warmupS: 0.2 }, repetitions: 1 }, null, 2));
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', uri);
    assert.ok(outcome, `no outcome; last notice: ${a.lastNotice()?.text}`);
    assert.equal(outcome.status, 'complete');
    const meta = JSON.parse(readFileSync(join(workspaceDir(), REPORTS, outcome.trId, 'meta.json'), 'utf8')) as Meta;
    const cap = meta.summary.capacity as CapacitySummary;
    assert.equal(cap.mode, 'concurrency');
    assert.deepEqual(cap.variants[0].levels.map((l) => l.level), [1, 4]);
    // 2 slots: 4 in flight deliver more than 1 (the second slot), at most twice.
    const [l1, l4] = cap.variants[0].levels;
    assert.ok(l4.throughput_rps.mean > l1.throughput_rps.mean, `throughput 1 → 4: ${l1.throughput_rps.mean} → ${l4.throughput_rps.mean}`);
    assert.equal(l4.in_flight_max, 4);
    assert.equal(l4.errors, 0);
    // Live: the capacity chart replaced the per-call charts and drew each run (rate and p95 per level).
    const panel = a.dashboard.current();
    assert.ok(panel, 'no dashboard panel');
    const live = await panel.whenRendered((r) => r.view === 'live' && r.progress?.status === 'complete');
    const chart = live.figures.find((f) => f.id === 'live-capacity');
    assert.ok(chart?.nonEmpty && chart.points === 4, `live capacity chart: ${JSON.stringify(live.figures)}`);
    assert.ok(!live.figures.some((f) => f.id === 'live-tokens'), 'no empty per-call charts for a capacity run');
    assert.equal(live.summaryRows, 0, 'no pooled per-variant table (it would mix the levels)');
    // Opened: one row per level, the report's three capacity figures drawn.
    const opened = a.dashboard.show({ kind: 'tr', trId: outcome.trId, reportsDir: join(workspaceDir(), REPORTS) });
    const tr = await opened.whenRendered((r) => r.view === 'tr' && r.trIds[0] === outcome.trId);
    assert.equal(tr.summaryRows, 2);
    for (const id of ['capacity_throughput', 'capacity_latency_throughput', 'capacity_goodput']) {
      const f = tr.figures.find((g) => g.id === id);
      assert.ok(f?.nonEmpty && f.points >= 2, `${id}: ${JSON.stringify(f)}`);
    }
  });
});
