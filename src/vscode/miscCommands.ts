// Start/Stop Local Engine and Import Results…: thin handlers over engine/api.ts and core/import.
import * as vscode from 'vscode';
import type { EngineConfig } from '../../engine/api';
import { ChimeraError } from '../core/errors';
import { importResults, type ImportResult } from '../core/import/importer';
import { CONFIG_SECTION } from './config';
import type { CommandServices } from './services';

export interface StartEngineArgs { config?: EngineConfig; useAsEndpoint?: string }

export async function startLocalEngine(s: CommandServices, args?: StartEngineArgs): Promise<string> {
  const url = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Chimeraforge: starting the local engine…' },
    () => s.engine.start(args?.config ?? {}));
  const name = args?.useAsEndpoint;
  if (name) {
    await useEndpoint(s, name, url);
  } else if (args === undefined) {
    void vscode.window.showInformationMessage(`Chimeraforge: local engine at ${url} (model tiny:latest).`, 'Use as endpoint "default"').then((p) => {
      if (p) void useEndpoint(s, 'default', url);
    });
  }
  return url;
}

// Settings are read through config.ts; this only writes the one key back, with the endpoint added.
async function useEndpoint(s: CommandServices, name: string, url: string): Promise<void> {
  // An untrusted workspace's chimeraforge.endpoints is ignored (restrictedConfigurations): the user's choice goes to user settings there.
  const target = vscode.workspace.workspaceFolders && vscode.workspace.isTrusted ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update('endpoints', { ...s.config().endpoints, [name]: url }, target);
}

export async function stopLocalEngine(s: CommandServices): Promise<boolean> {
  const stopped = await s.engine.stop();
  if (!stopped) void vscode.window.showInformationMessage('Chimeraforge: the local engine is not running.');
  return stopped;
}

/** Imports a folder of the original program's results (folder picker unless a path is given) and writes its report. */
export async function importResultsCommand(s: CommandServices, folder?: string | vscode.Uri): Promise<ImportResult | undefined> {
  let dir = folder instanceof vscode.Uri ? folder.fsPath : folder;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Import Results', title: 'Folder of original results (TR108–TR115 layouts)' });
    dir = picked?.[0]?.fsPath;
  }
  if (!dir) return undefined;
  const reportsDir = s.reportsDir();
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Chimeraforge: importing ${dir}…` }, async () => {
    const res = importResults(dir, { reportsDir });
    await s.reports.write(res.dir, reportsDir);
    return res;
  });
  if (r.runs === 0) throw new ChimeraError('E_BAD_INPUT', `${dir}: nothing was imported`, { where: dir });
  s.log.info(`imported ${dir} as ${r.id} (${r.candidate.layout}): ${r.runs} runs from ${r.files} files, ${r.skipped.length} skipped, ${r.differences.length} differences`);
  for (const k of r.skipped) s.log.warn(`import skipped ${k.file}: ${k.reason}`);
  s.tree.refresh();
  void vscode.window.showInformationMessage(`Chimeraforge: imported ${r.id}: ${r.runs} runs (${r.skipped.length} files skipped, see the log).`, 'Preview Report').then((p) => {
    if (p) void vscode.commands.executeCommand('chimeraforge.previewReport', r.id);
  });
  return r;
}
