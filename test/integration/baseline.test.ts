// Baselines inside the real extension host: Set as Baseline, the CodeLens above the experiment file with
// its newest result against the baseline, and Compare with Baseline… showing the gate's decision in the
// compare view. decode_tps comes from the paced engine's eval_duration (exact on its schedule): the
// gate's plumbing through the extension, not a measurement check.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EngineHandle } from '../../engine/api';
import type { GateResult } from '../../src/core/report/gateTypes';
import type { RunOutcome } from '../../src/vscode/runController';
import { api, engine, eventually, experimentFile, promptExperiment, resetSettings, useSettings } from './experienceHelpers';

const REPORTS = 'baseline-reports';

async function lensTitles(file: string): Promise<string[]> {
  const uri = vscode.Uri.file(file);
  await vscode.workspace.openTextDocument(uri); // the provider command needs the document's model
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((l) => l.command?.title ?? '');
}

describe('experience: baselines, the gate CodeLens and Compare with Baseline (extension host, real engine)', function () {
  this.timeout(180_000);
  let eng: EngineHandle;
  let file = '';

  const run = async (): Promise<string> => {
    const o = await vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', { file, dashboard: false });
    assert.ok(o?.status === 'complete', `run: ${JSON.stringify(o)} ${(await api()).lastNotice()?.text}`);
    return o.trId;
  };

  before(async () => {
    eng = await engine({ mode: 'paced', paced: { ttftMs: 10, tokensPerSec: 500, tokens: 16 } });
    await useSettings(await api(), { endpoints: { default: eng.url }, reportsDir: REPORTS });
    file = experimentFile('gated', promptExperiment('Gated decode speed', ['base'], 3));
  });
  after(async () => {
    await vscode.workspace.getConfiguration('chimeraforge').update('baselines', undefined, vscode.ConfigurationTarget.Workspace);
    await resetSettings();
    await eng?.stop();
  });

  it('a 10% slower result: the CodeLens says regression and Compare with Baseline… shows the gate in the compare view', async () => {
    const a = await api();
    const base = await run();
    assert.ok((await eventually('the Set baseline lens', async () => ((await lensTitles(file)).includes('Set baseline…') ? true : undefined))));

    const set = await vscode.commands.executeCommand<{ file: string; trId: string } | undefined>('chimeraforge.setBaseline', base);
    assert.deepEqual(set, { file: 'experiments/gated.experiment.json', trId: base });
    await eventually('the baseline setting read', () => (a.config().baselines['experiments/gated.experiment.json'] === base ? true : undefined));
    await eventually('the baseline lens', async () => ((await lensTitles(file)).includes(`baseline ${base} (newest result)`) ? true : undefined));

    await eng.configure({ paced: { tokensPerSec: 450 } });
    const next = await run();
    const line = 'decode_tps −10.0% [−10.0, −10.0], regression';
    await eventually(`the lens "${line}"`, async () => ((await lensTitles(file)).includes(line) ? true : undefined));

    const r = await vscode.commands.executeCommand<GateResult | undefined>('chimeraforge.compareWithBaseline', next);
    assert.ok(r, a.lastNotice('chimeraforge.compareWithBaseline')?.text);
    assert.deepEqual([r.outcome, r.base, r.new, r.metric, r.maxRegressionPct], ['regression', { tr: base, variant: 'base' }, { tr: next, variant: 'base' }, 'decode_tps', 5]);
    const panel = a.dashboard.current();
    assert.ok(panel);
    assert.deepEqual(panel.currentView, { kind: 'compare', a: { trId: base, variant: 'base' }, b: { trId: next, variant: 'base' }, metric: 'decode_tps', reportsDir: a.reportsDir(), gate: { maxRegressionPct: 5 } });
    const m = await panel.whenRendered((x) => x.view === 'compare' && x.trIds.join() === `${base},${next}`);
    assert.equal(m.gate, 'regression');
    // The paced engine's eval_duration is exact, so every run of a TR gives the same decode_tps: the gate decides
    // on the ratio (−10.0%), while the statistical verdict must say no test is possible rather than p = 0.
    assert.match(m.verdict ?? '', /not testable \(no variation\) on decode_tps: every run of .*533\.3 tok\/s .*480 tok\/s/);
  });

  it('a wider margin in the settings turns the same result into a pass, in the lens and the command', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('chimeraforge').update('gateMaxRegressionPct', 15, vscode.ConfigurationTarget.Global);
    try {
      await eventually('the margin read', () => (a.config().gateMaxRegressionPct === 15 ? true : undefined));
      await eventually('the pass lens', async () => ((await lensTitles(file)).includes('decode_tps −10.0% [−10.0, −10.0], pass') ? true : undefined));
      const newest = a.resultsItems()[0].listing.id;
      const r = await vscode.commands.executeCommand<GateResult | undefined>('chimeraforge.compareWithBaseline', `${newest}:base`);
      assert.equal(r?.outcome, 'pass');
      const m = await a.dashboard.current()!.whenRendered((x) => x.view === 'compare' && x.gate === 'pass');
      assert.equal(m.trIds.at(-1), newest);
    } finally {
      await vscode.workspace.getConfiguration('chimeraforge').update('gateMaxRegressionPct', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
