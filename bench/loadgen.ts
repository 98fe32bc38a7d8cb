// loadgen.*: how well the capacity kind's load generator (src/core/capacity/loadgen.ts) holds its
// schedule — send lag p99 (actual start − scheduled start) at 16 and 64 requests in flight (closed loop)
// and at 200 requests/s (open loop, constant arrivals) — beside a bare fetch loop doing the same in the
// same repetition (the floor of one JS thread on this machine). Units are streamed paced requests.
import { arrivalTimes, runLoad } from '../src/core/capacity/loadgen';
import { systemClock } from '../src/core/ports';
import { PACED_MODEL, scheduleOptions, type Schedule } from './lib/paced';
import { percentile, spreadOf, type Spread } from './lib/stats';

const SCHEDULE: Schedule = { ttftMs: 2, tps: 1000, tokens: 4 };

export interface LoadgenResult {
  seconds_per_rep: number;
  /** Median over repetitions of each repetition's p99 send lag (ms). */
  send_lag_ms_p99_16: Spread;
  send_lag_ms_p99_64: Spread;
  send_lag_ms_p99_rate200: Spread;
  bare_send_lag_ms_p99_16: Spread;
  bare_send_lag_ms_p99_64: Spread;
  bare_send_lag_ms_p99_rate200: Spread;
  /** Requests per second the rate-200 load actually started (median over repetitions). */
  achieved_rps_rate200: Spread;
}

function request(url: string): () => Promise<void> {
  const body = JSON.stringify({ model: PACED_MODEL, prompt: 'benchmark the load generator', stream: true, options: scheduleOptions(SCHEDULE) });
  return async () => {
    const r = await fetch(`${url}/api/generate`, { method: 'POST', body });
    await r.text();
  };
}

async function loadgenLag(url: string, mode: 'concurrency' | 'rate', level: number, seconds: number): Promise<{ p99: number; rps: number }> {
  const send = request(url);
  const units = await runLoad({ mode, level, arrival: 'constant', seed: 1, warmupMs: 0, durationMs: seconds * 1000 }, {
    clock: systemClock, signal: new AbortController().signal, unit: () => send(),
  });
  return { p99: percentile(units.map((u) => u.sendLagMs), 99), rps: units.length / seconds };
}

/** The same schedules with nothing but timers and fetch: closed loops, or one setTimeout per arrival. */
async function bareLag(url: string, mode: 'concurrency' | 'rate', level: number, seconds: number): Promise<number> {
  const send = request(url);
  const lags: number[] = [];
  const t0 = performance.now();
  const end = seconds * 1000;
  if (mode === 'concurrency') {
    await Promise.all(Array.from({ length: level }, async () => {
      let scheduled = 0;
      while (scheduled < end) {
        lags.push(performance.now() - t0 - scheduled);
        await send();
        scheduled = performance.now() - t0;
      }
    }));
  } else {
    const pending: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      const at = arrivalTimes(level, 'constant', 1, end);
      let left = at.length;
      for (const a of at) {
        setTimeout(() => {
          lags.push(performance.now() - t0 - a);
          pending.push(send());
          if (--left === 0) resolve();
        }, a);
      }
    });
    await Promise.all(pending);
  }
  return percentile(lags, 99);
}

export async function measureLoadgen(url: string, o: { reps: number; seconds: number }, log: (s: string) => void): Promise<LoadgenResult> {
  const runs: Record<string, number[]> = {};
  const push = (k: string, v: number): void => {
    (runs[k] ??= []).push(v);
  };
  await loadgenLag(url, 'concurrency', 16, 0.5); // warm the connection pool and the engine
  for (let rep = 0; rep < o.reps; rep++) {
    for (const n of [16, 64]) {
      push(`lg${n}`, (await loadgenLag(url, 'concurrency', n, o.seconds)).p99);
      push(`bare${n}`, await bareLag(url, 'concurrency', n, o.seconds));
    }
    const r = await loadgenLag(url, 'rate', 200, o.seconds);
    push('lgRate', r.p99);
    push('rps', r.rps);
    push('bareRate', await bareLag(url, 'rate', 200, o.seconds));
    log(`loadgen rep ${rep + 1}/${o.reps}: p99 send lag 16=${runs.lg16.at(-1)!.toFixed(2)} (bare ${runs.bare16.at(-1)!.toFixed(2)}) 64=${runs.lg64.at(-1)!.toFixed(2)} (bare ${runs.bare64.at(-1)!.toFixed(2)}) 200/s=${runs.lgRate.at(-1)!.toFixed(2)} (bare ${runs.bareRate.at(-1)!.toFixed(2)}) ms`);
  }
  return {
    seconds_per_rep: o.seconds,
    send_lag_ms_p99_16: spreadOf(runs.lg16),
    send_lag_ms_p99_64: spreadOf(runs.lg64),
    send_lag_ms_p99_rate200: spreadOf(runs.lgRate),
    bare_send_lag_ms_p99_16: spreadOf(runs.bare16),
    bare_send_lag_ms_p99_64: spreadOf(runs.bare64),
    bare_send_lag_ms_p99_rate200: spreadOf(runs.bareRate),
    achieved_rps_rate200: spreadOf(runs.rps),
  };
}
