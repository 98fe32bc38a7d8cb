// What command handlers may use, built once in activate(). Types only, so handler files can depend
// on it without importing each other.
import type * as vscode from 'vscode';
import type { ChimeraforgeConfig } from './config';
import type { DashboardBridge } from './dashboardBridge';
import type { LocalEngine } from './localEngine';
import type { ChannelLog } from './log';
import type { Notices } from './notices';
import type { ReportWrites } from './reportWriting';
import type { ResultsTree } from './resultsTree';
import type { RunController } from './runController';

export interface CommandServices {
  readonly context: vscode.ExtensionContext;
  readonly log: ChannelLog;
  readonly config: () => ChimeraforgeConfig;
  /** The reports directory of the settings, absolute. */
  readonly reportsDir: () => string;
  /** The first workspace folder (relative inputs and experiment globs start there), if any. */
  readonly workspaceDir: () => string | undefined;
  readonly runs: RunController;
  /** Report writing off the extension host's thread (coalesced per TR). */
  readonly reports: ReportWrites;
  readonly tree: ResultsTree;
  readonly dashboard: DashboardBridge;
  readonly engine: LocalEngine;
  readonly notices: Notices;
}
