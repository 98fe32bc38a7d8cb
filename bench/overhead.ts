// overhead.cpu_ratio_vs_bare: process CPU (user + system, process.cpuUsage) of the whole product path —
// runExperiment, runner, gateway over ollama-js, TR writing, live events through the dashboard batching —
// per million streamed tokens, divided by the bare reader's over the same paced streams. The engine is a
// child process, so its CPU is not in either number. Repetitions alternate which path goes first.
import { bareStreams, runnerStreams, type Schedule } from './lib/paced';
import { dashboardSink } from './lib/dashboardSink';
import { spreadOf, type Spread } from './lib/stats';

export const OVERHEAD_SCHEDULE: Schedule = { ttftMs: 5, tps: 8000, tokens: 4000 };
const STREAMS = 8;

export interface OverheadResult {
  schedule: Schedule;
  streams: number;
  tokens_per_rep: number;
  cpu_ratio_vs_bare: Spread;
  runner_cpu_s_per_million_tokens: Spread;
  bare_cpu_s_per_million_tokens: Spread;
}

export async function measureOverhead(url: string, o: { reps: number; runsPerRep: number }, log: (s: string) => void): Promise<OverheadResult> {
  const s = OVERHEAD_SCHEDULE;
  const tokens = STREAMS * o.runsPerRep * s.tokens;
  await runnerStreams(url, STREAMS, 1, s);
  await bareStreams(url, STREAMS, 1, s);
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
    log(`overhead rep ${rep + 1}: runner ${(runner[rep] / tokens).toFixed(2)} µs/token, bare ${(bare[rep] / tokens).toFixed(2)} µs/token, ratio ${(runner[rep] / bare[rep]).toFixed(3)}`);
  }
  const perMillion = (us: number): number => (us / 1e6) * (1e6 / tokens);
  return {
    schedule: s,
    streams: STREAMS,
    tokens_per_rep: tokens,
    cpu_ratio_vs_bare: spreadOf(runner.map((r, i) => r / bare[i])),
    runner_cpu_s_per_million_tokens: spreadOf(runner.map(perMillion)),
    bare_cpu_s_per_million_tokens: spreadOf(bare.map(perMillion)),
  };
}
