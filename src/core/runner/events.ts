// Events the runner emits for live views (CLI progress bar, dashboard). Token progress is coalesced
// so a fast stream never floods a view: at most one `tokens` event per stream per flush interval.
import type { AdaptiveVariantCheck, Counts, MultiAgentRunMetrics, RunStatus, Summary, TrStatus } from '../types';

export type RunnerEvent =
  | { type: 'experiment-started'; trId: string; trDir: string; title: string; kind: string; planned: number; variants: string[]; agents: string[] }
  | { type: 'run-started'; run: number; variant: string; warmup: boolean; soloAgent?: string; level?: number; done: number; planned: number }
  | { type: 'tokens'; run: number; variant: string; agent?: string; stage: string; tokens: number; elapsedMs: number; tps: number | null }
  | { type: 'call-finished'; run: number; variant: string; agent?: string; stage: string; status: string; ttft_ms: number | null; decode_tps: number | null; e2e_ms: number; sendOffsetMs: number; warmup: boolean }
  | {
      type: 'run-finished'; run: number; variant: string; warmup: boolean; soloAgent?: string; status: RunStatus; valid: boolean; invalidReason?: string; error?: string;
      wallMs: number; done: number; planned: number; etaMs: number | null;
      agents?: { name: string; startOffsetMs: number; wallMs: number; status: RunStatus }[]; multiAgent?: MultiAgentRunMetrics;
    }
  | {
      /**
       * capacity: the load generator's state every 500 ms while a level runs (live dashboard).
       * achievedRps = requests started after the warm-up / measured seconds so far (achieved_rps so far);
       * ttftP95Ms = p95 TTFT of the ok calls of counted requests ended so far; null before any.
       */
      type: 'capacity-progress'; run: number; variant: string; mode: string; level: number; repetition: number; elapsedMs: number; warmup: boolean;
      inFlight: number; started: number; completed: number; achievedRps: number | null; ttftP95Ms: number | null;
    }
  /** Adaptive repetitions: a check after a round (or a sequential variant's block) and its decision. */
  | { type: 'adaptive-check'; metric: string; targetPct: number; repetitions: number; variants: AdaptiveVariantCheck[]; decision: 'continue' | 'stop'; reason: string; planned: number }
  | { type: 'experiment-finished'; trId: string; trDir: string; status: TrStatus; counts: Counts; summary: Summary };

export type EventSink = (e: RunnerEvent) => void;

type TokenEvent = Extract<RunnerEvent, { type: 'tokens' }>;

/**
 * Keeps the latest token progress per stream and emits it at most every `intervalMs` (default 100 ms:
 * ≤ 10 updates per second per stream whatever the token rate). Per-chunk cost: one Map lookup and a
 * field update, no allocation after the first chunk of a stream.
 */
export class TokenBatcher {
  private readonly pending = new Map<string, TokenEvent>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sink: EventSink, private readonly intervalMs = 100) {}

  update(key: string, run: number, variant: string, agent: string | undefined, stage: string, tokens: number, elapsedMs: number, firstTokenMs: number | null): void {
    let e = this.pending.get(key);
    if (!e) {
      e = { type: 'tokens', run, variant, ...(agent ? { agent } : {}), stage, tokens, elapsedMs, tps: null };
      this.pending.set(key, e);
    }
    e.stage = stage;
    e.tokens = tokens;
    e.elapsedMs = elapsedMs;
    e.tps = firstTokenMs !== null && tokens > 1 && elapsedMs > firstTokenMs ? ((tokens - 1) * 1000) / (elapsedMs - firstTokenMs) : null;
    this.dirty.add(key);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Pass a non-token event straight through (it is rare: once per call or run). */
  emit(e: RunnerEvent): void {
    this.sink(e);
  }

  /** Emit pending progress now (end of a call); forget the stream. */
  end(key: string): void {
    if (this.dirty.has(key)) this.sink({ ...this.pending.get(key)! });
    this.dirty.delete(key);
    this.pending.delete(key);
  }

  flush(): void {
    this.timer = null;
    for (const key of this.dirty) this.sink({ ...this.pending.get(key)! });
    this.dirty.clear();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
  }
}
