// activate() only wires: services are built, adapters registered, disposables handed to VS Code.
import * as vscode from 'vscode';
import { TOOL_VERSION } from '../core/version';
import type { ChimeraforgeApi } from './api';
import { registerCommands } from './commands';
import { ConfigStore } from './config';
import { dashboardApi, registerDashboard } from './dashboard/api';
import { reportsDirOf } from './dashboard/views';
import { ChannelLog } from './log';

export function activate(context: vscode.ExtensionContext): ChimeraforgeApi {
  const log = new ChannelLog();
  context.subscriptions.push(log);
  const settings = new ConfigStore(log);
  context.subscriptions.push(settings);
  context.subscriptions.push(...registerCommands({ log, config: () => settings.current }));
  const dashboardDeps = { log, reportsDir: () => reportsDirOf(settings.current) };
  context.subscriptions.push(registerDashboard(context, dashboardDeps));
  log.info(`Chimeraforge ${TOOL_VERSION} activated (VS Code ${vscode.version}, extension at ${context.extensionPath})`);
  return { version: TOOL_VERSION, logChannelName: log.name, log, config: () => settings.current, dashboard: dashboardApi(context, dashboardDeps) };
}

export function deactivate(): void {}
