// The commands' side of the dashboard panel: open a view, stream a run's events into it, and give a
// panel opened (or re-opened) while the run is going the live state so far. The bridge keeps that
// state (bounded windows, shared/liveState.ts), never the events: an overnight run holds steady.
import type * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import type { RunnerEvent } from '../core/runner/events';
import { applyLiveEvent, emptyLiveState, type LiveState } from '../shared/liveState';
import type { ViewDescriptor } from '../shared/protocol';
import { DashboardPanel, stampOnce } from './dashboardPanel';

export class DashboardBridge {
  /** Live state of the run in progress (or the last run), given to a panel created later. */
  private live: LiveState = emptyLiveState();
  private fedPanel: DashboardPanel | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: Logger, private readonly reportsDir: () => string) {}

  /** Shows `view`, creating the panel if needed; a new panel first receives the events so far. */
  show(view: ViewDescriptor): DashboardPanel {
    const panel = DashboardPanel.show(this.context, { log: this.log, reportsDir: this.reportsDir }, view);
    this.catchUp(panel);
    return panel;
  }

  get panel(): DashboardPanel | undefined {
    return DashboardPanel.current;
  }

  /** A new run starts: forget the previous run's events. */
  reset(): void {
    this.live = emptyLiveState();
    this.fedPanel = undefined;
  }

  post(e: RunnerEvent): void {
    applyLiveEvent(this.live, stampOnce(e));
    const panel = DashboardPanel.current;
    if (!panel) return;
    // catchUp() feeds a panel new to this run everything, `e` included.
    if (panel !== this.fedPanel) this.catchUp(panel);
    else panel.postRunnerEvent(e);
  }

  private catchUp(panel: DashboardPanel): void {
    if (panel === this.fedPanel) return;
    // A panel that missed the start of the run gets the state so far, once; then each event.
    panel.adoptLiveState(this.live);
    this.fedPanel = panel;
  }
}
