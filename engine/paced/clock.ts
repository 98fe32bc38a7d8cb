// Drift-free waiting: every deadline is absolute (ms on the performance.now() clock), so timer lateness
// and slow writes never accumulate over a stream.

/** Resolves at (or just after) the absolute deadline; rejects when the signal aborts. */
export function sleepUntil(deadlineMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let timer: NodeJS.Timeout | null = null;
    let immediate: NodeJS.Immediate | null = null;
    const onAbort = (): void => {
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      reject(signal.reason);
    };
    const done = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    // setTimeout fires up to ~1 ms late: sleep until 2 ms before, then yield to the loop until the deadline.
    const step = (): void => {
      timer = null;
      immediate = null;
      const left = deadlineMs - performance.now();
      if (left <= 0) done();
      else if (left > 2) timer = setTimeout(step, left - 2);
      else immediate = setImmediate(step);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    step();
  });
}
