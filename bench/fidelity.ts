// fidelity.*: the runner's client TTFT and decode rate against the paced engine's exact schedule, at 1 and
// 8 concurrent streams, with the bare reader on the same schedule in the same repetitions. The bare
// reader's error is the engine timer + HTTP loopback floor; runner − bare is the harness's own share.
import { bareErrors, bareStreams, runnerErrors, runnerStreams, type Schedule } from './lib/paced';
import { dashboardSink } from './lib/dashboardSink';
import { errorP99, spreadOf, type Spread } from './lib/stats';

export const FIDELITY_SCHEDULE: Schedule = { ttftMs: 20, tps: 250, tokens: 96 };

export interface FidelityAt {
  calls_per_rep: number;
  runner: { ttft_abs_err_ms_p99: Spread; tps_rel_err_p99: Spread; ttft_err_ms_median: Spread };
  bare: { ttft_abs_err_ms_p99: Spread; tps_rel_err_p99: Spread; ttft_err_ms_median: Spread };
  /** Per repetition: median runner TTFT error − median bare TTFT error (the harness's own share, ms). */
  harness_ttft_err_ms: Spread;
  /** Per repetition: runner TTFT |error| p99 − bare TTFT |error| p99 (the harness's own share of the tail, ms). */
  harness_ttft_err_ms_p99: Spread;
}

export interface FidelityResult {
  schedule: Schedule;
  compared: string;
  streams: Record<string, FidelityAt>;
}

const COMPARED = 'runner: CallRecord.metrics.ttft_ms (send → first content chunk, client monotonic clock) − scheduled TTFT; '
  + 'decode rate = metrics.client_decode_tps ((token chunks − 1) ÷ first → last token chunk) vs the scheduled rate, relative. '
  + 'bare: the same quantities from a fetch + NDJSON split + JSON.parse reader on the same schedule in the same repetition. '
  + 'Both include the engine timer error and HTTP loopback; harness_ttft_err_ms = runner − bare.';

/** `runsPerRep[n]`: runs of n concurrent streams per repetition (one stream: sequential calls). */
export async function measureFidelity(url: string, o: { reps: number; runsPerRep: Record<1 | 8, number> }, log: (s: string) => void): Promise<FidelityResult> {
  const s = FIDELITY_SCHEDULE;
  const streams: Record<string, FidelityAt> = {};
  for (const n of [1, 8] as const) {
    const runs = o.runsPerRep[n];
    // Warm both paths (JIT, connections) before anything is kept.
    await runnerStreams(url, n, 1, s);
    await bareStreams(url, n, 1, s);
    const r: ReturnType<typeof errorP99>[] = [];
    const b: ReturnType<typeof errorP99>[] = [];
    const own: number[] = [];
    const own99: number[] = [];
    for (let rep = 0; rep < o.reps; rep++) {
      // Alternate which path goes first so a drift in machine load does not favour one side.
      const sink = dashboardSink();
      const doRunner = async (): Promise<void> => { r.push(errorP99(runnerErrors((await runnerStreams(url, n, runs, s, sink.onEvent)).calls, s))); };
      const doBare = async (): Promise<void> => { b.push(errorP99(bareErrors((await bareStreams(url, n, runs, s)).results, s))); };
      if (rep % 2 === 0) { await doRunner(); await doBare(); } else { await doBare(); await doRunner(); }
      sink.dispose();
      own.push(r[r.length - 1].ttftErrMsMedian - b[b.length - 1].ttftErrMsMedian);
      own99.push(r[r.length - 1].ttftAbsErrMsP99 - b[b.length - 1].ttftAbsErrMsP99);
      log(`fidelity ${n} stream(s) rep ${rep + 1}: runner ttft p99 err ${r[r.length - 1].ttftAbsErrMsP99.toFixed(2)} ms, bare ${b[b.length - 1].ttftAbsErrMsP99.toFixed(2)} ms`);
    }
    const side = (xs: ReturnType<typeof errorP99>[]): FidelityAt['runner'] => ({
      ttft_abs_err_ms_p99: spreadOf(xs.map((x) => x.ttftAbsErrMsP99)),
      tps_rel_err_p99: spreadOf(xs.map((x) => x.tpsRelErrP99)),
      ttft_err_ms_median: spreadOf(xs.map((x) => x.ttftErrMsMedian)),
    });
    streams[String(n)] = { calls_per_rep: runs * n, runner: side(r), bare: side(b), harness_ttft_err_ms: spreadOf(own), harness_ttft_err_ms_p99: spreadOf(own99) };
  }
  return { schedule: s, compared: COMPARED, streams };
}

