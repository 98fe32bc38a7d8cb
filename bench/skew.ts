// skew.*: start skew of agents launched together by the multi-agent kind (one barrier), N = 2..16 — the
// spread of the agents' first request send times as the runner records it (multiAgent.start_skew_ms).
import { runnerStreams, type Schedule } from './lib/paced';
import { percentile, spreadOf, type Spread } from './lib/stats';

const SCHEDULE: Schedule = { ttftMs: 2, tps: 1000, tokens: 4 };
export const SKEW_NS = [2, 4, 8, 12, 16];

export interface SkewResult {
  runs_per_rep: number;
  /** Per N: p99 over the runs of one repetition, medians over repetitions. */
  p99_ms: Record<string, Spread>;
  p99_ms_n16: Spread;
}

export async function measureSkew(url: string, o: { reps: number; runsPerRep: number }, log: (s: string) => void): Promise<SkewResult> {
  const out: Record<string, Spread> = {};
  await runnerStreams(url, 16, 2, SCHEDULE);
  for (const n of SKEW_NS) {
    const reps: number[] = [];
    for (let rep = 0; rep < o.reps; rep++) {
      const r = await runnerStreams(url, n, o.runsPerRep, SCHEDULE);
      const skews = r.runs.map((run) => {
        if (!run.multiAgent) throw new Error('skew: a multi-agent run without multiAgent metrics');
        return run.multiAgent.start_skew_ms;
      });
      reps.push(percentile(skews, 99));
    }
    out[String(n)] = spreadOf(reps);
    log(`skew N=${n}: p99 ${out[String(n)].median.toFixed(3)} ms`);
  }
  return { runs_per_rep: o.runsPerRep, p99_ms: out, p99_ms_n16: out['16'] };
}
