// The results explorer and the TR commands inside the real extension host: the tree lists real TRs
// (and a corrupt one, without crashing), refreshes on file changes, previews a report with the
// built-in markdown preview, compares two runs in the dashboard, supersedes, regenerates, deletes;
// the meta.json CodeLens and the TR<n> hover in markdown.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EngineHandle } from '../../engine/api';
import type { CompareResult } from '../../src/core/report/compareTrs';
import type { Meta } from '../../src/core/types';
import type { TrNode } from '../../src/vscode/resultsTree';
import type { RunOutcome } from '../../src/vscode/runController';
import { api, engine, eventually, experimentFile, promptExperiment, resetSettings, useSettings, workspaceDir } from './experienceHelpers';

const REPORTS = 'explorer-reports';
const reportsDir = (): string => join(workspaceDir(), REPORTS);
const meta = (trId: string): Meta => JSON.parse(readFileSync(join(reportsDir(), trId, 'meta.json'), 'utf8')) as Meta;

function tabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

describe('experience: results explorer and TR commands (extension host, real engine)', function () {
  this.timeout(180_000);
  let eng: EngineHandle;
  let fast = '';
  let slow = '';

  const item = async (id: string, pred: (n: TrNode) => boolean = () => true): Promise<TrNode> => {
    const a = await api();
    a.resultsItems(); // the tree re-reads on refresh; the watcher or the command triggers it
    return eventually(`${id} in the explorer`, () => a.resultsItems().find((n) => n.listing.id === id && pred(n)));
  };

  before(async () => {
    eng = await engine({ mode: 'paced', paced: { ttftMs: 20, tokensPerSec: 500, tokens: 16 } });
    await useSettings(await api(), { endpoints: { default: eng.url }, reportsDir: REPORTS });
    const run = async (name: string): Promise<string> => {
      const o = await vscode.commands.executeCommand<RunOutcome | undefined>('chimeraforge.runExperiment', { file: experimentFile(name, promptExperiment(`Explorer: ${name}`, ['base'], 3)), dashboard: false });
      assert.ok(o?.status === 'complete', `run ${name}: ${JSON.stringify(o)} ${(await api()).lastNotice()?.text}`);
      return o.trId;
    };
    fast = await run('fast');
    await eng.configure({ paced: { tokensPerSec: 200 } });
    slow = await run('slow');
  });
  after(async () => {
    await resetSettings();
    await eng?.stop();
  });

  it('lists every TR newest first with kind, status and counts; a corrupt meta.json is listed with its error', async () => {
    const dir = join(reportsDir(), 'TR90');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'meta.json'), '{ "id": "TR90", "status": ');
    await vscode.commands.executeCommand('chimeraforge.refreshResults');
    const a = await api();
    const ids = a.resultsItems().map((n) => n.listing.id);
    assert.deepEqual(ids.slice(0, 3), ['TR90', slow, fast]);
    const bad = await item('TR90');
    assert.match(bad.listing.error ?? '', /meta\.json/);
    const ok = await item(fast);
    assert.equal(ok.listing.kind, 'prompt');
    assert.equal(ok.listing.status, 'complete');
    assert.deepEqual(ok.listing.counts, { planned: 4, completed: 4, warmup: 1, failed: 0, invalid: 0, cancelled: 0 });
    // opening the corrupt one in the dashboard explains instead of crashing
    const panel = await vscode.commands.executeCommand<{ whenRendered: (p: (m: { view: string }) => boolean) => Promise<unknown> } | undefined>('chimeraforge.openInDashboard', 'TR90');
    assert.ok(panel);
    await panel.whenRendered((m) => m.view === 'error');
  });

  it('refreshes by itself when a TR directory appears under the reports directory', async () => {
    const a = await api();
    const refreshed = new Promise<readonly TrNode[]>((resolve) => {
      const sub = a.onResultsRefresh((items) => {
        if (items.some((n) => n.listing.id === 'TR77')) {
          sub.dispose();
          resolve(items);
        }
      });
    });
    cpSync(join(reportsDir(), fast), join(reportsDir(), 'TR77'), { recursive: true });
    const m = meta('TR77');
    writeFileSync(join(reportsDir(), 'TR77', 'meta.json'), JSON.stringify({ ...m, id: 'TR77', title: 'Copied by hand' }));
    const items = await Promise.race([refreshed, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no refresh within 15 s')), 15_000))]);
    assert.equal(items.find((n) => n.listing.id === 'TR77')?.listing.title, 'Copied by hand');
  });

  it('Preview Report opens the technical report in the built-in markdown preview', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('chimeraforge.previewReport', fast);
    assert.ok(uri);
    assert.equal(uri.fsPath, join(reportsDir(), `Technical_Report_${fast.slice(2)}.md`));
    const tab = await eventually('the preview tab', () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes(`Technical_Report_${fast.slice(2)}`)));
    assert.match(tab.label, /^Preview /);
  });

  it('Open Report and Open meta.json open the files in editors; Reveal in Explorer answers without an error', async () => {
    const a = await api();
    const report = await vscode.commands.executeCommand<vscode.Uri | undefined>('chimeraforge.openReport', fast);
    assert.equal(report?.fsPath, join(reportsDir(), `Technical_Report_${fast.slice(2)}.md`));
    await eventually('the report editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === report?.fsPath ? true : undefined));
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /^# Technical Report /);
    const metaUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('chimeraforge.openMeta', fast);
    assert.equal(metaUri?.fsPath, join(reportsDir(), fast, 'meta.json'));
    await eventually('the meta.json editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === metaUri?.fsPath ? true : undefined));
    assert.equal((JSON.parse(vscode.window.activeTextEditor?.document.getText() ?? '{}') as Meta).id, fast);
    const before = a.lastNotice();
    await vscode.commands.executeCommand('chimeraforge.revealTr', fast);
    assert.equal(a.lastNotice(), before, `reveal failed: ${a.lastNotice()?.text}`);
  });

  it('Compare Runs writes the comparison under the newer TR and shows the compare view with the verdict', async () => {
    const a = await api();
    const r = await vscode.commands.executeCommand<CompareResult | undefined>('chimeraforge.compareRuns', `${fast}:base`, `${slow}:base`);
    assert.ok(r, a.lastNotice()?.text);
    assert.equal(r.underTr, slow);
    assert.ok(existsSync(r.mdFile) && existsSync(r.jsonFile));
    // Exact paced server rates: no spread, so no test (p null) and the verdict says so, never "p = 0".
    assert.equal(r.comparison.p, null);
    assert.match(r.comparison.verdict, /^not testable \(no variation\) on decode_tps/);
    const panel = a.dashboard.current();
    assert.ok(panel);
    assert.deepEqual(panel.currentView, { kind: 'compare', a: { trId: fast, variant: 'base' }, b: { trId: slow, variant: 'base' }, metric: 'decode_tps', reportsDir: reportsDir() });
    const m = await panel.whenRendered((x) => x.view === 'compare' && x.trIds.join() === `${fast},${slow}`);
    assert.match(m.verdict ?? '', /^not testable \(no variation\)/);
    assert.ok(m.figures.some((f) => f.nonEmpty));
    // from the explorer with both items selected: VS Code passes (clicked item, [selection])
    const nodes = [await item(fast), await item(slow)];
    const again = await vscode.commands.executeCommand<CompareResult | undefined>('chimeraforge.compareRuns', nodes[0], nodes);
    assert.deepEqual([again?.comparison.a, again?.comparison.b], [`${fast}:base`, `${slow}:base`]);
    assert.equal(again?.mdFile, r.mdFile);
  });

  it('Mark Superseded records the lineage and the explorer shows "superseded by"', async () => {
    const r = await vscode.commands.executeCommand<{ oldId: string; newId: string } | undefined>('chimeraforge.markSuperseded', fast, slow, 'rerun on the slower engine');
    assert.deepEqual({ oldId: r?.oldId, newId: r?.newId }, { oldId: fast, newId: slow });
    const n = await item(fast, (x) => x.listing.supersededBy === slow);
    assert.equal(n.listing.supersededBy, slow);
    assert.equal(meta(fast).supersedeReason, 'rerun on the slower engine');
    assert.equal((await item(slow)).listing.supersedes, fast);
    assert.match(readFileSync(join(reportsDir(), 'README.md'), 'utf8'), new RegExp(`## Superseded reports[^#]*\\| \\[${fast}\\]\\(Technical_Report_${fast.slice(2)}\\.md\\) \\| ${slow} \\| rerun on the slower engine \\|`));
  });

  it('Regenerate Report rewrites the report and its figures from runs.jsonl; Regenerate Index lists every TR', async () => {
    const report = join(reportsDir(), `Technical_Report_${slow.slice(2)}.md`);
    writeFileSync(report, 'stale');
    const r = await vscode.commands.executeCommand<{ reportFile: string; charts: string[] } | undefined>('chimeraforge.regenerateReport', slow);
    assert.equal(r?.reportFile, report);
    assert.ok((r?.charts.length ?? 0) > 0, 'no figures');
    assert.match(readFileSync(report, 'utf8'), /Explorer: slow/);
    const index = await vscode.commands.executeCommand<string>('chimeraforge.regenerateIndex');
    const text = readFileSync(index, 'utf8');
    for (const id of [fast, slow, 'TR77']) assert.ok(text.includes(id), `${id} missing from the index`);
  });

  it('the meta.json CodeLens offers the dashboard and the report; the TR hover in markdown gives title, status and links', async () => {
    const metaUri = vscode.Uri.file(join(reportsDir(), slow, 'meta.json'));
    await vscode.workspace.openTextDocument(metaUri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', metaUri);
    assert.deepEqual(lenses.filter((l) => l.command?.command.startsWith('chimeraforge.')).map((l) => l.command?.command), ['chimeraforge.openInDashboard', 'chimeraforge.previewReport']);
    const notes = join(workspaceDir(), 'notes.md');
    writeFileSync(notes, `# Notes\n\nThe rerun ${slow} replaced ${fast}.\n`);
    const doc = await vscode.workspace.openTextDocument(notes);
    const col = doc.lineAt(2).text.indexOf(slow) + 1;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, col));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, new RegExp(`\\*\\*${slow}\\*\\* — Explorer: slow`));
    assert.match(text, /prompt · complete · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    assert.ok(text.includes(`command:chimeraforge.previewReport?${encodeURIComponent(JSON.stringify([slow]))}`), text);
  });

  it('Delete moves the TR and its report to the trash after confirmation, and the tree drops it', async () => {
    const a = await api();
    const ok = await vscode.commands.executeCommand<boolean>('chimeraforge.deleteTr', 'TR77', { confirmed: true });
    assert.equal(ok, true, a.lastNotice('chimeraforge.deleteTr')?.text);
    assert.equal(existsSync(join(reportsDir(), 'TR77')), false);
    // code-server's file system has no trash: the TR goes to .trash/ in the reports folder, recoverable
    const trash = join(reportsDir(), '.trash');
    if (existsSync(trash)) {
      const moved = readdirSync(trash).filter((d) => d.startsWith('TR77-'));
      assert.equal(moved.length, 1);
      assert.equal(meta(join('.trash', moved[0], 'TR77')).title, 'Copied by hand');
    }
    await eventually('TR77 gone from the explorer', () => (a.resultsItems().some((n) => n.listing.id === 'TR77') ? undefined : true));
  });
});
