// The commands' side of the dashboard panel: open a view, stream a run's events into it, and replay
// the current run's events into a panel opened (or re-opened) while the run is going.
import type * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import type { RunnerEvent } from '../core/runner/events';
import type { ViewDescriptor } from '../shared/protocol';
import { DashboardPanel } from './dashboardPanel';

export class DashboardBridge {
  /** Events of the run in progress (or the last run), replayed into a panel created later. */
  private events: RunnerEvent[] = [];
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
    this.events = [];
    this.fedPanel = undefined;
  }

  post(e: RunnerEvent): void {
    this.events.push(e);
    const panel = DashboardPanel.current;
    if (!panel) return;
    // catchUp() feeds a panel new to this run everything, `e` included.
    if (panel !== this.fedPanel) this.catchUp(panel);
    else panel.postRunnerEvent(e);
  }

  private catchUp(panel: DashboardPanel): void {
    if (panel === this.fedPanel) return;
    // A panel that missed the start of the run gets the events so far, in order, once.
    for (const e of this.events) panel.postRunnerEvent(e);
    this.fedPanel = panel;
  }
}
