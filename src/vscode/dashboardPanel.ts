// The dashboard panel: one webview panel, reused for every view (live run, finished TR, comparison).
// The webview asks for its data with `ready` and gets an `init` snapshot; live runner events reach it
// in batches (≤ 10 posts per second); after drawing it answers `rendered`, which tests wait for.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { RunnerEvent } from '../core/runner/events';
import type { Logger } from '../core/ports';
import { applyLiveEvent, emptyLiveState, type LiveState } from '../shared/liveState';
import type { FromWebview, LiveEvent, RenderedMessage, SavedState, ToWebview, ViewDescriptor } from '../shared/protocol';
import { LiveBatcher, LiveStamper } from './dashboard/batcher';
import { dashboardHtml, newNonce } from './dashboard/html';
import { reviveDescriptor, viewTitle } from './dashboard/descriptor';
import { viewData } from './dashboard/views';
import { Disposable } from './disposable';

export interface DashboardDeps {
  readonly log: Logger;
  /** Absolute reports directory (for comparison views that name none). */
  readonly reportsDir: () => string;
}

type Host = Pick<vscode.ExtensionContext, 'extensionUri'>;

// One clock and call numbering for the whole extension host, and one stamp per event object: events
// replayed into a panel opened mid-run keep the times they had when they happened.
const stamper = new LiveStamper();
const stamps = new WeakMap<RunnerEvent, LiveEvent>();

/** The event with its host time and call number, stamped once (the bridge and a panel share the stamp). */
export function stampOnce(e: RunnerEvent): LiveEvent {
  let le = stamps.get(e);
  if (!le) {
    le = stamper.stamp(e);
    stamps.set(e, le);
  }
  return le;
}
type Waiter = { pred: (m: RenderedMessage) => boolean; resolve: (m: RenderedMessage) => void };

export class DashboardPanel extends Disposable {
  static readonly viewType = 'chimeraforge.dashboard';
  private static instance: DashboardPanel | undefined;

  private view: ViewDescriptor;
  private ready = false;
  private seq = 0;
  private live: LiveState = emptyLiveState();
  private readonly batcher: LiveBatcher;
  private waiters: Waiter[] = [];
  private rendered: RenderedMessage | undefined;
  private renders = 0;
  private viewRequests = 0;

  /** The open panel, if any. */
  static get current(): DashboardPanel | undefined {
    return DashboardPanel.instance;
  }

  /** Shows `view` in the dashboard, creating the panel or reusing the open one. */
  static show(context: Host, deps: DashboardDeps, view: ViewDescriptor): DashboardPanel {
    const open = DashboardPanel.instance;
    if (open) {
      open.setView(view);
      open.panel.reveal(undefined, true);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, viewTitle(view), { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, DashboardPanel.webviewOptions(context));
    return (DashboardPanel.instance = new DashboardPanel(panel, context, deps, view));
  }

  /** Revives panels after a reload: the saved state holds the view descriptor; the data is read again. */
  static registerSerializer(context: Host, deps: DashboardDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const saved = (state as Partial<SavedState> | undefined)?.view;
        DashboardPanel.instance?.dispose();
        // A reload ends the extension host and any run with it: no live run survives, only its TR.
        const view = reviveDescriptor(saved, null);
        panel.webview.options = DashboardPanel.webviewOptions(context);
        DashboardPanel.instance = new DashboardPanel(panel, context, deps, view);
        deps.log.info(`dashboard revived: ${viewTitle(view)}`);
      },
    });
  }

  private static webviewOptions(context: Host): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    };
  }

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly context: Host, private readonly deps: DashboardDeps, view: ViewDescriptor) {
    super();
    this.view = view;
    this.batcher = this._register(new LiveBatcher((events) => this.postBatch(events)));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)));
    this.render();
  }

  override dispose(): void {
    if (DashboardPanel.instance === this) DashboardPanel.instance = undefined;
    this.batcher.clear();
    super.dispose();
    this.panel.dispose();
  }

  /** Feeds a runner event to the live view (kept even while another view is shown, for a later switch). */
  postRunnerEvent(e: RunnerEvent): void {
    const le = stampOnce(e);
    applyLiveEvent(this.live, le);
    if (e.type === 'experiment-started') this.followRun();
    if (this.ready && this.view.kind === 'live') this.batcher.push(le);
  }

  /** Takes the live state of the run so far (a panel opened mid-run): a bounded snapshot, not every event. */
  adoptLiveState(state: LiveState): void {
    this.live = structuredClone(state);
    this.followRun();
    this.batcher.clear();
    if (this.ready && this.view.kind === 'live') void this.sendView('view');
  }

  /** A live view names the run it shows. */
  private followRun(): void {
    if (this.view.kind !== 'live' || !this.live.trId) return;
    this.view = { kind: 'live', trId: this.live.trId, ...(this.live.trDir ? { trDir: this.live.trDir } : {}) };
    this.panel.title = viewTitle(this.view);
  }

  /** The last `rendered` acknowledgement from the webview. */
  get lastRendered(): RenderedMessage | undefined {
    return this.rendered;
  }

  /** Live batches posted to the webview since the panel was created. */
  get batchesPosted(): number {
    return this.batcher.postCount;
  }

  get currentView(): ViewDescriptor {
    return this.view;
  }

  /** The host's copy of the live state (what a new or reloaded webview gets as its snapshot). */
  get liveState(): LiveState {
    return this.live;
  }

  /** Resolves with the first `rendered` message (the last one included) that satisfies `pred`. */
  whenRendered(pred: (m: RenderedMessage) => boolean = () => true, timeoutMs = 30_000): Promise<RenderedMessage> {
    if (this.rendered && pred(this.rendered)) return Promise.resolve(this.rendered);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`dashboard: no matching rendered message within ${timeoutMs} ms (last: ${JSON.stringify(this.rendered ?? null).slice(0, 400)})`));
      }, timeoutMs);
      const waiter: Waiter = { pred, resolve: (m) => { clearTimeout(timer); resolve(m); } };
      this.waiters.push(waiter);
    });
  }

  /** How many times the HTML was (re)set; each render gets a fresh nonce. */
  get renderCount(): number {
    return this.renders;
  }

  private setView(view: ViewDescriptor): void {
    this.view = view.kind === 'live' && !view.trId && this.live.trId ? { kind: 'live', trId: this.live.trId, ...(this.live.trDir ? { trDir: this.live.trDir } : {}) } : view;
    this.panel.title = viewTitle(this.view);
    this.batcher.clear();
    if (this.ready) void this.sendView('view');
  }

  /**
   * Sends the current view's data once it is read (a TR view streams its runs.jsonl). A view switched
   * away from while it loads is dropped: only the latest request is sent.
   */
  private async sendView(type: 'init' | 'view'): Promise<void> {
    const request = ++this.viewRequests;
    const view = this.view;
    const data = await viewData(view, this.live, this.deps.reportsDir);
    if (request !== this.viewRequests || this.view !== view) return;
    // The live snapshot was taken when the data was made: events queued while a TR loaded are in it.
    if (view.kind === 'live') this.batcher.clear();
    this.send({ type, view, data });
  }

  private render(): void {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    this.ready = false;
    this.renders++;
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      nonce: newNonce(),
      title: viewTitle(this.view),
    });
  }

  private onMessage(m: FromWebview): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        // The snapshot holds every event so far: queued ones must not be applied twice.
        this.batcher.clear();
        void this.sendView('init');
        break;
      case 'rendered':
        this.rendered = m;
        this.waiters = this.waiters.filter((w) => {
          if (!w.pred(m)) return true;
          w.resolve(m);
          return false;
        });
        break;
      case 'open-tr':
        // Only the run this panel watched: the webview names a TR, the host decides where it is.
        if (m.trId === this.live.trId && this.live.trDir) this.setView({ kind: 'tr', trId: m.trId, reportsDir: dirname(this.live.trDir) });
        break;
      case 'error':
        this.deps.log.error(`dashboard webview: ${m.message}`);
        break;
    }
  }

  private postBatch(events: LiveEvent[]): void {
    if (!this.ready || this.view.kind !== 'live') return;
    this.send({ type: 'live-batch', seq: ++this.seq, events });
  }

  private send(msg: ToWebview): void {
    void this.panel.webview.postMessage(msg).then(undefined, (e: unknown) => this.deps.log.warn(`dashboard: message not delivered: ${String(e)}`));
  }
}
