// Check Ollama Endpoints: every configured endpoint, into the log and a quick view the user can read.
import * as vscode from 'vscode';
import { checkEndpoint, endpointLines, formatBytes, memoryLine, type EndpointStatus } from './endpointReport';
import type { CommandServices } from './services';

export async function checkEndpoints(s: CommandServices, opts?: { show?: boolean }): Promise<EndpointStatus[]> {
  const endpoints = Object.entries(s.config().endpoints);
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Chimeraforge: checking endpoints' },
    () => Promise.all(endpoints.map(([name, url]) => checkEndpoint(name, url))),
  );
  for (const r of results) {
    for (const line of endpointLines(r)) {
      if (r.ok) s.log.info(line);
      else s.log.warn(line);
    }
  }
  if (opts?.show ?? true) showQuickView(results);
  return results;
}

// A non-blocking quick pick: the command returns while the user reads it.
function showQuickView(results: EndpointStatus[]): void {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = 'Chimeraforge: Ollama endpoints';
  qp.placeholder = `${results.filter((r) => r.ok).length} of ${results.length} endpoint(s) answer`;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const items: vscode.QuickPickItem[] = [];
  for (const r of results) {
    items.push({ label: r.name, kind: vscode.QuickPickItemKind.Separator });
    if (!r.ok) {
      items.push({ label: `$(error) ${r.url}`, description: 'not reachable', detail: r.error });
      continue;
    }
    items.push({ label: `$(server) ${r.url}`, description: `Ollama ${r.version}`, detail: `${r.models.length} installed, ${r.loaded.length} loaded` });
    for (const m of r.loaded) items.push({ label: `$(${m.partialOffload ? 'warning' : 'pulse'}) ${m.name}`, description: 'loaded', detail: memoryLine(m) });
    for (const m of r.models) items.push({ label: `$(package) ${m.name}`, description: [m.parameter_size, m.quantization_level, formatBytes(m.size)].filter(Boolean).join(' · ') });
  }
  qp.items = items;
  qp.onDidAccept(() => qp.hide());
  qp.onDidHide(() => qp.dispose());
  qp.show();
}
