// The statistics of one capacity run (one variant × level × repetition), from its raw requests.
// Definitions: CAPACITY_DEFINITIONS (capacity/definitions.ts).
import { quantileSorted } from '../stats/describe';
import type { CallRecord } from '../types';
import { CAPACITY_LATENCY_METRICS, CAPACITY_PERCENTILES, SLO_METRICS, type CapacityLatencyMetric, type CapacityPercentile, type CapacityRequest, type CapacityRunRecord, type Slo } from './types';

const P: Record<CapacityPercentile, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

export type Percentiles = Record<CapacityPercentile, number>;

/** Numbers of one run; null = nothing to compute it from (e.g. no ok call). */
export interface CellStats {
  requests: number;
  errors: number;
  /** Counted requests that did not end ok, by error code (E_BUSY, E_TIMEOUT, …; "unknown" when none was recorded). */
  errors_by_code: Record<string, number>;
  retries: number;
  retried_requests: number;
  error_rate_pct: number | null;
  throughput_rps: number;
  output_tps: number;
  achieved_rps: number;
  goodput_pct: number | null;
  goodput_rps: number | null;
  in_flight_max: number;
  send_lag_ms: { p50: number; p99: number; max: number } | null;
  latency: Record<CapacityLatencyMetric, Percentiles | null>;
}

function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort();
  return Object.fromEntries(CAPACITY_PERCENTILES.map((p) => [p, quantileSorted(s, P[p])])) as Percentiles;
}

const okCalls = (r: CapacityRequest): CallRecord[] => r.calls.filter((c) => c.status === 'ok' && c.metrics !== null);

/** A request's values of one latency metric: e2e_ms once per request, the others once per ok call. */
export function requestValues(r: CapacityRequest, m: CapacityLatencyMetric): (number | null)[] {
  if (m === 'e2e_ms') return r.status === 'ok' ? [r.endMs - r.startMs] : [];
  return okCalls(r).map((c) => c.metrics![m]);
}

/** Good under the SLO: status ok and every value of every bounded metric at most its tightest bound (unknown = not good). */
export function meetsSloRequest(r: CapacityRequest, slo: Slo): boolean {
  if (r.status !== 'ok') return false;
  for (const m of SLO_METRICS) {
    const bounds = Object.values(slo[m] ?? {});
    if (bounds.length === 0) continue;
    const bound = Math.min(...bounds);
    if (requestValues(r, m).some((v) => v === null || v > bound)) return false;
  }
  return true;
}

/** Retries of a call: attempts after its first (the runner records the count on the call it kept). */
const callRetries = (c: CallRecord): number => c.retries ?? 0;
const requestRetries = (r: CapacityRequest): number => r.calls.reduce((t, c) => t + callRetries(c), 0);

/** Adds `b`'s counts into `into` (per error code). */
export function addCounts(into: Record<string, number>, b: Record<string, number>): Record<string, number> {
  for (const [k, n] of Object.entries(b)) into[k] = (into[k] ?? 0) + n;
  return into;
}

const evalTokens = (r: CapacityRequest): number => okCalls(r).reduce((s, c) => s + (c.server?.eval_count ?? 0), 0);

export function cellStats(rec: CapacityRunRecord): CellStats {
  const counted = rec.requests.filter((r) => !r.warmup);
  const from = rec.warmupMs;
  const to = rec.warmupMs + rec.durationMs;
  const seconds = rec.durationMs / 1000;
  // Throughput counts completions inside the measured window, whenever the request started: the steady
  // rate the server delivered, unbiased by the drain after the window and by a growing queue.
  const doneInWindow = rec.requests.filter((r) => r.status === 'ok' && r.endMs >= from && r.endMs < to);
  const failed = counted.filter((r) => r.status !== 'ok');
  const errors = failed.length;
  const lags = counted.map((r) => r.sendLagMs).sort((a, b) => a - b);
  const latency = Object.fromEntries(CAPACITY_LATENCY_METRICS.map((m) => [m, percentiles(counted.flatMap((r) => requestValues(r, m)).filter((v): v is number => v !== null))])) as CellStats['latency'];
  return {
    requests: counted.length,
    errors,
    errors_by_code: failed.reduce<Record<string, number>>((m, r) => addCounts(m, { [r.errorCode ?? (r.status === 'cancelled' ? 'cancelled' : 'unknown')]: 1 }), {}),
    retries: counted.reduce((s, r) => s + requestRetries(r), 0),
    retried_requests: counted.filter((r) => requestRetries(r) > 0).length,
    error_rate_pct: counted.length > 0 ? (errors / counted.length) * 100 : null,
    throughput_rps: doneInWindow.length / seconds,
    output_tps: doneInWindow.reduce((s, r) => s + evalTokens(r), 0) / seconds,
    achieved_rps: counted.length / seconds,
    goodput_pct: rec.slo && counted.length > 0 ? (counted.filter((r) => meetsSloRequest(r, rec.slo!)).length / counted.length) * 100 : null,
    goodput_rps: rec.slo ? doneInWindow.filter((r) => meetsSloRequest(r, rec.slo!)).length / seconds : null,
    in_flight_max: rec.requests.reduce((m, r) => Math.max(m, r.inFlight), 0),
    send_lag_ms: lags.length > 0 ? { p50: quantileSorted(lags, 0.5), p99: quantileSorted(lags, 0.99), max: lags[lags.length - 1] } : null,
    latency,
  };
}
