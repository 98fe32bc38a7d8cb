// Commands on TR directories (palette, results explorer context menu, CodeLens, hover links): open,
// preview, dashboard, compare, supersede, regenerate, reveal, delete. Each takes the TR as its first
// argument (tree item, id or URI) or asks for it.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { ChimeraError } from '../core/errors';
import { compareTrGroups, parseGroupRef, type CompareResult, type GroupRef } from '../core/report/compareTrs';
import { regenerateIndex, INDEX_FILE } from '../core/report/reportsIndex';
import { supersede, type SupersedeResult } from '../core/report/supersede';
import type { WriteReportResult } from '../core/report/write';
import { readMeta } from '../core/store/read';
import { reportFileName } from '../core/store/trId';
import type { DashboardPanel } from './dashboardPanel';
import { isTrNode } from './resultsTree';
import { metaUri, resolveTr, type TrRef } from './pickers';
import type { CommandServices } from './services';

/**
 * The TR's report file. A run's report is written after its last run (in a worker): opening it in that
 * moment waits for the write instead of saying there is none.
 */
async function reportUri(s: CommandServices, ref: TrRef): Promise<vscode.Uri> {
  await s.reports.pending(ref.dir)?.catch(() => undefined);
  const file = join(s.reportsDir(), reportFileName(ref.id));
  if (!existsSync(file)) {
    throw new ChimeraError('E_NOT_FOUND', `${ref.id} has no technical report yet`, { where: file, hint: `run "Chimeraforge: Regenerate Report" on ${ref.id}` });
  }
  return vscode.Uri.file(file);
}

export function openDashboard(s: CommandServices): DashboardPanel {
  return s.dashboard.show({ kind: 'live' });
}

export async function openInDashboard(s: CommandServices, arg?: unknown): Promise<DashboardPanel | undefined> {
  const ref = await resolveTr(arg, s.reportsDir(), 'TR to show in the dashboard');
  return ref ? s.dashboard.show({ kind: 'tr', trId: ref.id, reportsDir: s.reportsDir() }) : undefined;
}

export async function openReport(s: CommandServices, arg?: unknown): Promise<vscode.Uri | undefined> {
  const ref = await resolveTr(arg, s.reportsDir(), 'TR whose report to open');
  if (!ref) return undefined;
  const uri = await reportUri(s, ref);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

/** The built-in markdown preview of the report, to the side. */
export async function previewReport(s: CommandServices, arg?: unknown): Promise<vscode.Uri | undefined> {
  const ref = await resolveTr(arg, s.reportsDir(), 'TR whose report to preview');
  if (!ref) return undefined;
  const uri = await reportUri(s, ref);
  await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  return uri;
}

export async function openMeta(s: CommandServices, arg?: unknown): Promise<vscode.Uri | undefined> {
  const ref = await resolveTr(arg, s.reportsDir(), 'TR whose meta.json to open');
  if (!ref) return undefined;
  const uri = metaUri(ref);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

async function pickGroup(s: CommandServices, arg: unknown, placeHolder: string): Promise<GroupRef | undefined> {
  if (typeof arg === 'string' && arg.includes(':')) return parseGroupRef(arg);
  const ref = await resolveTr(arg, s.reportsDir(), placeHolder, (t) => t.error === undefined && t.status !== 'running');
  if (!ref) return undefined;
  const variants = (readMeta(ref.dir).summary?.variants ?? []).map((v) => v.name);
  if (variants.length <= 1 || (arg !== undefined && !isTrNode(arg))) return { tr: ref.id };
  const v = await vscode.window.showQuickPick(variants, { placeHolder: `Variant of ${ref.id}` });
  return v ? { tr: ref.id, variant: v } : undefined;
}

/** Compares two TRs/variants (the CI of the difference, the verdict), writes it like `chimeraforge compare`, shows it. */
export async function compareRuns(s: CommandServices, a?: unknown, b?: unknown, metric?: string): Promise<CompareResult | undefined> {
  // From the explorer with two TRs selected, VS Code passes (clicked item, [selected items]).
  if (Array.isArray(b)) {
    const other = b.filter(isTrNode).find((n) => !isTrNode(a) || n.listing.id !== a.listing.id);
    b = b.length === 2 ? other : undefined;
  }
  const ga = await pickGroup(s, a, 'First TR (the reference)');
  if (!ga) return undefined;
  const gb = await pickGroup(s, b, `Compare ${ga.tr}${ga.variant ? `:${ga.variant}` : ''} with…`);
  if (!gb) return undefined;
  const reportsDir = s.reportsDir();
  const result = compareTrGroups(reportsDir, ga, gb, metric ?? 'decode_tps', true);
  const c = result.comparison;
  s.log.info(`compare ${c.a} vs ${c.b} (${c.metric}): ${c.verdict}; written to ${result.mdFile}`);
  s.dashboard.show({ kind: 'compare', a: { trId: c.aTr, variant: c.aVariant }, b: { trId: c.bTr, variant: c.bVariant }, metric: c.metric, reportsDir });
  s.tree.refresh();
  return result;
}

/** Marks OLD superseded by NEW with a reason; arguments (old, new, reason) skip the prompts. */
export async function markSuperseded(s: CommandServices, oldArg?: unknown, newArg?: unknown, reasonArg?: string): Promise<SupersedeResult | undefined> {
  if (Array.isArray(newArg)) newArg = undefined; // the explorer's selection: ask which TR supersedes
  const reportsDir = s.reportsDir();
  const old = await resolveTr(oldArg, reportsDir, 'TR that is superseded (the older result)', (t) => t.error === undefined);
  if (!old) return undefined;
  const by = await resolveTr(newArg, reportsDir, `TR that supersedes ${old.id}`, (t) => t.error === undefined && t.id !== old.id);
  if (!by) return undefined;
  const reason = reasonArg ?? await vscode.window.showInputBox({
    prompt: `Why does ${by.id} supersede ${old.id}?`, placeHolder: 'e.g. 30 → 150 runs; fixed warm-up', ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'a reason is required' : undefined),
  });
  if (reason === undefined) return undefined;
  const r = supersede(reportsDir, old.id, by.id, reason);
  s.log.info(`${old.id} superseded by ${by.id}: ${r.reason}`);
  s.tree.refresh();
  return r;
}

export async function regenerateReport(s: CommandServices, arg?: unknown): Promise<WriteReportResult | undefined> {
  const ref = await resolveTr(arg, s.reportsDir(), 'TR whose report to regenerate', (t) => t.error === undefined);
  if (!ref) return undefined;
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Chimeraforge: regenerating the report of ${ref.id}…` },
    () => s.reports.write(ref.dir, s.reportsDir()));
  s.log.info(`${ref.id}: report written to ${r.reportFile} (${r.charts.length} charts${r.corrupt.length ? `, ${r.corrupt.length} unreadable runs.jsonl lines skipped` : ''})`);
  s.tree.refresh();
  void vscode.window.showInformationMessage(`Chimeraforge: report of ${ref.id} regenerated${r.corrupt.length ? ` (${r.corrupt.length} unreadable lines skipped, see the log)` : ''}.`, 'Preview').then((p) => {
    if (p) void vscode.commands.executeCommand('markdown.showPreviewToSide', vscode.Uri.file(r.reportFile));
  });
  return r;
}

export function regenerateIndexCommand(s: CommandServices): string {
  const reportsDir = s.reportsDir();
  const file = regenerateIndex(reportsDir);
  s.log.info(`reports index written: ${file}`);
  void vscode.window.showInformationMessage(`Chimeraforge: reports index written (${join(reportsDir, INDEX_FILE)}).`);
  return file;
}

const TRASH_DIR = '.trash';

/**
 * The OS trash where the file system has one; otherwise (code-server's remote file system has none)
 * a .trash folder in the reports directory, so a delete is never irreversible. Returns where they went.
 */
async function toTrash(paths: string[], fallbackDir: string): Promise<string> {
  try {
    for (const p of paths) await vscode.workspace.fs.delete(vscode.Uri.file(p), { recursive: true, useTrash: true });
    return 'the trash';
  } catch (e) {
    if (!paths.every((p) => existsSync(p))) throw e;
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(fallbackDir));
    for (const p of paths) await vscode.workspace.fs.rename(vscode.Uri.file(p), vscode.Uri.file(join(fallbackDir, basename(p))));
    return fallbackDir;
  }
}

export async function revealTr(s: CommandServices, arg?: unknown): Promise<void> {
  const ref = await resolveTr(arg, s.reportsDir(), 'TR to reveal');
  // revealFileInOS has no OS to reveal in under code-server; the Explorer view works everywhere.
  if (ref) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(ref.dir));
}

/** Moves a TR directory and its report to the trash after a modal confirmation ({confirmed: true} skips it). */
export async function deleteTr(s: CommandServices, arg?: unknown, opts?: { confirmed?: boolean } | unknown[]): Promise<boolean> {
  if (Array.isArray(opts)) opts = undefined; // the explorer's selection; one TR at a time
  const reportsDir = s.reportsDir();
  const ref = await resolveTr(arg, reportsDir, 'TR to delete');
  if (!ref) return false;
  if (!opts?.confirmed) {
    const ok = await vscode.window.showWarningMessage(`Move ${ref.id} to the trash?`, {
      modal: true, detail: `${ref.dir} and its technical report go to the trash (or ${TRASH_DIR}/ in the reports folder where there is none); the reports index is rewritten without it.`,
    }, 'Move to Trash');
    if (ok !== 'Move to Trash') return false;
  }
  const report = join(reportsDir, reportFileName(ref.id));
  const where = await toTrash([ref.dir, ...(existsSync(report) ? [report] : [])], join(reportsDir, TRASH_DIR, `${ref.id}-${Date.now()}`));
  regenerateIndex(reportsDir);
  s.log.info(`${ref.id} moved to ${where} (${ref.dir})`);
  s.tree.refresh();
  return true;
}
