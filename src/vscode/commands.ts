// Every palette command in one table {id, run}; each handler is a few lines over the core, in the
// file of its area. Ids here and `contributes.commands` in package.json must match (manifest test).
import * as vscode from 'vscode';
import { ChimeraError } from '../core/errors';
import { compareWithBaseline, setBaseline } from './baseline';
import { checkEndpoints } from './endpointCheck';
import { importResultsCommand, startLocalEngine, stopLocalEngine, type StartEngineArgs } from './miscCommands';
import { noticeLine } from './notices';
import { cancelRun, newFromTemplate, openLastResult, runExperimentCommand, validateExperiment, type RunArgument } from './runCommands';
import type { CommandServices } from './services';
import {
  compareRuns, deleteTr, markSuperseded, openDashboard, openInDashboard, openMeta, openReport, previewReport,
  regenerateIndexCommand, regenerateReport, revealTr,
} from './trCommands';

export type { CommandServices } from './services';

export interface CommandSpec {
  readonly id: `chimeraforge.${string}`;
  run(services: CommandServices, ...args: unknown[]): unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const fileArg = (v: unknown): string | vscode.Uri | undefined => (typeof v === 'string' || v instanceof vscode.Uri ? v : undefined);

export const COMMANDS: readonly CommandSpec[] = [
  { id: 'chimeraforge.runExperiment', run: (s, arg) => runExperimentCommand(s, arg as RunArgument) },
  { id: 'chimeraforge.cancelRun', run: (s) => cancelRun(s) },
  { id: 'chimeraforge.newFromTemplate', run: (s, name) => newFromTemplate(s, str(name)) },
  { id: 'chimeraforge.validateExperiment', run: (s, file) => validateExperiment(s, fileArg(file)) },
  { id: 'chimeraforge.openLastResult', run: (s, file) => openLastResult(s, fileArg(file)) },
  { id: 'chimeraforge.openDashboard', run: (s) => openDashboard(s) },
  { id: 'chimeraforge.openInDashboard', run: (s, tr) => openInDashboard(s, tr) },
  { id: 'chimeraforge.openReport', run: (s, tr) => openReport(s, tr) },
  { id: 'chimeraforge.previewReport', run: (s, tr) => previewReport(s, tr) },
  { id: 'chimeraforge.openMeta', run: (s, tr) => openMeta(s, tr) },
  { id: 'chimeraforge.compareRuns', run: (s, a, b, metric) => compareRuns(s, a, b, str(metric)) },
  { id: 'chimeraforge.compareWithBaseline', run: (s, tr, baseline) => compareWithBaseline(s, tr, Array.isArray(baseline) ? undefined : baseline) },
  { id: 'chimeraforge.setBaseline', run: (s, tr, file) => setBaseline(s, tr, Array.isArray(file) ? undefined : file) },
  { id: 'chimeraforge.markSuperseded', run: (s, old, by, reason) => markSuperseded(s, old, by, str(reason)) },
  { id: 'chimeraforge.regenerateReport', run: (s, tr) => regenerateReport(s, tr) },
  { id: 'chimeraforge.regenerateIndex', run: (s) => regenerateIndexCommand(s) },
  { id: 'chimeraforge.revealTr', run: (s, tr) => revealTr(s, tr) },
  { id: 'chimeraforge.deleteTr', run: (s, tr, opts) => deleteTr(s, tr, opts as { confirmed?: boolean } | undefined) },
  { id: 'chimeraforge.refreshResults', run: (s) => s.tree.refresh() },
  { id: 'chimeraforge.checkEndpoints', run: (s, opts) => checkEndpoints(s, opts as { show?: boolean } | undefined) },
  { id: 'chimeraforge.startLocalEngine', run: (s, args) => startLocalEngine(s, args as StartEngineArgs | undefined) },
  { id: 'chimeraforge.stopLocalEngine', run: (s) => stopLocalEngine(s) },
  { id: 'chimeraforge.importResults', run: (s, dir) => importResultsCommand(s, fileArg(dir)) },
  { id: 'chimeraforge.showLog', run: ({ log }) => log.show() },
];

/** Registers every command; a failing handler is logged and shown (what, where, what to do), never swallowed. */
export function registerCommands(services: CommandServices, table: readonly CommandSpec[] = COMMANDS): vscode.Disposable[] {
  return table.map((cmd) =>
    vscode.commands.registerCommand(cmd.id, async (...args: unknown[]) => {
      try {
        return await cmd.run(services, ...args);
      } catch (e) {
        const notice = services.notices.record(cmd.id, e);
        services.log.error(`${cmd.id} failed: ${notice.text}`);
        const show = e instanceof ChimeraError && e.code === 'E_UNTRUSTED' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
        const actions = e instanceof ChimeraError && e.code === 'E_UNTRUSTED' ? ['Manage Workspace Trust', 'Show Log'] : ['Show Log'];
        void show(`Chimeraforge: ${noticeLine(e)}`, ...actions).then((pick) => {
          if (pick === 'Show Log') services.log.show();
          if (pick === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
        });
        return undefined;
      }
    }),
  );
}
