// What activate() returns to other extensions and to the integration tests (extension.exports).
import type { Logger } from '../core/ports';
import type { RunnerEvent } from '../core/runner/events';
import type { ChimeraforgeConfig } from './config';
import type { DashboardApi } from './dashboard/api';
import type { Notice } from './notices';
import type { TrNode } from './resultsTree';

export interface ChimeraforgeApi {
  readonly version: string;
  /** Name of the log output channel in the Output panel. */
  readonly logChannelName: string;
  /** The channel as the core's Logger port. */
  readonly log: Logger;
  /** The settings as currently read (defaults for bad values). */
  config(): ChimeraforgeConfig;
  /** The reports directory the extension reads and writes, absolute. */
  reportsDir(): string;
  /** The dashboard panel: show a view, feed runner events, see what it drew. */
  readonly dashboard: DashboardApi;
  /** The results explorer's items as last read. */
  resultsItems(): readonly TrNode[];
  /** Subscribes to the tree's refreshes (each gives the new items); returns the unsubscribe. */
  onResultsRefresh(listener: (items: readonly TrNode[]) => void): { dispose(): void };
  /** Subscribes to the runner events of runs started from this window. */
  onRunEvent(listener: (e: RunnerEvent) => void): { dispose(): void };
  /** The run in progress, if any. */
  running(): { file: string; trId?: string } | undefined;
  /** The last error a command showed (optionally of one command id). */
  lastNotice(command?: string): Notice | undefined;
}
