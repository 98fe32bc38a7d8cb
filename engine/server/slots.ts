// Parallel slots of one loaded model (like OLLAMA_NUM_PARALLEL) and the server-wide counters of waiters.
import { HttpError } from './protocol';

/**
 * Server-wide waiting counters. As in Ollama (server/sched.go), only the scheduler's pending queue is
 * bounded (OLLAMA_MAX_QUEUE = maxQueue): requests waiting behind a model load or reload; one more gets 503.
 * Requests waiting for a slot of a loaded model wait without limit (Ollama's runner semaphore).
 */
export class WaitQueue {
  /** Requests waiting for a slot now. */
  waiting = 0;
  /** Requests waiting in the scheduler (behind a load or reload of their model) now. */
  pending = 0;
  rejected = 0;
  constructor(public maxQueue: number) {}
}

export class Slots {
  private readonly free: number[];
  private readonly waiters: { resolve: (slot: number) => void; reject: (e: unknown) => void }[] = [];

  constructor(n: number, private readonly queue: WaitQueue) {
    this.free = Array.from({ length: n }, (_, i) => n - 1 - i);
  }

  private busy = 0;

  get inUse(): number {
    return this.busy;
  }

  /**
   * A free slot now, or wait in line (no limit, like Ollama's runner semaphore); 499 when the client goes
   * away. `score` ranks free slots (the prompt-cache prefix each could reuse): the best one is taken, as
   * Ollama's runner picks the cache slot with the longest common prefix.
   */
  acquire(signal: AbortSignal, score?: (slot: number) => number): Promise<number> {
    let best = this.free.length - 1;
    if (score) {
      for (let i = this.free.length - 2; i >= 0; i--) if (score(this.free[i]) > score(this.free[best])) best = i;
    }
    const slot = best >= 0 ? this.free.splice(best, 1)[0] : undefined;
    if (slot !== undefined) {
      this.busy++;
      return Promise.resolve(slot);
    }
    this.queue.waiting++;
    return new Promise((resolve, reject) => {
      const w = {
        resolve: (s: number) => { signal.removeEventListener('abort', onAbort); resolve(s); },
        reject,
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          this.queue.waiting--;
        }
        reject(new HttpError(499, 'request canceled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  release(slot: number): void {
    const w = this.waiters.shift();
    if (w) {
      this.queue.waiting--;
      w.resolve(slot);
    } else {
      this.busy--;
      this.free.push(slot);
    }
  }
}
