// Run Experiment…, Cancel Run, Validate, Open Last Result, New from Template: the handlers behind the
// palette, the CodeLenses and the tests. Arguments skip the pickers.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { ChimeraError, errorMessage } from '../core/errors';
import { checkModelName, modelsOf } from '../core/experiment/modelOverride';
import { createGatewayClient } from '../core/ollama/client';
import { listInstalled } from '../core/ollama/endpoint';
import { buildPlan } from '../core/experiment/plan';
import { listTrs, type TrListing } from '../core/store/list';
import { readMeta } from '../core/store/read';
import { findExperimentFiles } from './pickers';
import type { RunOutcome } from './runController';
import { modelChoices, type InstalledModels } from './modelChoices';
import { experimentFileOfCommand, prepareExperiment } from './runSetup';
import type { CommandServices } from './services';
import { freeFileName, instantiateTemplate, listTemplates } from './templates';

/** What Run Experiment accepts instead of a pick: a file (path or URI), or options with a file or a template
 *  (`model`: every call on this model, as `chimeraforge run --model`). */
export type RunArgument = string | vscode.Uri | { file?: string; template?: string; tr?: string; dashboard?: boolean; model?: string } | undefined;

function fileOf(arg: string | vscode.Uri): string {
  return arg instanceof vscode.Uri ? arg.fsPath : resolve(arg);
}

function workspaceOrThrow(s: CommandServices): string {
  const ws = s.workspaceDir();
  if (!ws) throw new ChimeraError('E_NOT_FOUND', 'no folder is open', { hint: 'open a folder (File: Open Folder…) to hold experiment files and results' });
  return ws;
}

export async function runExperimentCommand(s: CommandServices, arg?: RunArgument): Promise<RunOutcome | undefined> {
  let file: string | undefined;
  let opts: { tr?: string; dashboard?: boolean; model?: string } = {};
  if (typeof arg === 'string' || arg instanceof vscode.Uri) file = fileOf(arg);
  else if (arg) {
    opts = { ...(arg.tr ? { tr: arg.tr } : {}), ...(arg.dashboard !== undefined ? { dashboard: arg.dashboard } : {}), ...(arg.model !== undefined ? { model: arg.model } : {}) };
    if (arg.file) file = fileOf(arg.file);
    else if (arg.template) file = (await newFromTemplate(s, arg.template))?.fsPath;
  }
  if (!file) {
    const picked = await pickExperiment(s);
    if (!picked) return undefined;
    file = picked.file;
    // An existing file picked in the palette: which model (a new template already has the settings' model).
    if (!picked.template) {
      const model = await pickModel(s, file);
      if (!model) return undefined;
      opts = { ...opts, ...model };
    }
  }
  const outcome = await s.runs.run({ file, ...opts });
  if (outcome) offerResult(outcome);
  else void vscode.window.showInformationMessage('Chimeraforge: run cancelled before it started; nothing was written.');
  return outcome;
}

async function pickExperiment(s: CommandServices): Promise<{ file: string; template: boolean } | undefined> {
  const ws = s.workspaceDir();
  const files = ws ? await findExperimentFiles(s.config().experimentsGlob) : [];
  type Item = vscode.QuickPickItem & { file?: string; template?: boolean };
  const items: Item[] = files.map((u) => ({ label: `$(beaker) ${vscode.workspace.asRelativePath(u)}`, description: titleOf(u.fsPath), file: u.fsPath }));
  if (items.length > 0) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(new-file) New from template…', description: 'TR108 sweep, TR109 A/B, TR110/TR114 multi-agent, TR112 implementations, TR115 variants', template: true });
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Experiment to run', matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.template) {
    const made = (await newFromTemplate(s))?.fsPath;
    return made ? { file: made, template: true } : undefined;
  }
  return picked.file ? { file: picked.file, template: false } : undefined;
}

/** The model step: {} = as in the file, { model } = every call on it, undefined = dismissed. */
async function pickModel(s: CommandServices, file: string): Promise<{ model?: string } | undefined> {
  // An invalid file fails here as the run would, with its JSON paths.
  const x = prepareExperiment(file, s.config(), s.workspaceDir() ?? process.cwd(), undefined, vscode.workspace.isTrusted);
  const endpoint = { name: x.endpoint, url: x.endpoints[x.endpoint] ?? '' };
  const items = installedModels(endpoint).then((installed) => modelChoices(modelsOf(x), endpoint, installed).map((c) => (
    c.kind === 'separator' ? { label: c.label, kind: vscode.QuickPickItemKind.Separator, choice: c } : { label: c.label, description: c.description, choice: c }
  )));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `Model for "${x.title}": as in the file, or one model for every call`, matchOnDescription: true });
  if (!picked) return undefined;
  const c = picked.choice;
  if (c.kind === 'model') return { model: c.model };
  if (c.kind !== 'other') return {};
  const typed = await vscode.window.showInputBox({
    prompt: 'Model tag for every call of this run (e.g. gemma3:latest)',
    validateInput: (v) => {
      try {
        checkModelName(v, 'model');
        return undefined;
      } catch (e) {
        return e instanceof ChimeraError ? `${e.message}: ${e.hint ?? ''}` : errorMessage(e);
      }
    },
  });
  return typed === undefined ? undefined : { model: typed.trim() };
}

async function installedModels(endpoint: { name: string; url: string }): Promise<InstalledModels> {
  try {
    return { names: (await listInstalled(createGatewayClient(endpoint), { timeoutMs: 3000 })).map((m) => m.name) };
  } catch (e) {
    return { error: e instanceof ChimeraError ? e.message : errorMessage(e) };
  }
}

function titleOf(file: string): string {
  try {
    const t = (JSON.parse(readFileSync(file, 'utf8')) as { title?: unknown }).title;
    return typeof t === 'string' ? t : '';
  } catch {
    return 'not valid JSON';
  }
}

/** Copies a template into the workspace (default model and endpoints from the settings) and opens it. */
export async function newFromTemplate(s: CommandServices, name?: string): Promise<vscode.Uri | undefined> {
  const ws = workspaceOrThrow(s);
  const presets = join(s.context.extensionPath, 'presets');
  const templates = listTemplates(presets);
  let t = name ? templates.find((x) => x.file === name || x.file === `${name}.experiment.json`) : undefined;
  if (name && !t) throw new ChimeraError('E_NOT_FOUND', `no template named ${name}`, { where: presets, details: [`templates: ${templates.map((x) => x.file).join(', ')}`] });
  if (!t) {
    const picked = await vscode.window.showQuickPick(
      templates.map((x) => ({ label: x.title, description: x.kind, detail: x.description, template: x })),
      { placeHolder: 'Template for the new experiment file', matchOnDescription: true, matchOnDetail: true },
    );
    t = picked?.template;
  }
  if (!t) return undefined;
  const cfg = s.config();
  const target = join(ws, freeFileName(t.file, (f) => existsSync(join(ws, f))));
  writeFileSync(target, instantiateTemplate(readFileSync(t.path, 'utf8'), t.path, cfg), { flag: 'wx' });
  if (t.kind === 'command') copyExampleAgents(s.context.extensionPath, ws);
  if ((t.kind === 'agent' || t.kind === 'multi-agent') && !existsSync(join(ws, 'data'))) offerDemoData(presets, ws);
  s.log.info(`new experiment file ${target} from template ${t.file}`);
  const uri = vscode.Uri.file(target);
  await vscode.window.showTextDocument(uri, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.One });
  return uri;
}

// The TR112 template runs the example agents by relative path: put them beside it unless already there.
function copyExampleAgents(extensionPath: string, ws: string): void {
  const src = join(extensionPath, 'examples', 'agents');
  for (const f of ['node-agent.mjs', 'python_agent.py']) {
    const to = join(ws, 'examples', 'agents', f);
    if (!existsSync(join(src, f)) || existsSync(to)) continue;
    mkdirSync(join(ws, 'examples', 'agents'), { recursive: true });
    copyFileSync(join(src, f), to);
  }
}

// Report-agent templates ingest data/**: without it every run is recorded invalid (nothing ingested).
function offerDemoData(presets: string, ws: string): void {
  void vscode.window.showWarningMessage('Chimeraforge: this experiment\'s agents read benchmark files from data/ (CSV, JSON, Markdown), and this folder has none: its runs would be invalid.', 'Copy Demo Data').then((pick) => {
    if (pick && !existsSync(join(ws, 'data'))) cpSync(join(presets, 'demo-data'), join(ws, 'data'), { recursive: true });
  });
}

function offerResult(o: RunOutcome): void {
  const c = o.counts;
  const text = `${o.trId} ${o.status}: ${c.completed} of ${c.planned} runs done (${c.warmup} warm-up${c.failed ? `, ${c.failed} failed` : ''}).`;
  const show = o.status === 'complete' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const actions = o.reportFile ? ['Open Report', 'Open Dashboard'] : ['Open Dashboard'];
  // Not awaited: the command resolves with the outcome while the offer stays on screen.
  void show(`Chimeraforge: ${text}`, ...actions).then((pick) => {
    if (pick === 'Open Report') void vscode.commands.executeCommand('chimeraforge.previewReport', o.trId);
    if (pick === 'Open Dashboard') void vscode.commands.executeCommand('chimeraforge.openInDashboard', o.trId);
  });
}

export function cancelRun(s: CommandServices): boolean {
  const cancelled = s.runs.cancel();
  if (!cancelled) void vscode.window.showInformationMessage('Chimeraforge: no run in progress.');
  return cancelled;
}

export interface Validation { readonly file: string; readonly kind: string; readonly variants: string[]; readonly runs: number }

/** Validates an experiment file (the active editor's by default); throws the file's problems with their JSON paths. */
export function validateExperiment(s: CommandServices, arg?: string | vscode.Uri): Validation {
  const file = arg ? fileOf(arg) : vscode.window.activeTextEditor?.document.uri.fsPath;
  if (!file) throw new ChimeraError('E_BAD_INPUT', 'no experiment file to validate', { hint: 'open a *.experiment.json file or pass its path' });
  const x = prepareExperiment(file, s.config(), s.workspaceDir() ?? process.cwd(), undefined, vscode.workspace.isTrusted);
  const v: Validation = { file, kind: x.kind, variants: x.variants.map((v) => v.name), runs: buildPlan(x).length };
  const text = `${vscode.workspace.asRelativePath(file)} is valid: ${v.kind}, ${v.variants.length} variant(s), ${v.runs} runs planned.`;
  s.log.info(text);
  void vscode.window.showInformationMessage(`Chimeraforge: ${text}`);
  return v;
}

/** The newest TR run from this experiment file (found through the command recorded in its meta.json). */
export function lastResultOf(s: Pick<CommandServices, 'workspaceDir' | 'reportsDir'>, file: string, accept: (t: TrListing) => boolean = () => true): string | undefined {
  const ws = s.workspaceDir() ?? process.cwd();
  const wanted = resolve(file);
  const hits = listTrs(s.reportsDir()).filter((t) => {
    if (t.error !== undefined || !accept(t)) return false;
    const f = experimentFileOfCommand(readMeta(t.dir).command);
    return f !== null && resolve(ws, f) === wanted;
  });
  hits.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  return hits.at(-1)?.id;
}

export async function openLastResult(s: CommandServices, arg?: string | vscode.Uri): Promise<string | undefined> {
  const file = arg ? fileOf(arg) : vscode.window.activeTextEditor?.document.uri.fsPath;
  if (!file) throw new ChimeraError('E_BAD_INPUT', 'no experiment file given', { hint: 'open a *.experiment.json file' });
  const id = lastResultOf(s, file);
  if (!id) throw new ChimeraError('E_NOT_FOUND', `${vscode.workspace.asRelativePath(file)} has not been run yet`, { where: s.reportsDir(), hint: 'run it (the Run lens above the file, or Chimeraforge: Run Experiment…)' });
  s.dashboard.show({ kind: 'tr', trId: id, reportsDir: s.reportsDir() });
  return id;
}
