// skew.*: start skew of agents launched together by the multi-agent kind (one barrier), N = 2..16 — the
// spread of the agents' first request send times as the runner records it (multiAgent.start_skew_ms).
// Beside it, the floor of one JS thread: N bare fetch() calls issued back to back, the spread of their
// send times (each fetch() call does its synchronous request set-up before the next can start).
import { PACED_MODEL, runnerStreams, scheduleOptions, type Schedule } from './lib/paced';
import { percentile, spreadOf, type Spread } from './lib/stats';

const SCHEDULE: Schedule = { ttftMs: 2, tps: 1000, tokens: 4 };
export const SKEW_NS = [2, 4, 8, 12, 16];

export interface SkewResult {
  runs_per_rep: number;
  /** Per N: p99 over the runs of one repetition, medians over repetitions. */
  p99_ms: Record<string, Spread>;
  p99_ms_n16: Spread;
  /** The same for N back-to-back bare fetch() calls (the single-thread floor). */
  bare_p99_ms: Record<string, Spread>;
}

/** Send-time spread of n fetch() calls issued in one synchronous loop (bodies drained afterwards). */
async function bareSkew(url: string, n: number): Promise<number> {
  const body = JSON.stringify({ model: PACED_MODEL, prompt: 'benchmark the harness', stream: true, options: scheduleOptions(SCHEDULE) });
  const sent: number[] = [];
  const pending: Promise<string>[] = [];
  for (let i = 0; i < n; i++) {
    sent.push(performance.now());
    pending.push(fetch(`${url}/api/generate`, { method: 'POST', body }).then((r) => r.text()));
  }
  await Promise.all(pending);
  return sent[n - 1] - sent[0];
}

export async function measureSkew(url: string, o: { reps: number; runsPerRep: number }, log: (s: string) => void): Promise<SkewResult> {
  const out: Record<string, Spread> = {};
  const bare: Record<string, Spread> = {};
  await runnerStreams(url, 16, 2, SCHEDULE);
  for (const n of SKEW_NS) {
    const reps: number[] = [];
    const bareReps: number[] = [];
    for (let rep = 0; rep < o.reps; rep++) {
      const r = await runnerStreams(url, n, o.runsPerRep, SCHEDULE);
      const skews = r.runs.map((run) => {
        if (!run.multiAgent) throw new Error('skew: a multi-agent run without multiAgent metrics');
        return run.multiAgent.start_skew_ms;
      });
      reps.push(percentile(skews, 99));
      const floor: number[] = [];
      for (let i = 0; i < o.runsPerRep; i++) floor.push(await bareSkew(url, n));
      bareReps.push(percentile(floor, 99));
    }
    out[String(n)] = spreadOf(reps);
    bare[String(n)] = spreadOf(bareReps);
    log(`skew N=${n}: p99 ${out[String(n)].median.toFixed(3)} ms (bare fetch loop ${bare[String(n)].median.toFixed(3)} ms)`);
  }
  return { runs_per_rep: o.runsPerRep, p99_ms: out, p99_ms_n16: out['16'], bare_p99_ms: bare };
}
