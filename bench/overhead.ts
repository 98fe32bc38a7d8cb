// overhead.cpu_ratio_vs_bare: process CPU (user + system, process.cpuUsage) of the whole product path —
// runExperiment, runner, gateway over ollama-js, TR writing, live events through the dashboard batching —
// per million streamed tokens, divided by the bare reader's over the same paced streams. The engine is a
// child process, so its CPU is in neither number. Pairs alternate which path goes first.
//
// Per million tokens: each side's fixed cost per experiment (preflight, TR files, summary; measured with
// one-token streams) is counted once, its per-token cost (the rest, over the streamed tokens) a million
// times. The schedule spaces tokens 0.5 ms apart so that, as with a real model (≤ a few hundred tok/s),
// each token tends to arrive in its own read; the raw ratio at the measured token count is kept too.
import { bareStreams, runnerStreams, type Schedule } from './lib/paced';
import { dashboardSink } from './lib/dashboardSink';
import { median, spreadOf, type Spread } from './lib/stats';

export const OVERHEAD_SCHEDULE: Schedule = { ttftMs: 5, tps: 500, tokens: 1000 };
const STREAMS = 16;
const FIXED: Schedule = { ttftMs: 1, tps: 1000, tokens: 1 };

export interface OverheadResult {
  schedule: Schedule;
  streams: number;
  tokens_per_rep: number;
  cpu_ratio_vs_bare: Spread;
  /** Runner CPU ÷ bare CPU over exactly the tokens of one repetition (fixed costs included once). */
  raw_ratio_at_rep: Spread;
  runner_fixed_cpu_ms: number;
  bare_fixed_cpu_ms: number;
  runner_cpu_us_per_token: Spread;
  bare_cpu_us_per_token: Spread;
}

/** CPU per million tokens from a fixed cost per experiment and a per-token cost. */
export function perMillion(fixedUs: number, totalUs: number, tokens: number): number {
  const perToken = Math.max(0, totalUs - fixedUs) / tokens;
  return fixedUs + perToken * 1e6;
}

export async function measureOverhead(url: string, o: { reps: number; runsPerRep: number }, log: (s: string) => void): Promise<OverheadResult> {
  const s = OVERHEAD_SCHEDULE;
  const tokens = STREAMS * o.runsPerRep * s.tokens;
  await runnerStreams(url, STREAMS, 1, s);
  await bareStreams(url, STREAMS, 1, s);
  const fixedR: number[] = [];
  const fixedB: number[] = [];
  for (let i = 0; i < 3; i++) {
    fixedR.push((await runnerStreams(url, STREAMS, o.runsPerRep, FIXED)).cpuUs);
    fixedB.push((await bareStreams(url, STREAMS, o.runsPerRep, FIXED)).cpuUs);
  }
  const fR = median(fixedR);
  const fB = median(fixedB);
  const runner: number[] = [];
  const bare: number[] = [];
  for (let rep = 0; rep < o.reps; rep++) {
    const doRunner = async (): Promise<void> => {
      const sink = dashboardSink();
      const r = await runnerStreams(url, STREAMS, o.runsPerRep, s, sink.onEvent);
      sink.dispose();
      const got = r.calls.reduce((n, c) => n + c.client.chunkMs.length, 0);
      if (got !== tokens) throw new Error(`overhead: runner streamed ${got} tokens, expected ${tokens}`);
      runner.push(r.cpuUs);
    };
    const doBare = async (): Promise<void> => {
      const b = await bareStreams(url, STREAMS, o.runsPerRep, s);
      const got = b.results.reduce((n, x) => n + x.tokens, 0);
      if (got !== tokens) throw new Error(`overhead: bare reader streamed ${got} tokens, expected ${tokens}`);
      bare.push(b.cpuUs);
    };
    if (rep % 2 === 0) { await doRunner(); await doBare(); } else { await doBare(); await doRunner(); }
    log(`overhead rep ${rep + 1}: runner ${(runner[rep] / tokens).toFixed(2)} µs/token, bare ${(bare[rep] / tokens).toFixed(2)} µs/token, raw ratio ${(runner[rep] / bare[rep]).toFixed(3)}`);
  }
  return {
    schedule: s,
    streams: STREAMS,
    tokens_per_rep: tokens,
    cpu_ratio_vs_bare: spreadOf(runner.map((r, i) => perMillion(fR, r, tokens) / perMillion(fB, bare[i], tokens))),
    raw_ratio_at_rep: spreadOf(runner.map((r, i) => r / bare[i])),
    runner_fixed_cpu_ms: fR / 1000,
    bare_fixed_cpu_ms: fB / 1000,
    runner_cpu_us_per_token: spreadOf(runner.map((r) => (r - fR) / tokens)),
    bare_cpu_us_per_token: spreadOf(bare.map((b) => (b - fB) / tokens)),
  };
}
