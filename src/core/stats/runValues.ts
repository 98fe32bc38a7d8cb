// Per-run values from one RunRecord: which runs count, and a call metric's per-run value
// (the mean over the run's ok calls, optionally of one stage only).
import type { CallRecord, RunRecord } from '../types.js';
import type { RetryCounts } from './summaryTypes.js';
import { CALL_METRICS } from './metrics.js';
import { clientDecodeTps } from '../metrics/callMetrics.js';

export type Exclusion = 'warmup' | 'failed' | 'cancelled' | 'invalid' | 'cold';

/** The experiment's `coldRuns`: runs marked cold are left out ("exclude", the default) or kept ("include"). */
export type ColdRuns = 'exclude' | 'include';

/** Why a run is not counted, or null when it is. Warm-ups first: a failed warm-up is still a warm-up. */
export function exclusionOf(run: RunRecord, coldRuns: ColdRuns = 'exclude'): Exclusion | null {
  if (run.warmup) return 'warmup';
  if (run.status === 'failed') return 'failed';
  if (run.status === 'cancelled') return 'cancelled';
  if (!run.valid) return 'invalid';
  if (run.cold === true && coldRuns === 'exclude') return 'cold';
  return null;
}

/**
 * The calls of a run. Multi-agent runs keep calls under agents[]; when agents carry calls those are
 * used (and run.calls ignored, so a runner that also copies them there is not counted twice).
 */
export function callsOf(run: RunRecord): CallRecord[] {
  // capacity: the calls of the counted requests (warm-up seconds excluded), which live under capacity.requests.
  if (run.capacity) return run.capacity.requests.filter((r) => !r.warmup).flatMap((r) => r.calls);
  if (run.agents && run.agents.some((a) => a.calls.length > 0)) return run.agents.flatMap((a) => a.calls);
  return run.calls;
}

/** Count a run's retried calls and their failed attempts (SUMMARY_DEFINITIONS.retries) into `into`. */
export function countRetries(calls: readonly CallRecord[], into: RetryCounts): void {
  for (const c of calls) {
    const n = c.attempts?.length ?? c.retries ?? 0;
    if (n === 0) continue;
    into.calls++;
    into.attempts += n;
    // Records written before attempts[] was kept hold only the number of retries.
    for (const a of c.attempts ?? []) {
      const code = a.error?.code ?? 'unknown';
      into.byCode[code] = (into.byCode[code] ?? 0) + 1;
    }
  }
}

/** Calls whose metrics may enter statistics: status ok with derived metrics. */
export function okCalls(calls: readonly CallRecord[]): CallRecord[] {
  return calls.filter((c) => c.status === 'ok' && c.metrics !== null);
}

const N_CALL = CALL_METRICS.length;
// Scratch for callMetricMeans (synchronous, never re-entered), so a million runs allocate nothing here.
const SUMS = new Float64Array(N_CALL);
const COUNTS = new Float64Array(N_CALL);
const VALUES = new Float64Array(N_CALL);

/**
 * Mean over the given ok calls of each call metric, written into `out` at the metric's CALL_METRICS
 * position (NaN where no call has it). Fields are read directly: this runs once per run and stage.
 */
export function callMetricMeans(calls: readonly CallRecord[], out: Float64Array = new Float64Array(N_CALL)): Float64Array {
  SUMS.fill(0);
  COUNTS.fill(0);
  for (const c of calls) {
    const m = c.metrics;
    if (m === null) continue;
    VALUES[0] = m.decode_tps ?? NaN;
    VALUES[1] = m.ttft_ms ?? NaN;
    VALUES[2] = m.server_ttft_ms ?? NaN;
    VALUES[3] = m.e2e_ms ?? NaN;
    VALUES[4] = clientDecodeTpsOf(c) ?? NaN;
    VALUES[5] = m.tpot_ms ?? NaN;
    VALUES[6] = m.load_ms ?? NaN;
    VALUES[7] = m.prompt_eval_ms ?? NaN;
    // Absent (undefined) in records written before these metrics existed: missing, not 0.
    VALUES[8] = m.ttft_answer_ms ?? NaN;
    VALUES[9] = m.prompt_cached_tokens ?? NaN;
    VALUES[10] = m.server_residual_ms ?? NaN;
    for (let i = 0; i < N_CALL; i++) {
      if (Number.isFinite(VALUES[i])) {
        SUMS[i] += VALUES[i];
        COUNTS[i]++;
      }
    }
  }
  for (let i = 0; i < N_CALL; i++) out[i] = COUNTS[i] > 0 ? SUMS[i] / COUNTS[i] : NaN;
  return out;
}

/**
 * A call's client_decode_tps. Records written before the metric existed carry the old e2e_tps instead
 * (another definition, never used here): the value is recomputed from their raw chunk times.
 */
export function clientDecodeTpsOf(c: CallRecord): number | null {
  const m = c.metrics;
  if (m && m.client_decode_tps !== undefined) return m.client_decode_tps;
  return Array.isArray(c.client?.chunkMs) ? clientDecodeTps(c.client.chunkMs) : null;
}

/** True when every call has the same stage (then per-stage values equal the run's values). */
export function singleStage(calls: readonly CallRecord[]): boolean {
  for (let i = 1; i < calls.length; i++) if (calls[i].stage !== calls[0].stage) return false;
  return true;
}

/** Ok calls grouped by stage, stages in order of first appearance. */
export function callsByStage(calls: readonly CallRecord[]): Map<string, CallRecord[]> {
  const out = new Map<string, CallRecord[]>();
  for (const c of calls) {
    const list = out.get(c.stage);
    if (list) list.push(c);
    else out.set(c.stage, [c]);
  }
  return out;
}

/** Sums behind the two labelled throughput aggregates (token-weighted and mean of per-call rates). */
export class ThroughputSums {
  evalCount = 0;
  evalDurationNs = 0;
  rateSum = 0;
  rateCalls = 0;

  add(calls: readonly CallRecord[]): void {
    for (const c of calls) {
      const s = c.server;
      if (s && s.eval_duration > 0) {
        this.evalCount += s.eval_count;
        this.evalDurationNs += s.eval_duration;
      }
      const rate = c.metrics?.decode_tps;
      if (typeof rate === 'number' && Number.isFinite(rate)) {
        this.rateSum += rate;
        this.rateCalls++;
      }
    }
  }

  /** Σ eval_count / Σ eval_duration, tok/s. */
  weighted(): { value: number; eval_count: number; eval_duration_ms: number } | null {
    if (this.evalDurationNs <= 0) return null;
    return { value: this.evalCount / (this.evalDurationNs / 1e9), eval_count: this.evalCount, eval_duration_ms: this.evalDurationNs / 1e6 };
  }

  /** Unweighted mean of per-call decode rates, tok/s. */
  callMean(): { value: number; calls: number } | null {
    return this.rateCalls === 0 ? null : { value: this.rateSum / this.rateCalls, calls: this.rateCalls };
  }
}
