// Messages between the extension host and the dashboard webview. Types only: both bundles import them
// with `import type`, so nothing here reaches either bundle at run time. Handshake: the webview posts
// `ready`; the host answers `init` with the full snapshot of the current view. Later changes come as
// `view` (another view in the same panel) or `live-batch` (≤ 10 per second). After drawing, the webview
// answers `rendered` with what it drew, which tests and benchmarks wait for.
import type { GateResult } from '../core/report/gateTypes';
import type { CallSettingsData } from '../core/report/callSettingsTypes';
import type { RunnerEvent } from '../core/runner/events';
import type { ProvenanceDifference } from '../core/store/provenance';
import type { Counts, ShownStatus } from '../core/types';
import type { LiveState } from './liveState';

/** One group of a comparison: a TR and, when it has several, one of its variants. */
export interface GroupPointer { trId: string; variant?: string }

/** What a panel shows. Saved as the panel's state: pointers only, the data is re-read from disk on revive. */
export type ViewDescriptor =
  | { kind: 'live'; trId?: string; trDir?: string }
  | { kind: 'tr'; trId: string; reportsDir: string }
  | { kind: 'compare'; a: GroupPointer; b: GroupPointer; metric?: string; reportsDir?: string; gate?: GatePointer };

/** "Compare with Baseline…": A is the baseline and the view shows the gate's decision at this margin. */
export interface GatePointer { maxRegressionPct: number }

export type ViewKind = ViewDescriptor['kind'];

/** A runner event as the host saw it: when (ms since the experiment started) and, for tokens, which call of its stream. */
export interface LiveEvent {
  atMs: number;
  /** Per stream (run/variant/agent/stage), the call the tokens belong to: 0, 1, … (a retry or a next prompt is a new call). */
  call?: number;
  event: RunnerEvent;
}

/** A Chart.js configuration as JSON (plugins by id: functions do not cross the message channel). */
export interface ChartPayload {
  kind: 'chart';
  id: string;
  title: string;
  caption: string;
  width: number;
  height: number;
  config: Record<string, unknown>;
  plugins: string[];
}

/** A sweep heatmap, drawn as a table of coloured cells. values[y][x]; null = no data. */
export interface HeatmapPayload {
  kind: 'heatmap';
  id: string;
  title: string;
  caption: string;
  xName: string;
  yName: string;
  xLabels: string[];
  yLabels: string[];
  values: (number | null)[][];
  notes: (string | null)[][];
  unit: string;
}

export type FigurePayload = ChartPayload | HeatmapPayload;

export interface Interval { mean: number; ci95: [number, number] | null }

/** Per-call tail latency of a variant: p95/p99 over all ok calls of its counted runs, n = calls. */
export interface CallTail { n: number; p95: number; p99: number }

export interface VariantRow {
  name: string;
  options: string;
  n: number;
  excluded: { warmup: number; failed: number; cancelled: number; invalid: number };
  decodeTps: (Interval & { sd: number | null; cv: number | null }) | null;
  /** median/p95/mean are over per-run mean TTFTs (n = runs); perCall over all ok calls (null below MIN_CALLS_FOR_TAIL calls). */
  ttftMs: { median: number; p95: number; mean: number; runs: number; perCall: CallTail | null } | null;
  e2eMs: { median: number; p95: number; runs: number; perCall: CallTail | null } | null;
  wallMs: { median: number } | null;
}

export interface OutputSample { run: number; variant: string; agent?: string; stage: string; file: string; text: string; truncated: boolean }

/** capacity: the verdict per variant in words and one row per variant × level (level means; summary.capacity). */
export interface CapacityViewData {
  /** What a level is: "concurrent requests" or "requests/s". */
  unit: string;
  verdicts: string[];
  rows: {
    variant: string; level: number; requests: number; errors: number; retries: number;
    throughputRps: number; outputTps: number; ttftP95Ms: number | null; goodputPct: number | null; meetsSlo: boolean | null;
  }[];
}

export interface TrViewData {
  trId: string;
  title: string;
  kind: string;
  status: ShownStatus;
  createdAt: string | null;
  finishedAt: string | null;
  counts: Counts | null;
  validity: { runs: number; counted: number; warmup: number; failed: number; cancelled: number; invalid: number; solo: number; corruptLines: number };
  reference: string | null;
  variants: VariantRow[];
  multiAgent: { label: string; mean: number; ci95: [number, number] | null; unit: string }[];
  /** Multi-agent contention in words (flagged of decided runs, undecided runs counted apart); null for other kinds. */
  contention: string | null;
  comparisons: { a: string; b: string; metric: string; diff: number; ci95: [number, number] | null; verdict: string }[];
  /** capacity: verdicts and levels; null for other kinds. */
  capacity: CapacityViewData | null;
  figures: FigurePayload[];
  outputs: OutputSample[];
  notes: string[];
  supersededBy: string | null;
  /** Prompt-cache mode, think, format and what came of them per variant, with definitions; null for TRs written before promptCache. */
  callSettings: CallSettingsData | null;
}

export interface CompareGroup { label: string; trId: string; variant: string; n: number; mean: number; sd: number | null; ci95: [number, number] | null }

export interface CompareViewData {
  metric: string;
  unit: string;
  better: 'higher' | 'lower';
  a: CompareGroup;
  b: CompareGroup;
  diff: number;
  ci95: [number, number] | null;
  percent: number | null;
  percentCi95: [number, number] | null;
  p: number | null;
  g: number | null;
  verdict: string;
  degenerate?: string;
  sampleSizeHint: { detectPercent: number; runsPerVariant: number | null } | null;
  /** What differs between the two sides besides what is compared (empty: nothing recorded differs). */
  provenance: ProvenanceDifference[];
  /** The gate's decision of B against A (the baseline), when the view was opened as a baseline comparison. */
  gate?: GateResult & { ciDefinition: string };
}

export type ViewData =
  | { kind: 'live'; state: LiveState }
  | { kind: 'tr'; tr: TrViewData }
  | { kind: 'compare'; compare: CompareViewData }
  | { kind: 'error'; title: string; message: string; hint?: string };

export type ToWebview =
  | { type: 'init'; view: ViewDescriptor; data: ViewData }
  | { type: 'view'; view: ViewDescriptor; data: ViewData }
  | { type: 'live-batch'; seq: number; events: LiveEvent[] };

/** One figure as drawn: points plotted (non-null values, or filled heatmap cells) and whether any ink landed. */
export interface RenderedFigure { id: string; kind: string; points: number; nonEmpty: boolean; ink?: number }

/** Generated text as shown: its textContent and how many elements it holds (0: it stayed text). */
export interface RenderedOutput { run: number; text: string; elements: number }

export interface RenderedMessage {
  type: 'rendered';
  view: ViewKind | 'error';
  /** live: the last live-batch applied (0 for init); other views: 0. */
  seq: number;
  /** Live batches applied since init. */
  batches: number;
  figures: RenderedFigure[];
  outputs: RenderedOutput[];
  /** Live: runs done / planned and the TR status shown; tr/compare: the TR ids shown. */
  progress?: { done: number; planned: number; status: string };
  trIds: string[];
  /** Rows of the summary table (live: present once experiment-finished arrived). */
  summaryRows: number;
  /** TR view: body rows of the prompt cache / thinking / structured output card (0: the TR has none). */
  callSettingsRows?: number;
  /** Compare: the verdict text shown. */
  verdict?: string;
  /** Compare with a baseline: the gate outcome shown (pass, regression, inconclusive, mismatch). */
  gate?: string;
  /** The theme the figures were drawn with: body class and the colours read from VS Code's variables. */
  theme?: { kind: string; fg: string; bg: string; series0: string };
}

export type FromWebview =
  | { type: 'ready' }
  /** The live view's "Open the full results" button: the finished run's TR view in this panel. */
  | { type: 'open-tr'; trId: string }
  | RenderedMessage
  | { type: 'error'; message: string };

/** The panel's saved state (vscode.setState): pointers, never data. */
export interface SavedState { view: ViewDescriptor }
