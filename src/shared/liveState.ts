// The live view's state and the one reducer both sides run: the host keeps a copy (the `init` snapshot
// for a panel opened or reloaded mid-run) and the webview applies batches to its own. Pure and
// JSON-only. Token progress is kept as one point per call, updated in place while the call streams,
// so applying a coalesced batch (only the latest update of each call) ends in the same state as
// applying every event. The state is bounded whatever the run count (an overnight run): the latest
// LIVE_WINDOW_RUNS runs and LIVE_WINDOW_POINTS points per series are kept; finished runs' streams are
// forgotten. Totals come from counters (`done`), the full record from the TR directory.
import type { RunnerEvent } from '../core/runner/events';
import type { Counts, MultiAgentRunMetrics, RunStatus, Summary, TrStatus } from '../core/types';
import type { LiveEvent } from './protocol';

/** Runs kept in `runs` (the live view shows the latest few; the TR directory has all). */
export const LIVE_WINDOW_RUNS = 200;
/** Points kept per series in `tokens` and `ttft` (one per call: the latest calls). */
export const LIVE_WINDOW_POINTS = 1000;

export interface LivePoint { x: number; y: number; run: number }

export interface LiveRun {
  run: number;
  variant: string;
  warmup: boolean;
  soloAgent?: string;
  status: RunStatus;
  valid: boolean;
  wallMs: number;
  error?: string;
  agents?: { name: string; startOffsetMs: number; wallMs: number; status: RunStatus }[];
  multiAgent?: Pick<MultiAgentRunMetrics, 'overlap_efficiency' | 'speedup_vs_sequential' | 'concurrent_wall_ms'>;
}

/** Adaptive repetitions as checked so far: per variant, one point per check (x = repetitions, y = CI half-width %). */
export interface LiveAdaptive {
  metric: string;
  targetPct: number;
  points: Record<string, { x: number; y: number | null }[]>;
  decision: 'continue' | 'stop';
  reason: string;
}

/** capacity: one run (variant × level × repetition) as its latest progress left it. */
export interface LiveCapacityRun {
  run: number;
  variant: string;
  level: number;
  repetition: number;
  warmup: boolean;
  elapsedMs: number;
  inFlight: number;
  started: number;
  completed: number;
  achievedRps: number | null;
  ttftP95Ms: number | null;
}

/** capacity: the sweep so far. `runs` keeps each run's latest progress (bounded by LIVE_WINDOW_RUNS). */
export interface LiveCapacity {
  mode: string;
  current: LiveCapacityRun | null;
  runs: LiveCapacityRun[];
}

export interface LiveState {
  trId: string | null;
  trDir: string | null;
  title: string;
  kind: string;
  variants: string[];
  agents: string[];
  status: 'waiting' | TrStatus;
  planned: number;
  done: number;
  etaMs: number | null;
  current: { run: number; variant: string; warmup: boolean; soloAgent?: string } | null;
  /** Series (agent or variant) → one point per call: x = s since the experiment started, y = decode tok/s so far. */
  tokens: Record<string, LivePoint[]>;
  /** Series → one point per call: x = s at the first token, y = client TTFT (ms). */
  ttft: Record<string, LivePoint[]>;
  /** Stream → its latest call and where that call's points are (in-place updates). */
  streams: Record<string, { series: string; call: number; tokensAt: number; ttftAt: number }>;
  /** The latest LIVE_WINDOW_RUNS finished runs; `done` counts them all. */
  runs: LiveRun[];
  counts: Counts | null;
  summary: Summary | null;
  /** Adaptive repetitions: the CI narrowing check by check; null for a fixed repetition count. */
  adaptive: LiveAdaptive | null;
  /** capacity: the level running now and each run's latest progress; null for other kinds. */
  capacity: LiveCapacity | null;
  /** Host time of the latest event applied (ms since the experiment started). */
  lastAtMs: number;
}

export function emptyLiveState(): LiveState {
  return {
    trId: null, trDir: null, title: '', kind: '', variants: [], agents: [], status: 'waiting', planned: 0, done: 0, etaMs: null,
    current: null, tokens: {}, ttft: {}, streams: {}, runs: [], counts: null, summary: null, adaptive: null, capacity: null, lastAtMs: 0,
  };
}

type TokensEvent = Extract<RunnerEvent, { type: 'tokens' }>;
type CallEvent = Extract<RunnerEvent, { type: 'call-finished' }>;

/** The stream a token or call event belongs to: one run, variant, agent and stage. */
export function streamKey(e: TokensEvent | CallEvent): string {
  return `${e.run}/${e.variant}/${e.agent ?? ''}/${e.stage}`;
}

/** The line a call is drawn on: the agent (with its variant when there are several), else the variant. */
export function seriesOf(s: LiveState, variant: string, agent: string | undefined): string {
  if (!agent) return variant;
  return s.variants.length > 1 ? `${variant} · ${agent}` : agent;
}

/** Time of the first token, ms after send, from a progress update: tps = (tokens − 1) / (elapsed − first). */
export function firstTokenMs(e: TokensEvent): number | null {
  if (e.tps === null || e.tps <= 0 || e.tokens < 2) return null;
  return e.elapsedMs - ((e.tokens - 1) * 1000) / e.tps;
}

function upsert(list: LivePoint[], at: number, p: LivePoint): number {
  if (at >= 0 && at < list.length) {
    list[at] = p;
    return at;
  }
  list.push(p);
  return list.length - 1;
}

/** A rate is drawn once it spans enough tokens and time: the first few chunks of a call often arrive
 *  together and would show rates of 10⁵ tok/s. Counters only grow, so a call that qualifies stays so. */
export const MIN_RATE_TOKENS = 4;
export const MIN_RATE_SPAN_MS = 20;

function rateShown(e: TokensEvent): boolean {
  if (e.tps === null || e.tps <= 0 || e.tokens - 1 < MIN_RATE_TOKENS) return false;
  return ((e.tokens - 1) * 1000) / e.tps >= MIN_RATE_SPAN_MS;
}

/** Series in a stable order (declared variants × agents first), so a series keeps its colour in every chart. */
export function seriesOrder(s: LiveState): string[] {
  const order: string[] = [];
  const add = (n: string): void => {
    if (!order.includes(n)) order.push(n);
  };
  for (const v of s.variants) for (const a of s.agents.length ? s.agents : [undefined]) add(seriesOf(s, v, a));
  for (const n of [...Object.keys(s.tokens), ...Object.keys(s.ttft)]) add(n);
  return order;
}

function applyTokens(s: LiveState, le: LiveEvent, e: TokensEvent): void {
  const key = streamKey(e);
  const call = le.call ?? 0;
  let st = s.streams[key];
  if (!st || st.call !== call) {
    st = { series: seriesOf(s, e.variant, e.agent), call, tokensAt: -1, ttftAt: -1 };
    s.streams[key] = st;
  }
  if (e.tps !== null && rateShown(e)) {
    const list = (s.tokens[st.series] ??= []);
    st.tokensAt = upsert(list, st.tokensAt, { x: le.atMs / 1000, y: e.tps, run: e.run });
  }
  const first = firstTokenMs(e);
  if (first !== null) {
    const list = (s.ttft[st.series] ??= []);
    st.ttftAt = upsert(list, st.ttftAt, { x: (le.atMs - e.elapsedMs + first) / 1000, y: first, run: e.run });
  }
}

/** An exact per-call TTFT (call-finished) replaces the one derived from progress. */
function applyCallFinished(s: LiveState, le: LiveEvent, e: CallEvent): void {
  if (e.ttft_ms === null) return;
  const key = streamKey(e);
  const st = s.streams[key] ?? { series: seriesOf(s, e.variant, e.agent), call: le.call ?? 0, tokensAt: -1, ttftAt: -1 };
  s.streams[key] = st;
  const list = (s.ttft[st.series] ??= []);
  st.ttftAt = upsert(list, st.ttftAt, { x: (le.atMs - e.e2e_ms + e.ttft_ms) / 1000, y: e.ttft_ms, run: e.run });
}

/** Applies one event in place and returns the state (callers own it; the webview and the host each have theirs). */
export function applyLiveEvent(s: LiveState, le: LiveEvent): LiveState {
  const e = le.event;
  s.lastAtMs = Math.max(s.lastAtMs, le.atMs);
  switch (e.type) {
    case 'experiment-started':
      Object.assign(s, emptyLiveState(), {
        trId: e.trId, trDir: e.trDir, title: e.title, kind: e.kind, variants: [...e.variants], agents: [...e.agents],
        status: 'running', planned: e.planned, lastAtMs: le.atMs,
      });
      break;
    case 'run-started':
      s.current = { run: e.run, variant: e.variant, warmup: e.warmup, ...(e.soloAgent ? { soloAgent: e.soloAgent } : {}) };
      s.planned = e.planned;
      break;
    case 'tokens':
      applyTokens(s, le, e);
      break;
    case 'call-finished':
      applyCallFinished(s, le, e);
      break;
    case 'run-finished':
      s.runs.push({
        run: e.run, variant: e.variant, warmup: e.warmup, ...(e.soloAgent ? { soloAgent: e.soloAgent } : {}), status: e.status, valid: e.valid, wallMs: e.wallMs,
        ...(e.error ? { error: e.error } : {}),
        ...(e.agents ? { agents: e.agents.map((a) => ({ ...a })) } : {}),
        ...(e.multiAgent ? { multiAgent: { overlap_efficiency: e.multiAgent.overlap_efficiency, speedup_vs_sequential: e.multiAgent.speedup_vs_sequential, concurrent_wall_ms: e.multiAgent.concurrent_wall_ms } } : {}),
      });
      s.done = e.done;
      s.planned = e.planned;
      s.etaMs = e.etaMs;
      if (s.current?.run === e.run) s.current = null;
      if (s.capacity?.current?.run === e.run) s.capacity.current = null;
      forgetRun(s, e.run);
      break;
    case 'adaptive-check': {
      const a = (s.adaptive ??= { metric: e.metric, targetPct: e.targetPct, points: {}, decision: e.decision, reason: e.reason });
      for (const v of e.variants) (a.points[v.name] ??= []).push({ x: v.repetitions, y: v.halfWidthPct });
      a.decision = e.decision;
      a.reason = e.reason;
      s.planned = e.planned;
      break;
    }
    case 'capacity-progress': {
      const c = (s.capacity ??= { mode: e.mode, current: null, runs: [] });
      const run: LiveCapacityRun = {
        run: e.run, variant: e.variant, level: e.level, repetition: e.repetition, warmup: e.warmup, elapsedMs: e.elapsedMs,
        inFlight: e.inFlight, started: e.started, completed: e.completed, achievedRps: e.achievedRps, ttftP95Ms: e.ttftP95Ms,
      };
      c.current = run;
      const at = c.runs.findIndex((r) => r.run === e.run);
      if (at >= 0) c.runs[at] = run;
      else c.runs.push(run);
      if (c.runs.length > LIVE_WINDOW_RUNS) c.runs.splice(0, c.runs.length - LIVE_WINDOW_RUNS);
      break;
    }
    case 'experiment-finished':
      s.status = e.status;
      if (s.capacity) s.capacity.current = null;
      s.counts = e.counts;
      s.summary = e.summary;
      s.current = null;
      s.etaMs = 0;
      break;
  }
  return s;
}

/** A run ended: its streams get no more updates; trim runs and series to their windows. */
function forgetRun(s: LiveState, run: number): void {
  // Keys start with the run number (streamKey); a stream of another run is still live.
  for (const key of Object.keys(s.streams)) if (key.startsWith(`${run}/`)) delete s.streams[key];
  if (s.runs.length > LIVE_WINDOW_RUNS) s.runs.splice(0, s.runs.length - LIVE_WINDOW_RUNS);
  trimSeries(s, s.tokens, 'tokensAt');
  trimSeries(s, s.ttft, 'ttftAt');
}

function trimSeries(s: LiveState, series: Record<string, LivePoint[]>, at: 'tokensAt' | 'ttftAt'): void {
  for (const [name, list] of Object.entries(series)) {
    const drop = list.length - LIVE_WINDOW_POINTS;
    if (drop <= 0) continue;
    list.splice(0, drop);
    // Streams still open keep pointing at their own point (or none, if it was dropped).
    for (const st of Object.values(s.streams)) if (st.series === name && st[at] >= 0) st[at] = st[at] >= drop ? st[at] - drop : -1;
  }
}

export function applyLiveEvents(s: LiveState, events: readonly LiveEvent[]): LiveState {
  for (const le of events) applyLiveEvent(s, le);
  return s;
}
