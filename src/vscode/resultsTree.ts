// The results explorer: one item per TR directory of the reports directory, newest first, refreshed
// (debounced) when files under the reports directory change. A TR that cannot be read is listed with
// its error; nothing here throws into the tree.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/ports';
import { listTrs, type TrListing } from '../core/store/list';
import { compareTrIds } from '../core/store/trId';
import { Disposable } from './disposable';
import { presentTr } from './trItems';

/** A TR as the tree and the context-menu commands see it. */
export interface TrNode {
  readonly listing: TrListing;
}

export function isTrNode(v: unknown): v is TrNode {
  return typeof v === 'object' && v !== null && 'listing' in v && typeof (v as TrNode).listing?.id === 'string';
}

export class ResultsTree extends Disposable implements vscode.TreeDataProvider<TrNode> {
  static readonly viewId = 'chimeraforgeResults';
  private readonly changed = this._register(new vscode.EventEmitter<TrNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshed = this._register(new vscode.EventEmitter<readonly TrNode[]>());
  /** Fires with the new items each time the tree has re-read the reports directory. */
  readonly onDidRefresh = this.refreshed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private watchedDir = '';
  private timer: NodeJS.Timeout | undefined;
  private nodes: TrNode[] = [];

  constructor(private readonly reportsDir: () => string, private readonly log: Logger, private readonly debounceMs = 300) {
    super();
    this._register(vscode.window.createTreeView(ResultsTree.viewId, { treeDataProvider: this, showCollapseAll: false, canSelectMany: true }));
    this.watch();
    this._register({ dispose: () => { clearTimeout(this.timer); this.watcher?.dispose(); } });
  }

  /** The items as last read (the tree reads again on refresh). */
  get items(): readonly TrNode[] {
    return this.nodes;
  }

  /** Re-reads now (also re-targets the watcher when the reports directory setting changed). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watch();
    this.nodes = this.read();
    this.changed.fire(undefined);
    this.refreshed.fire(this.nodes);
  }

  getTreeItem(node: TrNode): vscode.TreeItem {
    const p = presentTr(node.listing);
    const item = new vscode.TreeItem(p.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.listing.id;
    item.description = p.description;
    item.tooltip = new vscode.MarkdownString(p.tooltip.join('\n'));
    item.contextValue = p.contextValue;
    item.iconPath = new vscode.ThemeIcon(p.icon);
    item.resourceUri = vscode.Uri.file(node.listing.dir);
    item.command = node.listing.error === undefined
      ? { command: 'chimeraforge.openInDashboard', title: 'Open in Dashboard', arguments: [node] }
      : { command: 'vscode.open', title: 'Open meta.json', arguments: [vscode.Uri.file(join(node.listing.dir, 'meta.json'))] };
    return item;
  }

  getChildren(node?: TrNode): TrNode[] {
    if (node) return [];
    this.nodes = this.read();
    return this.nodes;
  }

  private read(): TrNode[] {
    try {
      return listTrs(this.reportsDir())
        .sort((a, b) => compareTrIds(b.id, a.id))
        .map((listing) => ({ listing }));
    } catch (e) {
      // A missing reports directory is the normal empty state; anything else is logged, never thrown at the tree.
      const msg = errorMessage(e);
      if (!/ENOENT/.test(msg)) this.log.warn(`results explorer: cannot list ${this.reportsDir()}: ${msg}`);
      return [];
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), this.debounceMs);
  }

  private watch(): void {
    const dir = this.reportsDir();
    if (dir === this.watchedDir && this.watcher) return;
    this.watcher?.dispose();
    this.watchedDir = dir;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '**/*'));
    const on = (): void => this.schedule();
    this.watcher.onDidCreate(on);
    this.watcher.onDidChange(on);
    this.watcher.onDidDelete(on);
  }
}
