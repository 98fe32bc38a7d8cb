// Host side of live updates: every runner event is stamped (host time, call number per stream) and
// queued; the queue goes to the webview at most once per interval (100 ms: ≤ 10 posts per second
// however fast tokens arrive). Within a batch a call's token updates collapse into its latest one, in
// the position of the first; every other event keeps its place, so run-finished order is preserved.
import type { RunnerEvent } from '../../core/runner/events';
import type { LiveEvent } from '../../shared/protocol';
import { streamKey } from '../../shared/liveState';

export interface TimerPort {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: TimerPort = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export const LIVE_POST_INTERVAL_MS = 100;

/** Stamps events with ms since the experiment started and numbers the calls of each token stream. */
export class LiveStamper {
  private t0: number | null = null;
  private readonly last = new Map<string, { tokens: number; elapsedMs: number; call: number }>();

  constructor(private readonly now: () => number = realTimers.now) {}

  stamp(e: RunnerEvent): LiveEvent {
    const t = this.now();
    if (e.type === 'experiment-started' || this.t0 === null) {
      this.t0 = t;
      if (e.type === 'experiment-started') this.last.clear();
    }
    const le: LiveEvent = { atMs: Math.round(t - this.t0), event: e };
    if (e.type === 'tokens') {
      const key = streamKey(e);
      const prev = this.last.get(key);
      // A stream's counters only grow during one call: a drop means the next call (next prompt, a retry).
      const call = !prev ? 0 : e.tokens < prev.tokens || e.elapsedMs < prev.elapsedMs ? prev.call + 1 : prev.call;
      this.last.set(key, { tokens: e.tokens, elapsedMs: e.elapsedMs, call });
      le.call = call;
    } else if (e.type === 'call-finished') {
      le.call = this.last.get(streamKey(e))?.call ?? 0;
    } else if (e.type === 'run-finished') {
      // The run's streams are over (stream keys start with the run number): the map stays bounded.
      for (const key of this.last.keys()) if (key.startsWith(`${e.run}/`)) this.last.delete(key);
    }
    return le;
  }
}

/** Queues stamped events and posts them in batches, at most one post per `intervalMs`. */
export class LiveBatcher {
  private queue: LiveEvent[] = [];
  /** stream#call → index in queue of that call's pending token update. */
  private readonly tokenSlots = new Map<string, number>();
  private lastPostAt = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  private posts = 0;

  constructor(
    private readonly post: (events: LiveEvent[]) => void,
    private readonly timers: TimerPort = realTimers,
    private readonly intervalMs = LIVE_POST_INTERVAL_MS,
  ) {}

  /** Batches posted so far. */
  get postCount(): number {
    return this.posts;
  }

  get pending(): number {
    return this.queue.length;
  }

  push(le: LiveEvent): void {
    const e = le.event;
    if (e.type === 'tokens') {
      const slot = `${streamKey(e)}#${le.call ?? 0}`;
      const i = this.tokenSlots.get(slot);
      if (i !== undefined) {
        this.queue[i] = le;
        return;
      }
      this.tokenSlots.set(slot, this.queue.length);
    }
    this.queue.push(le);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastPostAt + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => this.flush(), wait);
  }

  /** Posts what is queued now (called by the timer; also on dispose). */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.tokenSlots.clear();
    this.lastPostAt = this.timers.now();
    this.posts++;
    this.post(batch);
  }

  /** Drops what is queued (a fresh snapshot already holds it). */
  clear(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.tokenSlots.clear();
  }

  dispose(): void {
    this.flush();
  }
}
