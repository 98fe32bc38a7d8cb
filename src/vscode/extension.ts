// activate() only wires: services are built, adapters registered, disposables handed to VS Code.
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { TOOL_VERSION } from '../core/version';
import type { ChimeraforgeApi } from './api';
import { BaselineLensCache } from './baselineLens';
import { EXPERIMENT_SELECTOR, ExperimentLenses, META_SELECTOR, MetaLenses } from './codeLens';
import { registerCommands } from './commands';
import { ConfigStore } from './config';
import { DashboardBridge } from './dashboardBridge';
import { registerDashboard } from './dashboard/api';
import { TrHover } from './hover';
import { LOCAL_ENGINE_CONTEXT, LocalEngine } from './localEngine';
import { ChannelLog } from './log';
import { Notices } from './notices';
import { ReportWrites } from './reportWriting';
import { ResultsTree } from './resultsTree';
import { RunController } from './runController';
import type { CommandServices } from './services';

export function activate(context: vscode.ExtensionContext): ChimeraforgeApi {
  // Timed for the activation benchmark (bench/activation.ts reads this line from the log).
  const t0 = performance.now();
  const subs = context.subscriptions;
  const log = new ChannelLog();
  subs.push(log);
  const settings = new ConfigStore(log);
  subs.push(settings);
  const config = () => settings.current;
  const workspaceDir = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const reportsDir = () => (isAbsolute(config().reportsDir) ? config().reportsDir : join(workspaceDir() ?? process.cwd(), config().reportsDir));
  const dashboard = new DashboardBridge(context, log, reportsDir);
  subs.push(registerDashboard(context, { log, reportsDir }));
  const tree = new ResultsTree(reportsDir, log);
  subs.push(tree);
  // Reports are written in a worker thread (dist/reportWorker.js), never on the extension host's.
  const reports = new ReportWrites(join(context.extensionPath, 'dist', 'reportWorker.js'), log);
  subs.push(reports);
  const runs = new RunController({ log, config, reportsDir, workspaceDir, dashboard, reports, onFinished: () => tree.refresh() });
  subs.push(runs);
  const engine = new LocalEngine(context.extensionPath, log);
  subs.push(engine);
  void vscode.commands.executeCommand('setContext', LOCAL_ENGINE_CONTEXT, engine.available);
  const notices = new Notices();
  const services: CommandServices = { context, log, config, reportsDir, workspaceDir, runs, reports, tree, dashboard, engine, notices };
  subs.push(...registerCommands(services));
  const experimentLenses = new ExperimentLenses(new BaselineLensCache(services));
  subs.push(experimentLenses, vscode.languages.registerCodeLensProvider(EXPERIMENT_SELECTOR, experimentLenses));
  subs.push(tree.onDidRefresh(() => experimentLenses.refresh()));
  subs.push(vscode.languages.registerCodeLensProvider(META_SELECTOR, new MetaLenses()));
  subs.push(vscode.languages.registerHoverProvider({ language: 'markdown' }, new TrHover(reportsDir)));
  subs.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('chimeraforge.reportsDir')) tree.refresh();
    else if (e.affectsConfiguration('chimeraforge')) experimentLenses.refresh();
  }));
  log.info(`Chimeraforge ${TOOL_VERSION} activated (VS Code ${vscode.version}, extension at ${context.extensionPath})`);
  log.info(`activate() took ${(performance.now() - t0).toFixed(1)} ms`);
  return {
    version: TOOL_VERSION,
    logChannelName: log.name,
    log,
    config,
    reportsDir,
    dashboard: { show: (view) => dashboard.show(view), current: () => dashboard.panel },
    resultsItems: () => tree.items,
    onResultsRefresh: (l) => tree.onDidRefresh(l),
    onRunEvent: (l) => runs.onEvent(l),
    running: () => runs.running,
    lastNotice: (command) => notices.last(command),
  };
}

export function deactivate(): void {}
