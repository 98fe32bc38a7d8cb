// The load generator: holds a schedule and measures how well it held it. Closed loop (concurrency):
// exactly `level` units in flight, a new one starts when one ends. Open loop (rate): units start at
// seeded Poisson or evenly spaced arrival times, whatever is still in flight (they may pile up).
// Each unit records when it should have started, when it did (send lag) and how many were in flight,
// so a late generator is never mistaken for a slow server. Generic over the unit (a call, a workflow
// run, a bare fetch in the benchmark).
import { mulberry32 } from '../random';
import type { Clock } from '../ports';
import type { ArrivalProcess, LoadMode, LoadTiming } from './types';

export interface LoadSchedule {
  mode: LoadMode;
  /** Units in flight (concurrency) or arrivals per second (rate). */
  level: number;
  arrival: ArrivalProcess | null;
  seed: number;
  warmupMs: number;
  durationMs: number;
}

export interface ScheduledUnit<T> extends LoadTiming {
  result: T;
}

/** `countedStarted`: units started after the warm-up (achieved_rps's numerator so far). */
export interface LoadState { elapsedMs: number; inFlight: number; started: number; countedStarted: number; completed: number; warmup: boolean }

export interface LoadOptions<T> {
  clock: Clock;
  signal: AbortSignal;
  /** Runs unit i; must not throw (a failed unit is a result). */
  unit: (i: number) => Promise<T>;
  onDone?: (u: ScheduledUnit<T>) => void;
  /** Called every tickMs while the load runs (live views). */
  onTick?: (s: LoadState) => void;
  tickMs?: number;
}

/** Arrival offsets (ms from t0) before `endMs`: k·1000/rate, or seeded exponential gaps with mean 1000/rate. */
export function arrivalTimes(rate: number, arrival: ArrivalProcess, seed: number, endMs: number): number[] {
  const out: number[] = [];
  const gap = 1000 / rate;
  if (arrival === 'constant') {
    for (let k = 0; k * gap < endMs; k++) out.push(k * gap);
    return out;
  }
  const rnd = mulberry32(seed);
  for (let t = -gap * Math.log(1 - rnd()); t < endMs; t += -gap * Math.log(1 - rnd())) out.push(t);
  return out;
}

/**
 * Resolves at `target` (clock ms) or soon after: a timer for all but the last 2 ms, then event-loop turns
 * (setImmediate, which still lets I/O run) so the start is not a whole timer tick late.
 */
export function waitUntil(clock: Clock, target: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const step = (): void => {
      if (signal.aborted) return resolve();
      const left = target - clock.now();
      if (left <= 0) return resolve();
      if (left > 2) setTimeout(step, left - 2);
      else setImmediate(step);
    };
    step();
  });
}

/** Runs the schedule; resolves when every started unit has ended. Units are returned in start order. */
export async function runLoad<T>(s: LoadSchedule, o: LoadOptions<T>): Promise<ScheduledUnit<T>[]> {
  const { clock, signal } = o;
  const endMs = s.warmupMs + s.durationMs;
  const units: ScheduledUnit<T>[] = [];
  const running = new Set<Promise<void>>();
  let inFlight = 0;
  let completed = 0;
  let countedStarted = 0;
  const t0 = clock.now();
  const start = (scheduledMs: number): Promise<void> => {
    const startMs = clock.now() - t0;
    inFlight++;
    const i = units.length;
    const u = { i, scheduledMs, startMs, sendLagMs: startMs - scheduledMs, endMs: NaN, inFlight, warmup: scheduledMs < s.warmupMs } as ScheduledUnit<T>;
    units.push(u);
    if (!u.warmup) countedStarted++;
    const p = o.unit(i).then((result) => {
      u.result = result;
      u.endMs = clock.now() - t0;
      inFlight--;
      completed++;
      o.onDone?.(u);
    });
    running.add(p);
    void p.finally(() => running.delete(p));
    return p;
  };
  const tick = o.onTick
    ? setInterval(() => {
        const elapsedMs = clock.now() - t0;
        o.onTick!({ elapsedMs, inFlight, started: units.length, countedStarted, completed, warmup: elapsedMs < s.warmupMs });
      }, o.tickMs ?? 500)
    : null;
  try {
    if (s.mode === 'concurrency') {
      // Closed loop: each of `level` workers starts its next unit the moment its last one ends;
      // that moment is the scheduled start, so the send lag is the generator's own delay.
      const worker = async (): Promise<void> => {
        let scheduled = 0;
        while (!signal.aborted && scheduled < endMs) {
          await start(scheduled);
          scheduled = clock.now() - t0;
        }
      };
      await Promise.all(Array.from({ length: s.level }, worker));
    } else {
      for (const at of arrivalTimes(s.level, s.arrival ?? 'poisson', s.seed, endMs)) {
        await waitUntil(clock, t0 + at, signal);
        if (signal.aborted) break;
        void start(at);
      }
      while (running.size > 0) await Promise.all([...running]);
    }
  } finally {
    if (tick) clearInterval(tick);
  }
  return units;
}
