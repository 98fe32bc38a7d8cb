// Resolving a view descriptor to its data and its tab title; read errors become an error view (the
// panel shows what went wrong and where instead of a blank page).
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { ChimeraError, errorMessage } from '../../core/errors';
import type { LiveState } from '../../shared/liveState';
import type { ViewData, ViewDescriptor } from '../../shared/protocol';
import type { ChimeraforgeConfig } from '../config';
import { loadCompareView } from './compareData';
import { loadTrView } from './trData';

/** The reports directory of the settings, absolute (relative paths are under the first workspace folder). */
export function reportsDirOf(config: Pick<ChimeraforgeConfig, 'reportsDir'>): string {
  if (isAbsolute(config.reportsDir)) return config.reportsDir;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return join(root, config.reportsDir);
}

/** A TR view streams its runs.jsonl (a million runs take seconds): the extension host stays responsive meanwhile. */
export async function viewData(view: ViewDescriptor, live: LiveState, defaultReportsDir: () => string): Promise<ViewData> {
  try {
    switch (view.kind) {
      case 'live':
        return { kind: 'live', state: live };
      case 'tr':
        return { kind: 'tr', tr: await loadTrView(view.reportsDir, view.trId) };
      case 'compare':
        return { kind: 'compare', compare: loadCompareView(view.reportsDir ?? defaultReportsDir(), view.a, view.b, view.metric, view.gate) };
    }
  } catch (e) {
    const title = view.kind === 'compare' ? 'Cannot compare these runs' : `Cannot show ${view.kind === 'tr' ? view.trId : 'the run'}`;
    if (e instanceof ChimeraError) return { kind: 'error', title, message: e.where ? `${e.message} (${e.where})` : e.message, ...(e.hint ? { hint: e.hint } : {}) };
    return { kind: 'error', title, message: errorMessage(e) };
  }
}
