// Loaded models of one backend: load on demand, reload when runner options change, keep_alive expiry,
// explicit unload, and the per-model slots. Mirrors the parts of Ollama's scheduler the product observes.
import type { Backend, ModelEntry, Runner } from './backend';
import { sleep } from './backend';
import { BUSY_MESSAGE, FOREVER_MS, DEFAULT_KEEP_ALIVE_MS, HttpError, sameRunner, type RunnerOptions } from './protocol';
import { Slots, type WaitQueue } from './slots';

export interface LoadedModel {
  readonly entry: ModelEntry;
  readonly runner: Runner;
  readonly opts: RunnerOptions;
  readonly slots: Slots;
  refCount: number;
  keepAliveMs: number;
  /** Epoch ms of expiry; null until the first request after the load finishes (Go's zero time). */
  expiresAt: number | null;
  timer: NodeJS.Timeout | null;
}

// Go computes now + MaxInt64 ns for a forever keep_alive (about 292 years ahead).
const FOREVER_AHEAD_MS = 9_223_372_036_854;
// setTimeout cannot wait longer than 2^31-1 ms; longer keep_alives re-arm.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Scheduler {
  private readonly loaded = new Map<string, LoadedModel>();
  private readonly locks = new Map<string, Promise<unknown>>();
  loads = 0;
  unloads = 0;

  constructor(private readonly backend: Backend, private readonly parallel: number, private readonly queue: WaitQueue,
    private readonly log: (msg: string) => void) {}

  /**
   * The runner for a request, loading (or reloading) it first; the time spent here is load_duration.
   * Requests queue here behind a load or reload of their model, like Ollama's pending queue: when
   * maxQueue are already waiting, one more gets 503 at once.
   */
  acquire(entry: ModelEntry, opts: RunnerOptions, keepAliveMs: number | undefined, signal: AbortSignal): Promise<{ model: LoadedModel; cold: boolean }> {
    if (this.queue.pending >= this.queue.maxQueue) {
      this.queue.rejected++;
      return Promise.reject(new HttpError(503, BUSY_MESSAGE));
    }
    this.queue.pending++;
    let counted = true;
    const leave = (): void => {
      if (counted) this.queue.pending--;
      counted = false;
    };
    const result = this.withLock(entry.name, async () => {
      leave();
      let m = this.loaded.get(entry.name);
      if (m && !sameRunner(m.opts, opts)) {
        this.log(`reloading ${entry.name}: runner options changed`);
        while (m.refCount > 0) {
          if (signal.aborted) throw new HttpError(499, 'request canceled');
          await sleep(5);
        }
        await this.unloadNow(entry.name);
        m = undefined;
      }
      let cold = false;
      if (!m) {
        const runner = await this.backend.load(entry, opts, this.parallel, signal);
        m = { entry, runner, opts, slots: new Slots(this.parallel, this.queue), refCount: 0, keepAliveMs: DEFAULT_KEEP_ALIVE_MS, expiresAt: null, timer: null };
        this.loaded.set(entry.name, m);
        this.loads++;
        cold = true;
        this.log(`loaded ${entry.name} (num_ctx ${opts.num_ctx})`);
      }
      // Like Ollama, every request sets the session's keep_alive: its own, or the default.
      m.keepAliveMs = keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
      this.clearTimer(m);
      m.refCount++;
      return { model: m, cold };
    });
    // A request that never reached the front (its client went away first) leaves the queue too.
    void result.then(leave, leave);
    return result;
  }

  /** A request finished with the model: start its keep_alive clock when it is idle. */
  release(m: LoadedModel): void {
    m.refCount--;
    if (m.refCount > 0 || this.loaded.get(m.entry.name) !== m) return;
    if (m.keepAliveMs <= 0) {
      void this.unload(m.entry.name);
      return;
    }
    m.expiresAt = Date.now() + (m.keepAliveMs === FOREVER_MS ? FOREVER_AHEAD_MS : m.keepAliveMs);
    if (m.keepAliveMs !== FOREVER_MS) this.arm(m);
  }

  /** keep_alive 0 with an empty prompt: unload now, or as soon as running requests finish. */
  async unload(name: string): Promise<void> {
    const m = this.loaded.get(name);
    if (!m) return;
    if (m.refCount > 0) {
      m.keepAliveMs = 0;
      return;
    }
    await this.withLock(name, () => this.unloadNow(name));
  }

  isLoaded(name: string): boolean {
    return this.loaded.has(name);
  }

  /** Loaded models for /api/ps, latest expiry first. */
  running(): LoadedModel[] {
    return [...this.loaded.values()].sort((a, b) => (b.expiresAt ?? 0) - (a.expiresAt ?? 0));
  }

  inUse(): number {
    let n = 0;
    for (const m of this.loaded.values()) n += m.slots.inUse;
    return n;
  }

  async dispose(): Promise<void> {
    for (const name of [...this.loaded.keys()]) await this.unloadNow(name);
  }

  private arm(m: LoadedModel): void {
    const left = (m.expiresAt ?? Date.now()) - Date.now();
    m.timer = setTimeout(() => {
      m.timer = null;
      if (m.refCount > 0) return;
      if ((m.expiresAt ?? 0) > Date.now() + 5) this.arm(m);
      else void this.unload(m.entry.name).catch((e: unknown) => this.log(`unload failed: ${String(e)}`));
    }, Math.min(Math.max(0, left), MAX_TIMER_MS));
    m.timer.unref();
  }

  private clearTimer(m: LoadedModel): void {
    if (m.timer) clearTimeout(m.timer);
    m.timer = null;
  }

  private async unloadNow(name: string): Promise<void> {
    const m = this.loaded.get(name);
    if (!m || m.refCount > 0) return;
    this.loaded.delete(name);
    this.clearTimer(m);
    this.unloads++;
    await m.runner.dispose();
    this.log(`unloaded ${name}`);
  }

  // One scheduling decision per model at a time, as Ollama's scheduler loop does.
  private withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.then(() => undefined, () => undefined);
    this.locks.set(name, settled);
    void settled.then(() => { if (this.locks.get(name) === settled) this.locks.delete(name); });
    return next;
  }
}
