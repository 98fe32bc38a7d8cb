// Palette commands around the runs, inside the real extension host: Check Ollama Endpoints against a
// real engine and a dead port (log + result), Start/Stop Local Engine, Import Results… on a folder of
// the original program's data; Run Experiment with a model other than the file's.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EngineHandle } from '../../engine/api';
import type { ImportResult } from '../../src/core/import/importer';
import type { EndpointStatus } from '../../src/vscode/endpointReport';
import type { RunOutcome } from '../../src/vscode/runController';
import { api, engine, eventually, experimentFile, logMatching, promptExperiment, resetSettings, ROOT, useSettings, workspaceDir } from './experienceHelpers';

function deadPort(): Promise<number> {
  return new Promise((res) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => res(p));
    });
  });
}

describe('experience: endpoint and engine commands (extension host)', function () {
  this.timeout(120_000);
  let eng: EngineHandle;

  before(async () => {
    eng = await engine({ mode: 'paced', models: ['tiny:latest', 'mid:latest'], paced: { ttftMs: 10, tokensPerSec: 1000, tokens: 8 } });
  });
  after(async () => {
    await resetSettings();
    await eng?.stop();
  });

  it('Check Ollama Endpoints: version, models and loaded models per endpoint; a dead one named with what to do', async () => {
    const a = await api();
    const port = await deadPort();
    await useSettings(a, { endpoints: { default: eng.url, spare: `http://127.0.0.1:${port}` }, reportsDir: 'endpoint-reports' });
    const r = await fetch(`${eng.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'mid:latest', prompt: 'hi', stream: false }) });
    assert.equal(r.status, 200);
    const results = await vscode.commands.executeCommand<EndpointStatus[]>('chimeraforge.checkEndpoints', { show: false });
    const byName = Object.fromEntries(results.map((x) => [x.name, x]));
    assert.deepEqual(Object.keys(byName).sort(), ['default', 'spare']);
    assert.equal(byName.default.ok, true);
    assert.deepEqual(byName.default.models.map((m) => m.name).sort(), ['mid:latest', 'tiny:latest']);
    assert.deepEqual(byName.default.loaded.map((m) => m.name), ['mid:latest']);
    assert.equal(byName.spare.ok, false);
    const log = await logMatching(new RegExp(`spare \\(http://127\\.0\\.0\\.1:${port}\\): unreachable or not Ollama`));
    assert.match(log, new RegExp(`default \\(${eng.url.replace(/\./g, '\\.')}\\): Ollama \\S+, 2 model\\(s\\) installed, 1 loaded`));
    assert.match(log, /loaded: mid:latest — .*(CPU only|GPU memory)/);
  });

  it('Run Experiment with a model: every call on it, the override and the command recorded in meta.json', async () => {
    const a = await api();
    await useSettings(a, { endpoints: { default: eng.url }, reportsDir: 'model-reports' });
    // The file names a model the engine does not have (as a template written for another machine would).
    const file = experimentFile('other-model', { ...promptExperiment('Experience: other model', ['base'], 2, 0), model: 'gemma3:latest' });
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', { file, model: 'mid:latest', dashboard: false });
    assert.ok(outcome, a.lastNotice('chimeraforge.runExperiment')?.text);
    assert.equal(outcome.status, 'complete');
    const lines = readFileSync(join(outcome.trDir, 'runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { calls: { model: string }[] });
    assert.deepEqual([...new Set(lines.flatMap((r) => r.calls.map((c) => c.model)))], ['mid:latest']);
    assert.equal(lines.length, 2);
    const meta = JSON.parse(readFileSync(join(outcome.trDir, 'meta.json'), 'utf8')) as { command: string; experiment: { model: string; modelOverride: unknown } };
    assert.equal(meta.experiment.model, 'mid:latest');
    assert.deepEqual(meta.experiment.modelOverride, { model: 'mid:latest', replaced: ['gemma3:latest'] });
    assert.match(meta.command, /^chimeraforge run experiments\/other-model\.experiment\.json --reports-dir model-reports --endpoint default=\S+ --model mid:latest$/);
    await logMatching(/other-model\.experiment\.json \(prompt, 1 variant\(s\), every call on mid:latest\)/);
  });

  it('Start Local Engine serves the Ollama API and can become an endpoint; Stop Local Engine ends it', async () => {
    const a = await api();
    const url = await vscode.commands.executeCommand<string | undefined>('chimeraforge.startLocalEngine', { config: { mode: 'paced' }, useAsEndpoint: 'local' });
    assert.ok(url, a.lastNotice('chimeraforge.startLocalEngine')?.text);
    const version = (await (await fetch(`${url}/api/version`)).json()) as { version: string };
    assert.match(version.version, /\d/);
    const cfg = await new Promise<Record<string, string>>((resolve) => {
      const poll = (): void => (a.config().endpoints.local === url ? resolve({ ...a.config().endpoints }) : void setTimeout(poll, 100));
      poll();
    });
    assert.equal(cfg.local, url);
    // The suite's folder is untrusted, where workspace values of chimeraforge.endpoints are ignored: the endpoint went to user settings.
    assert.equal((vscode.workspace.getConfiguration('chimeraforge').inspect<Record<string, string>>('endpoints')?.globalValue ?? {}).local, url);
    assert.equal(await vscode.commands.executeCommand('chimeraforge.stopLocalEngine'), true);
    await assert.rejects(fetch(`${url}/api/version`, { signal: AbortSignal.timeout(3000) }));
    await vscode.workspace.getConfiguration('chimeraforge').update('endpoints', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Import Results… imports a folder of the original program\'s results, writes its report, and the explorer lists it as imported', async () => {
    const a = await api();
    await useSettings(a, { endpoints: { default: eng.url }, reportsDir: 'import-reports' });
    const dir = join(ROOT, 'test', 'fixtures', 'original', 'data', 'research', 'tr109_rust_full');
    const r = await vscode.commands.executeCommand<ImportResult | undefined>('chimeraforge.importResults', dir);
    assert.ok(r, a.lastNotice('chimeraforge.importResults')?.text);
    // the Rust single-agent layout keeps its original id when free
    assert.deepEqual({ id: r.id, layout: r.candidate.layout, runs: r.runs }, { id: 'TR111_v2', layout: 'rust-single', runs: 12 });
    const reports = join(workspaceDir(), 'import-reports');
    const report = join(reports, 'Technical_Report_111_v2.md');
    assert.ok(existsSync(report), 'no report written');
    assert.match(readFileSync(report, 'utf8'), /^# Technical Report 111 v2: /);
    assert.match(readFileSync(report, 'utf8'), /\*\*Total Runs:\*\* 12 recorded of 12 planned/);
    const item = await eventually('the imported TR in the explorer', () => a.resultsItems().find((n) => n.listing.id === 'TR111_v2'));
    assert.equal(item.listing.imported, true);
    await logMatching(/imported .*tr109_rust_full as TR111_v2 \(rust-single\): 12 runs from 2 files, 1 skipped/);
  });
});
