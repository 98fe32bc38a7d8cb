// Per-request cancellation and the stall watchdog.
//
// E_TIMEOUT, precisely: a request fails when nothing arrives for `timeoutMs` — counted from the
// send to the response headers, and from then on between any two body chunks (and to the end of
// the body). So a slow but steady stream never times out, a stalled one does after `timeoutMs` of
// silence. For a non-streamed request the server sends headers only when generation is done, so
// there the limit covers the whole generation.
//
// With `firstByteTimeoutMs` (LLM calls), the wait from the send to the first *body* byte has that
// limit instead, and `timeoutMs` applies only between chunks after it: real Ollama writes nothing
// (not even headers) while it loads a model and evaluates the prompt (OLLAMA.md §2.5), and allows a
// load 5 minutes, so a slow cold load of a big model is not a stalled stream.
import { setMaxListeners } from 'node:events';
import type { GatewayClient } from './client';
import { WireState, withWire } from './wire';

/** setTimeout's ceiling; longer delays would fire immediately. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface GuardOptions {
  /** Silence limit in ms; Infinity (or ≤ 0) disables the watchdog. */
  timeoutMs: number;
  /** Limit from send to the first body byte (ms); absent = timeoutMs counted from the last activity. */
  firstByteTimeoutMs?: number;
  /** The caller's cancel signal (a run's AbortSignal). */
  signal?: AbortSignal;
  /** The body is NDJSON (streamed generate/chat). */
  ndjson: boolean;
}

export class RequestGuard {
  readonly state: WireState;
  /** Why we aborted, if we did: decides E_TIMEOUT vs E_ABORTED. */
  abortKind: 'timeout' | 'cancel' | null = null;
  readonly timeoutMs: number;
  readonly firstByteTimeoutMs: number | null;
  /** The timeout fired before the first body byte (under firstByteTimeoutMs). */
  timedOutBeforeFirstByte = false;
  private readonly createdAt: number;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly sources: AbortSignal[];
  private readonly onAbort = (): void => this.abort('cancel');

  constructor(client: GatewayClient, opts: GuardOptions) {
    this.timeoutMs = opts.timeoutMs > 0 ? opts.timeoutMs : Number.POSITIVE_INFINITY;
    this.firstByteTimeoutMs = opts.firstByteTimeoutMs === undefined ? null : opts.firstByteTimeoutMs > 0 ? opts.firstByteTimeoutMs : Number.POSITIVE_INFINITY;
    this.state = new WireState(client.clock.now, this.controller.signal, opts.ndjson);
    this.createdAt = this.state.now();
    this.sources = [client.signal, ...(opts.signal ? [opts.signal] : [])];
    // Every concurrent call listens to the run's and the client's signal: 11+ agents are by design, not a
    // leak, so Node's MaxListenersExceededWarning (printed on stderr) is switched off for these signals.
    setMaxListeners(0, ...this.sources);
    for (const s of this.sources) {
      if (s.aborted) this.abort('cancel');
      else s.addEventListener('abort', this.onAbort, { once: true });
    }
    const firstLimit = this.firstByteTimeoutMs ?? this.timeoutMs;
    if ((Number.isFinite(firstLimit) || Number.isFinite(this.timeoutMs)) && !this.abortKind) this.schedule(Math.min(firstLimit, this.timeoutMs));
  }

  /** True when cancelled before anything was sent. */
  get cancelled(): boolean {
    return this.abortKind === 'cancel';
  }

  /** Runs fn with this request's wire state in scope (the observing fetch picks it up). */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return withWire(this.state, fn);
  }

  /** Aborts the request (used also when a caller's callback fails mid-stream). */
  abort(kind: 'timeout' | 'cancel'): void {
    if (this.abortKind) return;
    this.abortKind = kind;
    this.controller.abort();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const s of this.sources) s.removeEventListener('abort', this.onAbort);
  }

  /** The limit in force now and how long the request has been silent against it. */
  private window(): { limit: number; idle: number; beforeFirstByte: boolean } {
    const st = this.state;
    if (this.firstByteTimeoutMs !== null && st.firstByteAt === null) {
      return { limit: this.firstByteTimeoutMs, idle: st.now() - (st.sendAt ?? this.createdAt), beforeFirstByte: true };
    }
    return { limit: this.timeoutMs, idle: st.now() - st.lastActivity, beforeFirstByte: false };
  }

  // One timer per request, re-armed from lastActivity: chunks only store a timestamp (no timer churn).
  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const w = this.window();
      if (w.idle >= w.limit) {
        this.timedOutBeforeFirstByte = w.beforeFirstByte;
        this.abort('timeout');
      } else if (Number.isFinite(w.limit)) this.schedule(Math.max(1, w.limit - w.idle));
      else if (w.beforeFirstByte && Number.isFinite(this.timeoutMs)) this.schedule(this.timeoutMs);
    }, Math.min(Math.ceil(delayMs), MAX_TIMER_MS));
  }
}
