// The dashboard as other parts of the extension (commands, runs) and the extension-host tests reach
// it: through the extension's API object, so everyone talks to the one panel of the loaded extension.
import type * as vscode from 'vscode';
import type { ViewDescriptor } from '../../shared/protocol';
import { DashboardPanel, type DashboardDeps } from '../dashboardPanel';

export type DashboardHandle = Pick<DashboardPanel, 'postRunnerEvent' | 'whenRendered' | 'lastRendered' | 'batchesPosted' | 'liveState' | 'currentView' | 'renderCount'>;

export interface DashboardApi {
  /** Shows a view (live run, a TR, a comparison) in the one dashboard panel, creating it if needed. */
  show(view: ViewDescriptor): DashboardHandle;
  /** The open panel, if any. */
  current(): DashboardHandle | undefined;
}

export function dashboardApi(context: Pick<vscode.ExtensionContext, 'extensionUri'>, deps: DashboardDeps): DashboardApi {
  return {
    show: (view) => DashboardPanel.show(context, deps, view),
    current: () => DashboardPanel.current,
  };
}

/** Registers the reload serializer; disposing closes the panel too. */
export function registerDashboard(context: Pick<vscode.ExtensionContext, 'extensionUri'>, deps: DashboardDeps): vscode.Disposable {
  const serializer = DashboardPanel.registerSerializer(context, deps);
  return { dispose: () => { serializer.dispose(); DashboardPanel.current?.dispose(); } };
}
