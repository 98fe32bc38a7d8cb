// Per-request cancellation and the stall watchdog.
//
// E_TIMEOUT, precisely: a request fails when nothing arrives for `timeoutMs` — counted from the
// send to the response headers, and from then on between any two body chunks (and to the end of
// the body). So a slow but steady stream never times out, a stalled one does after `timeoutMs` of
// silence. For a non-streamed request the server sends headers only when generation is done, so
// there the limit covers the whole generation.
import { setMaxListeners } from 'node:events';
import type { GatewayClient } from './client';
import { WireState, withWire } from './wire';

/** setTimeout's ceiling; longer delays would fire immediately. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface GuardOptions {
  /** Silence limit in ms; Infinity (or ≤ 0) disables the watchdog. */
  timeoutMs: number;
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
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly sources: AbortSignal[];
  private readonly onAbort = (): void => this.abort('cancel');

  constructor(client: GatewayClient, opts: GuardOptions) {
    this.timeoutMs = opts.timeoutMs > 0 ? opts.timeoutMs : Number.POSITIVE_INFINITY;
    this.state = new WireState(client.clock.now, this.controller.signal, opts.ndjson);
    this.sources = [client.signal, ...(opts.signal ? [opts.signal] : [])];
    // Every concurrent call listens to the run's and the client's signal: 11+ agents are by design, not a
    // leak, so Node's MaxListenersExceededWarning (printed on stderr) is switched off for these signals.
    setMaxListeners(0, ...this.sources);
    for (const s of this.sources) {
      if (s.aborted) this.abort('cancel');
      else s.addEventListener('abort', this.onAbort, { once: true });
    }
    if (Number.isFinite(this.timeoutMs) && !this.abortKind) this.schedule(this.timeoutMs);
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

  // One timer per request, re-armed from lastActivity: chunks only store a timestamp (no timer churn).
  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const idle = this.state.now() - this.state.lastActivity;
      if (idle >= this.timeoutMs) this.abort('timeout');
      else this.schedule(Math.max(1, this.timeoutMs - idle));
    }, Math.min(Math.ceil(delayMs), MAX_TIMER_MS));
  }
}
