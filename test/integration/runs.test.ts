// Runs from the palette commands inside the real extension host (code-server), against a real engine
// (paced mode) started by the test: end to end into a TR directory, the explorer and the dashboard;
// cancel; an invalid file; Workspace Trust; templates and the experiment-file CodeLens (baseline lenses: baseline.test.ts).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EngineHandle } from '../../engine/api';
import type { RunnerEvent } from '../../src/core/runner/events';
import type { Meta } from '../../src/core/types';
import type { RunOutcome } from '../../src/vscode/runController';
import type { Validation } from '../../src/vscode/runCommands';
import { api, engine, eventually, experimentFile, promptExperiment, resetSettings, useSettings, workspaceDir } from './experienceHelpers';

const REPORTS = 'runs-reports';
const reportsDir = (): string => join(workspaceDir(), REPORTS);
const trDirs = (): string[] => (existsSync(reportsDir()) ? readdirSync(reportsDir()).filter((n) => /^TR\d/.test(n)).sort() : []);
const meta = (trId: string): Meta => JSON.parse(readFileSync(join(reportsDir(), trId, 'meta.json'), 'utf8')) as Meta;
const runLines = (trId: string): unknown[] => readFileSync(join(reportsDir(), trId, 'runs.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);

describe('experience: runs from the commands (extension host, real engine)', function () {
  this.timeout(180_000);
  let eng: EngineHandle;

  before(async () => {
    eng = await engine({ mode: 'paced', paced: { ttftMs: 20, tokensPerSec: 400, tokens: 16 } });
    await useSettings(await api(), { endpoints: { default: eng.url }, reportsDir: REPORTS });
  });
  after(async () => {
    await resetSettings();
    await eng?.stop();
  });

  it('Run Experiment: TR directory written, explorer shows it, dashboard got live batches and the final summary', async () => {
    const a = await api();
    const file = experimentFile('two-variants', promptExperiment('Experience: two variants', ['base', 'warm'], 3));
    const events: RunnerEvent[] = [];
    const sub = a.onRunEvent((e) => events.push(e));
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', file);
    sub.dispose();
    assert.ok(outcome, `no outcome; last notice: ${a.lastNotice()?.text}`);
    assert.equal(outcome.status, 'complete');
    // completed counts every finished run, warm-ups included
    assert.deepEqual(outcome.counts, { planned: 8, completed: 8, warmup: 2, failed: 0, invalid: 0, cancelled: 0 });
    // the TR directory: meta.json, every run in runs.jsonl, the report written after the run
    const m = meta(outcome.trId);
    assert.equal(m.status, 'complete');
    assert.equal(m.title, 'Experience: two variants');
    assert.match(m.command ?? '', /^chimeraforge run experiments\/two-variants\.experiment\.json --reports-dir runs-reports --endpoint default=http/);
    assert.equal(runLines(outcome.trId).length, 8);
    assert.ok(outcome.reportFile && existsSync(outcome.reportFile), 'report not written');
    assert.match(readFileSync(outcome.reportFile, 'utf8'), /Experience: two variants/);
    // the runner's events, in order, reached the API subscribers
    assert.equal(events[0].type, 'experiment-started');
    assert.equal(events.at(-1)?.type, 'experiment-finished');
    assert.equal(events.filter((e) => e.type === 'run-finished').length, 8);
    // the explorer lists it, complete
    const item = await eventually('the TR in the explorer', () => a.resultsItems().find((n) => n.listing.id === outcome.trId));
    assert.equal(item.listing.status, 'complete');
    assert.equal(item.listing.kind, 'prompt');
    // the dashboard received the run live and shows the final summary
    const panel = a.dashboard.current();
    assert.ok(panel, 'no dashboard panel');
    const r = await panel.whenRendered((x) => x.view === 'live' && x.progress?.status === 'complete' && x.summaryRows > 0);
    assert.deepEqual(r.trIds, [outcome.trId]);
    assert.deepEqual(r.progress, { done: 8, planned: 8, status: 'complete' });
    assert.equal(r.summaryRows, 2);
    assert.ok(panel.batchesPosted >= 1, 'no live batch posted');
    assert.ok(r.figures.some((f) => f.nonEmpty), `nothing drawn: ${JSON.stringify(r.figures)}`);
  });

  it('Cancel Run aborts the run in flight and leaves a valid cancelled TR', async () => {
    const a = await api();
    await eng.configure({ paced: { tokensPerSec: 40, tokens: 40 } }); // ~1 s per call
    const file = experimentFile('long', promptExperiment('Experience: long run to cancel', ['base'], 30, 0));
    let finished = 0;
    const sub = a.onRunEvent((e) => {
      if (e.type === 'run-finished' && ++finished === 2) void vscode.commands.executeCommand('chimeraforge.cancelRun');
    });
    const t0 = Date.now();
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', { file, dashboard: false });
    sub.dispose();
    await eng.configure({ paced: { tokensPerSec: 400, tokens: 16 } });
    assert.ok(outcome, `no outcome; last notice: ${a.lastNotice()?.text}`);
    assert.equal(outcome.status, 'cancelled');
    assert.ok(Date.now() - t0 < 20_000, 'the run was not stopped early');
    const m = meta(outcome.trId);
    assert.equal(m.status, 'cancelled');
    assert.ok(m.finishedAt, 'cancelled meta.json has no finishedAt');
    const lines = runLines(outcome.trId);
    assert.ok(lines.length >= 2 && lines.length < 30, `${lines.length} runs recorded`);
    assert.equal(a.running(), undefined);
    const item = await eventually('the cancelled TR in the explorer', () => a.resultsItems().find((n) => n.listing.id === outcome.trId && n.listing.status === 'cancelled' ? n : undefined));
    assert.equal(item.listing.counts?.planned, 30);
  });

  it('Open Dashboard during a run shows the run so far (events replayed) and follows it to the end', async () => {
    const a = await api();
    // a panel from an earlier test may be open: close it so this one is created mid-run
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await eventually('no dashboard panel', () => (a.dashboard.current() ? undefined : true));
    await eng.configure({ paced: { tokensPerSec: 80, tokens: 24 } });
    const file = experimentFile('watched-late', promptExperiment('Experience: dashboard opened late', ['base', 'warm'], 2));
    let opened: Promise<unknown> | undefined;
    const sub = a.onRunEvent((e) => {
      if (e.type === 'run-finished' && e.done === 3 && !opened) opened = Promise.resolve(vscode.commands.executeCommand('chimeraforge.openDashboard'));
    });
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', { file, dashboard: false });
    sub.dispose();
    await opened;
    await eng.configure({ paced: { tokensPerSec: 400, tokens: 16 } });
    assert.equal(outcome?.status, 'complete');
    const panel = a.dashboard.current();
    assert.ok(panel, 'Open Dashboard opened no panel');
    // the panel was created after run 3: it can only show 6/6 and the summary if the earlier events were replayed into it
    assert.equal(panel.liveState.trId, outcome.trId);
    assert.equal(panel.liveState.runs.length, 6);
    const m = await panel.whenRendered((x) => x.view === 'live' && x.progress?.status === 'complete' && x.summaryRows > 0);
    assert.deepEqual(m.progress, { done: 6, planned: 6, status: 'complete' });
    assert.deepEqual(m.trIds, [outcome.trId]);
  });

  it('Cancel Run at once (during the preflight or the first run): nothing half-written, no error shown', async () => {
    const a = await api();
    const before = trDirs();
    const noticed = a.lastNotice();
    const file = experimentFile('cancel-at-once', promptExperiment('Experience: cancelled at once', ['base'], 5, 0));
    const run = vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', { file, dashboard: false });
    await eventually('the run registered', () => a.running());
    assert.equal(await vscode.commands.executeCommand('chimeraforge.cancelRun'), true);
    const outcome = await run;
    assert.equal(a.lastNotice(), noticed, `an error was shown: ${a.lastNotice()?.text}`);
    const added = trDirs().filter((d) => !before.includes(d));
    console.log(`      cancelled ${outcome === undefined ? 'in the preflight' : `after it (${outcome.trId}, ${runLines(outcome.trId).length} run recorded)`}`);
    if (outcome === undefined) {
      assert.deepEqual(added, [], 'cancelled in the preflight, yet a TR directory was made');
    } else {
      // the preflight was already over: a valid cancelled TR with at most the run in flight recorded
      assert.deepEqual(added, [outcome.trId]);
      assert.equal(outcome.status, 'cancelled');
      assert.equal(meta(outcome.trId).status, 'cancelled');
      assert.ok(runLines(outcome.trId).length <= 1);
    }
  });

  it('an invalid experiment file is reported with the file and every JSON path, and nothing is written', async () => {
    const a = await api();
    const before = trDirs();
    const file = experimentFile('broken', { title: 'broken', kind: 'prompt', prompts: ['x'], repetitions: 0, variants: [{ name: 'a', options: { num_ctx: 'big' } }], order: 'shuffled' });
    const outcome = await vscode.commands.executeCommand('chimeraforge.runExperiment', file);
    assert.equal(outcome, undefined);
    const n = a.lastNotice('chimeraforge.runExperiment');
    assert.ok(n, 'no error shown');
    assert.equal(n.code, 'E_BAD_INPUT');
    assert.ok(n.text.includes(file), n.text);
    for (const path of ['repetitions', 'variants[0].options.num_ctx', 'order']) assert.ok(n.text.includes(`- ${path}: `), `${path} not named:\n${n.text}`);
    assert.deepEqual(trDirs(), before);
  });

  it('an endpoint that does not answer: refused before anything is written, naming the endpoint and what to do', async () => {
    const a = await api();
    const before = trDirs();
    const dead = await new Promise<number>((res) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => res(p));
      });
    });
    const file = experimentFile('down', { ...promptExperiment('Experience: endpoint down', ['base'], 2), endpoints: { default: `http://127.0.0.1:${dead}` } });
    const outcome = await vscode.commands.executeCommand('chimeraforge.runExperiment', { file, dashboard: false });
    assert.equal(outcome, undefined);
    const n = a.lastNotice('chimeraforge.runExperiment');
    assert.equal(n?.code, 'E_UNREACHABLE');
    assert.ok(n?.text.includes(`127.0.0.1:${dead}`), n?.text);
    assert.match(n?.text ?? '', /what to do: /);
    assert.deepEqual(trDirs(), before);
  });

  it('a command experiment: refused with an explanation when the workspace is untrusted, nothing written', async () => {
    const a = await api();
    const before = trDirs();
    const file = experimentFile('command', {
      title: 'Untrusted command', kind: 'command', repetitions: 1, warmup: 0,
      implementations: [{ name: 'node', argv: ['node', '-e', 'require("fs").writeFileSync("pwned.txt", "x")'] }],
    });
    // Every driver of this suite (runIntegration, electron.ts) opens the folder with Workspace Trust on and
    // the folder untrusted: this test must run there and pass, never skip.
    assert.equal(vscode.workspace.isTrusted, false, 'the suite must run in an untrusted folder (Workspace Trust on): see test/harness/runIntegration.ts');
    const outcome = await vscode.commands.executeCommand('chimeraforge.runExperiment', { file, dashboard: false });
    assert.equal(outcome, undefined);
    const n = a.lastNotice('chimeraforge.runExperiment');
    assert.equal(n?.code, 'E_UNTRUSTED');
    assert.match(n?.text ?? '', /refused in an untrusted workspace/);
    assert.match(n?.text ?? '', /what to do: trust the workspace/);
    assert.deepEqual(trDirs(), before);
    assert.equal(existsSync(join(workspaceDir(), 'pwned.txt')), false);
  });

  it('a second run while one is going is refused, naming the run in progress', async () => {
    const a = await api();
    await eng.configure({ paced: { tokensPerSec: 40, tokens: 20 } });
    const file = experimentFile('first', promptExperiment('Experience: first of two', ['base'], 3, 0));
    const first = vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', { file, dashboard: false });
    await eventually('the first run started', () => a.running()?.trId);
    const second = await vscode.commands.executeCommand('chimeraforge.runExperiment', { file, dashboard: false });
    assert.equal(second, undefined);
    assert.match(a.lastNotice('chimeraforge.runExperiment')?.text ?? '', /a run is already in progress \(TR\d+\)/);
    assert.equal((await first)?.status, 'complete');
    await eng.configure({ paced: { tokensPerSec: 400, tokens: 16 } });
  });

  it('the editor validates *.experiment.json with the contributed schema (jsonValidation)', async () => {
    const file = experimentFile('typo', { title: 'typo', kind: 'prompt', prompts: ['x'], repetitions: 'five', warmups: 1 });
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const diags = await eventually('schema diagnostics', () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length >= 2 ? d : undefined;
    }, 30_000);
    const at = (needle: string): vscode.Diagnostic | undefined => diags.find((d) => doc.getText(d.range).includes(needle));
    assert.match(at('five')?.message ?? JSON.stringify(diags.map((d) => d.message)), /integer/i);
    assert.match(at('warmups')?.message ?? JSON.stringify(diags.map((d) => d.message)), /not allowed/i);
  });

  it('New from template copies a preset with the default model and endpoint, and it validates', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('chimeraforge.newFromTemplate', 'tr109-agent-ab');
    assert.ok(uri);
    assert.equal(uri.fsPath, join(workspaceDir(), 'tr109-agent-ab.experiment.json'));
    const x = JSON.parse(readFileSync(uri.fsPath, 'utf8')) as { model: string; endpoints: Record<string, string>; kind: string };
    assert.equal(x.model, 'tiny:latest');
    assert.deepEqual(x.endpoints, { default: eng.url });
    const v = await vscode.commands.executeCommand<Validation>('chimeraforge.validateExperiment', uri);
    // 2 variants × (5 + 1 warm-up), plus a re-warm before each of the 10 interleaved switches: chimera
    // changes load-time options (num_gpu, num_ctx), so every switch reloads the model.
    assert.deepEqual({ kind: v.kind, variants: v.variants, runs: v.runs }, { kind: 'agent', variants: ['baseline', 'chimera'], runs: 22 });
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>('chimeraforge.newFromTemplate', 'tr109-agent-ab');
    assert.equal(again?.fsPath, join(workspaceDir(), 'tr109-agent-ab-2.experiment.json'));
  });

  it('the experiment-file CodeLens offers Run · Validate · Open last result, and Open last result finds the newest TR of the file', async () => {
    const a = await api();
    const file = experimentFile('two-variants', promptExperiment('Experience: two variants', ['base', 'warm'], 3));
    const uri = vscode.Uri.file(file);
    await vscode.workspace.openTextDocument(uri); // the provider command needs the document's model
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const ours = lenses.filter((l) => l.command?.command.startsWith('chimeraforge.'));
    // The file has results and no baseline yet: the fourth lens offers to set one.
    assert.deepEqual(ours.map((l) => l.command?.command), ['chimeraforge.runExperiment', 'chimeraforge.validateExperiment', 'chimeraforge.openLastResult', 'chimeraforge.setBaseline']);
    assert.deepEqual(ours.slice(0, 3).map((l) => (l.command?.arguments?.[0] as vscode.Uri).fsPath), [file, file, file]);
    assert.deepEqual([ours[3].command?.title, ours[3].command?.arguments?.[1]], ['Set baseline…', file]);
    const newest = trDirs().filter((id) => meta(id).title === 'Experience: two variants').sort((x, y) => meta(x).createdAt.localeCompare(meta(y).createdAt)).at(-1);
    assert.ok(newest, 'the first test wrote no TR');
    const id = await vscode.commands.executeCommand<string | undefined>('chimeraforge.openLastResult', uri);
    assert.equal(id, newest);
    const r = await a.dashboard.current()!.whenRendered((m) => m.view === 'tr' && m.trIds[0] === newest);
    assert.equal(r.summaryRows, 2);
  });
});
