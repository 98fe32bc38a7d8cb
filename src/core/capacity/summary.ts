// summary.capacity (PRODUCT.md §11.4): per variant and level, each run's numbers (cell.ts) combined over
// repetitions as mean with a 95% CI; whether the level meets the SLO; per variant the highest level that
// meets it, the knee, and where the sweep stopped early. Built from raw records alone.
import { describe } from '../stats/describe';
import { addCounts, cellStats, type CellStats } from './cell';
import { CAPACITY_LATENCY_METRICS, CAPACITY_PERCENTILES, SLO_METRICS, type CapacityLatencyMetric, type CapacityPercentile, type CapacityRunRecord, type CapacityStopRecord, type LoadMode, type Slo } from './types';

/** A value over repetitions: mean and its 95% CI (null below 2 repetitions). */
export interface Estimate { mean: number; ci95: [number, number] | null; n: number }

export interface CapacityLevelSummary {
  level: number;
  repetitions: number;
  requests: number;
  errors: number;
  errors_by_code: Record<string, number>;
  retries: number;
  retried_requests: number;
  error_rate_pct: Estimate | null;
  throughput_rps: Estimate;
  output_tps: Estimate;
  achieved_rps: Estimate;
  goodput_pct: Estimate | null;
  goodput_rps: Estimate | null;
  ttft_ms: Record<CapacityPercentile, Estimate> | null;
  tpot_ms: Record<CapacityPercentile, Estimate> | null;
  e2e_ms: Record<CapacityPercentile, Estimate> | null;
  queue_ms: Record<CapacityPercentile, Estimate> | null;
  server_residual_ms: Record<CapacityPercentile, Estimate> | null;
  send_lag_ms: { p50: Estimate; p99: Estimate; max: number } | null;
  in_flight_max: number;
  /** Every SLO bound met by the level's mean percentile; null without an SLO or when a bounded percentile is unknown. */
  meets_slo: boolean | null;
  /** The bounds the level breaks, e.g. "ttft_ms p95 2310 > 2000". */
  slo_broken?: string[];
}

export interface CapacityVariantSummary {
  name: string;
  levels: CapacityLevelSummary[];
  max_level_meeting_slo: number | null;
  max_level_reason?: string;
  knee: number | null;
  knee_reason?: string;
  stopped_early: CapacityStopRecord | null;
}

export interface CapacitySummary {
  mode: LoadMode;
  /** What a level is: "concurrent requests" or "requests/s". */
  unit: string;
  slo: Slo | null;
  variants: CapacityVariantSummary[];
}

/** The knee rule: the next level's output_tps grows by less than this fraction while p95 TTFT grows. */
export const KNEE_GROWTH = 0.1;

function estimate(values: number[]): Estimate | null {
  const d = describe(values);
  return d ? { mean: d.mean, ci95: d.ci95, n: d.n } : null;
}

function latencyEstimate(cells: CellStats[], m: CapacityLatencyMetric): Record<CapacityPercentile, Estimate> | null {
  const known = cells.map((c) => c.latency[m]).filter((p) => p !== null);
  if (known.length === 0) return null;
  return Object.fromEntries(CAPACITY_PERCENTILES.map((p) => [p, estimate(known.map((k) => k[p]))!])) as Record<CapacityPercentile, Estimate>;
}

function nonNull(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

/** One level over its repetitions' cells. */
export function levelSummary(level: number, cells: CellStats[], slo: Slo | null): CapacityLevelSummary {
  const lag = cells.map((c) => c.send_lag_ms).filter((l) => l !== null);
  const out: CapacityLevelSummary = {
    level,
    repetitions: cells.length,
    requests: cells.reduce((s, c) => s + c.requests, 0),
    errors: cells.reduce((s, c) => s + c.errors, 0),
    errors_by_code: cells.reduce<Record<string, number>>((m, c) => addCounts(m, c.errors_by_code), {}),
    retries: cells.reduce((s, c) => s + c.retries, 0),
    retried_requests: cells.reduce((s, c) => s + c.retried_requests, 0),
    error_rate_pct: estimate(nonNull(cells.map((c) => c.error_rate_pct))),
    throughput_rps: estimate(cells.map((c) => c.throughput_rps))!,
    output_tps: estimate(cells.map((c) => c.output_tps))!,
    achieved_rps: estimate(cells.map((c) => c.achieved_rps))!,
    goodput_pct: estimate(nonNull(cells.map((c) => c.goodput_pct))),
    goodput_rps: estimate(nonNull(cells.map((c) => c.goodput_rps))),
    ...(Object.fromEntries(CAPACITY_LATENCY_METRICS.map((m) => [m, latencyEstimate(cells, m)])) as Record<CapacityLatencyMetric, Record<CapacityPercentile, Estimate> | null>),
    send_lag_ms: lag.length > 0 ? { p50: estimate(lag.map((l) => l.p50))!, p99: estimate(lag.map((l) => l.p99))!, max: Math.max(...lag.map((l) => l.max)) } : null,
    in_flight_max: cells.reduce((m, c) => Math.max(m, c.in_flight_max), 0),
    meets_slo: null,
  };
  if (slo) {
    const broken: string[] = [];
    let unknown = false;
    for (const m of SLO_METRICS) {
      for (const [p, bound] of Object.entries(slo[m] ?? {}) as [CapacityPercentile, number][]) {
        const v = out[m]?.[p]?.mean;
        if (v === undefined) unknown = true;
        else if (v > bound) broken.push(`${m} ${p} ${v.toFixed(1)} > ${bound}`);
      }
    }
    out.meets_slo = broken.length > 0 ? false : unknown ? null : true;
    if (broken.length > 0) out.slo_broken = broken;
  }
  return out;
}

/** Why a variant's sweep stops after this level, or null (stop rules of the experiment). */
export function stopAfter(l: CapacityLevelSummary, stop: { afterSloBroken: boolean; errorRatePct: number | null }): CapacityStopRecord | null {
  if (stop.afterSloBroken && l.meets_slo === false) return { reason: 'slo', level: l.level, detail: `level ${l.level} breaks the SLO: ${l.slo_broken!.join(', ')}` };
  const rate = l.error_rate_pct?.mean;
  if (stop.errorRatePct !== null && rate !== undefined && rate > stop.errorRatePct) {
    return { reason: 'errors', level: l.level, detail: `level ${l.level} error rate ${rate.toFixed(1)}% > ${stop.errorRatePct}%` };
  }
  return null;
}

function maxLevel(levels: CapacityLevelSummary[], slo: Slo | null): { value: number | null; reason?: string } {
  if (!slo) return { value: null, reason: 'no slo declared' };
  let best: number | null = null;
  for (const l of levels) {
    if (l.meets_slo !== true) {
      if (best === null) return { value: null, reason: l.meets_slo === false ? `the first level (${l.level}) already breaks the SLO` : `level ${l.level}: a bounded percentile is unknown` };
      break;
    }
    best = l.level;
  }
  return { value: best };
}

/** The first level after which output_tps grows by less than KNEE_GROWTH while p95 TTFT grows. */
export function knee(levels: CapacityLevelSummary[]): { value: number | null; reason?: string } {
  if (levels.length < 2) return { value: null, reason: 'fewer than two levels measured' };
  for (let i = 0; i + 1 < levels.length; i++) {
    const a = levels[i];
    const b = levels[i + 1];
    const ttftA = a.ttft_ms?.p95.mean;
    const ttftB = b.ttft_ms?.p95.mean;
    if (ttftA === undefined || ttftB === undefined) return { value: null, reason: `p95 ttft_ms unknown at level ${ttftA === undefined ? a.level : b.level}` };
    if (b.output_tps.mean < a.output_tps.mean * (1 + KNEE_GROWTH) && ttftB > ttftA) return { value: a.level };
  }
  return { value: null, reason: `output_tps grew by ${KNEE_GROWTH * 100}% or more (or p95 ttft_ms did not grow) at every step up to level ${levels.at(-1)!.level}` };
}

/** Collects each capacity run's cell, then builds summary.capacity. */
export class CapacityAccumulator {
  private readonly cells = new Map<string, Map<number, CellStats[]>>();
  private readonly stopped = new Map<string, CapacityStopRecord>();
  private mode: LoadMode | null = null;
  private slo: Slo | null = null;

  add(variant: string, rec: CapacityRunRecord): void {
    this.mode ??= rec.mode;
    this.slo ??= rec.slo;
    const byLevel = this.cells.get(variant) ?? new Map<number, CellStats[]>();
    this.cells.set(variant, byLevel);
    byLevel.set(rec.level, [...(byLevel.get(rec.level) ?? []), cellStats(rec)]);
    if (rec.stoppedAfter) this.stopped.set(variant, rec.stoppedAfter);
  }

  finish(): CapacitySummary | null {
    if (this.mode === null) return null;
    const variants = [...this.cells].map(([name, byLevel]): CapacityVariantSummary => {
      const levels = [...byLevel].sort((a, b) => a[0] - b[0]).map(([level, cells]) => levelSummary(level, cells, this.slo));
      const m = maxLevel(levels, this.slo);
      const k = knee(levels);
      return {
        name, levels,
        max_level_meeting_slo: m.value, ...(m.reason ? { max_level_reason: m.reason } : {}),
        knee: k.value, ...(k.reason ? { knee_reason: k.reason } : {}),
        stopped_early: this.stopped.get(name) ?? null,
      };
    });
    return { mode: this.mode, unit: this.mode === 'concurrency' ? 'concurrent requests' : 'requests/s', slo: this.slo, variants };
  }
}
