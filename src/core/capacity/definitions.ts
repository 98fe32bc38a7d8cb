// Definitions of the numbers of summary.capacity (PRODUCT.md §11.4), registered in the one definitions
// table (metrics/allDefinitions.ts). The window of a capacity run = [warmupS, warmupS + durationS) after its start.
import { KNEE_GROWTH } from './summary';

export const CAPACITY_DEFINITIONS: Readonly<Record<string, string>> = {
  capacity_level: 'Load level of a capacity run: concurrency mode = requests (units of load: one call, or one workflow run) kept in flight, a new one starting the moment one ends (closed loop); rate mode = requests started per second at constant or seeded-Poisson arrival times whatever is still in flight (open loop). Each level runs warmupS + durationS per repetition.',
  capacity_counted: 'Counted requests: those whose scheduled start falls in the window (after the warm-up seconds, before the end of durationS). Requests started in the warm-up seconds are recorded in runs.jsonl and not counted. After the window no new request starts; those in flight finish (drain) and stay counted.',
  capacity_percentiles: 'Per run: p50/p90/p95/p99 (linear interpolation, k = (n−1)·p) of ttft_ms, tpot_ms, queue_ms and server_residual_ms over every ok call of the counted requests, and of e2e_ms over the counted ok requests (request start → end of its last call). Per level: the mean of the runs\' percentiles over repetitions with a Student-t 95% CI (null below 2 repetitions).',
  throughput_rps: 'Throughput (requests/s) = ok requests that ended inside the window (whenever they started) / durationS. Completions, not starts, so a growing queue or the drain after the window does not bias it.',
  output_tps: 'Output throughput (tokens/s) = Σ eval_count of the ok calls of the requests that ended ok inside the window / durationS.',
  achieved_rps: 'Achieved start rate (requests/s) = counted requests / durationS. In rate mode it is the arrival rate the load generator actually delivered (compare with the level asked); in concurrency mode the closed loop\'s start rate.',
  error_rate_pct: 'Error rate (%) = counted requests that did not end ok / counted requests × 100.',
  capacity_retries: 'Retries = Σ over the counted requests\' calls of the declared-policy retries (503 busy / connection refused before data).',
  goodput_pct: 'Goodput (%) = counted requests that ended ok and whose every value of every SLO metric (each call\'s ttft_ms and tpot_ms, the request\'s e2e_ms) is at most the tightest bound the SLO names for that metric / counted requests × 100. A value that is unknown (null) is not good. Null without an slo.',
  goodput_rps: 'Goodput rate (requests/s) = requests that ended inside the window and are good (see goodput_pct) / durationS. Null without an slo.',
  send_lag_ms: 'Send lag (ms) = actual start − scheduled start of a request, load generator\'s monotonic clock: rate mode schedules each arrival; concurrency mode schedules a request the moment the one before it on its slot ended. p50/p99 over the counted requests; large values mean the generator, not the server, was late.',
  in_flight_max: 'Most requests in flight at any request\'s start (that request included), over the whole run: in rate mode it shows how far requests piled up.',
  meets_slo: 'A level meets the SLO when, for every bound the slo declares (metric and percentile), the level\'s mean percentile is at most the bound. Null without an slo, or when a bounded percentile could not be computed.',
  max_level_meeting_slo: 'Highest level such that it and every lower level meet the SLO. Null (with max_level_reason) when the first level already breaks it, a bounded percentile is unknown, or no slo is declared.',
  knee: `The first level after which output_tps grows by less than ${KNEE_GROWTH * 100}% at the next level while p95 ttft_ms (level means) grows: adding load beyond it only adds queueing. Null (with knee_reason) when no step of the levels run shows it.`,
  stopped_early: 'Stop rules: after a level\'s last repetition, if stop.afterSloBroken and the level breaks the SLO, or the level\'s mean error rate passes stop.errorRatePct, the variant\'s higher levels are not run (counts.skipped, notes). Recorded on the run as stoppedAfter; not a failure.',
};
