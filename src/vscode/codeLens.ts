// Inline actions: above an experiment file (Run · Validate · Open last result, and its newest result
// against its baseline) and above a TR's meta.json (Open in Dashboard · Preview Report).
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { parseTrId } from '../core/store/trId';
import type { BaselineLensCache } from './baselineLens';

export const EXPERIMENT_SELECTOR: vscode.DocumentSelector = { pattern: '**/*.experiment.json' };
export const META_SELECTOR: vscode.DocumentSelector = { pattern: '**/TR*/meta.json' };

export class ExperimentLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly baselines: BaselineLensCache) {}

  /** New results or settings: the baseline lines are computed again. */
  refresh(): void {
    this.baselines.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const baseline = doc.uri.scheme === 'file' ? this.baselines.get(doc.uri.fsPath) : [];
    return [
      new vscode.CodeLens(top, { title: '$(play) Run', command: 'chimeraforge.runExperiment', arguments: [doc.uri], tooltip: 'Run this experiment and watch it in the dashboard' }),
      new vscode.CodeLens(top, { title: 'Validate', command: 'chimeraforge.validateExperiment', arguments: [doc.uri], tooltip: 'Check the file against the schema and count the planned runs' }),
      new vscode.CodeLens(top, { title: 'Open last result', command: 'chimeraforge.openLastResult', arguments: [doc.uri], tooltip: 'Show the newest TR run from this file' }),
      ...baseline.map((l) => new vscode.CodeLens(top, l)),
    ];
  }
}

export class MetaLenses implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const id = basename(dirname(doc.uri.fsPath));
    if (!parseTrId(id)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: `$(graph) Open ${id} in Dashboard`, command: 'chimeraforge.openInDashboard', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: 'Preview Report', command: 'chimeraforge.previewReport', arguments: [doc.uri] }),
    ];
  }
}
