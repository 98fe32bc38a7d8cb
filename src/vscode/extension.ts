// activate() only wires: services are built and adapters registered; no logic here.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Chimeraforge', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('chimeraforge.showLog', () => log.show()));
  log.info('Chimeraforge activated');
}

export function deactivate(): void {}
