// Dashboard entry (browser). Posts `ready`, draws whatever view the host sends (`init` / `view`),
// applies live batches, and answers every draw with `rendered` (what was drawn, for tests).
import './styles.css';
import { applyLiveEvents, type LiveState } from '../src/shared/liveState';
import type { FromWebview, RenderedMessage, SavedState, ToWebview, ViewData, ViewDescriptor } from '../src/shared/protocol';
import { CompareView } from './compareView';
import { clear, h } from './dom';
import { LiveView } from './liveView';
import { readTheme, watchTheme } from './theme';
import { TrView } from './trView';

interface VsCodeApi {
  postMessage(msg: FromWebview): void;
  getState(): SavedState | undefined;
  setState(s: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app')!;
let theme = readTheme();

type Shown =
  | { kind: 'live'; view: LiveView; state: LiveState }
  | { kind: 'tr'; view: TrView; trId: string }
  | { kind: 'compare'; view: CompareView; trIds: string[] }
  | { kind: 'error' };
let shown: Shown | null = null;
let descriptor: ViewDescriptor | null = null;
let batches = 0;
let lastSeq = 0;

function save(view: ViewDescriptor): void {
  descriptor = view;
  vscode.setState({ view });
}

function report(): void {
  if (!shown) return;
  const kind = ['vscode-high-contrast-light', 'vscode-high-contrast', 'vscode-dark', 'vscode-light'].find((c) => document.body.classList.contains(c)) ?? 'unknown';
  const base = {
    type: 'rendered' as const, seq: lastSeq, batches, outputs: [], trIds: [] as string[], summaryRows: 0, figures: [],
    theme: { kind, fg: theme.fg, bg: theme.bg, series0: theme.series[0] },
  };
  let msg: RenderedMessage;
  switch (shown.kind) {
    case 'live': {
      const s = shown.state;
      msg = { ...base, view: 'live', figures: shown.view.figures(), trIds: s.trId ? [s.trId] : [], summaryRows: shown.view.summaryRows, progress: { done: s.done, planned: s.planned, status: s.status } };
      break;
    }
    case 'tr':
      msg = { ...base, view: 'tr', figures: shown.view.figures(), outputs: shown.view.renderedOutputs(), trIds: [shown.trId], summaryRows: shown.view.summaryRows, callSettingsRows: shown.view.callSettingsRows };
      break;
    case 'compare':
      msg = { ...base, view: 'compare', figures: shown.view.figures(), trIds: shown.trIds, verdict: shown.view.verdict, ...(shown.view.gate ? { gate: shown.view.gate } : {}) };
      break;
    case 'error':
      msg = { ...base, view: 'error' };
      break;
  }
  vscode.postMessage(msg);
}

function show(view: ViewDescriptor, data: ViewData): void {
  save(view);
  batches = 0;
  lastSeq = 0;
  switch (data.kind) {
    case 'live':
      shown = { kind: 'live', state: data.state, view: new LiveView(root, data.state, theme, (trId) => vscode.postMessage({ type: 'open-tr', trId })) };
      break;
    case 'tr':
      shown = { kind: 'tr', trId: data.tr.trId, view: new TrView(root, data.tr, theme) };
      break;
    case 'compare':
      shown = { kind: 'compare', trIds: [data.compare.a.trId, data.compare.b.trId], view: new CompareView(root, data.compare, theme) };
      break;
    case 'error':
      clear(root);
      root.append(h('section', { class: 'card wide error' }, h('h1', {}, data.title), h('p', {}, data.message), data.hint ? h('p', { class: 'muted' }, `What to do: ${data.hint}`) : null));
      shown = { kind: 'error' };
      break;
  }
  // Let layout settle (responsive charts size from their boxes) before reporting what was drawn.
  setTimeout(report, 30);
}

function onLiveBatch(seq: number, events: Parameters<typeof applyLiveEvents>[1]): void {
  if (shown?.kind !== 'live') return;
  const hadTr = shown.state.trId;
  applyLiveEvents(shown.state, events);
  batches++;
  lastSeq = seq;
  shown.view.update(shown.state);
  const s = shown.state;
  if (s.trId && s.trId !== hadTr && descriptor?.kind === 'live') save({ kind: 'live', trId: s.trId, ...(s.trDir ? { trDir: s.trDir } : {}) });
  report();
}

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const msg = ev.data;
  try {
    if (msg.type === 'init' || msg.type === 'view') show(msg.view, msg.data);
    else if (msg.type === 'live-batch') onLiveBatch(msg.seq, msg.events);
  } catch (e) {
    vscode.postMessage({ type: 'error', message: `${msg.type}: ${e instanceof Error ? e.stack ?? e.message : String(e)}` });
  }
});

window.addEventListener('error', (ev) => vscode.postMessage({ type: 'error', message: `${ev.message} at ${ev.filename}:${ev.lineno}` }));

watchTheme(() => {
  theme = readTheme();
  if (shown && shown.kind !== 'error') shown.view.setTheme(theme);
  setTimeout(report, 30);
});

vscode.postMessage({ type: 'ready' });
