// Descriptive statistics of one numeric sample (PRODUCT.md §4). Undefined quantities are null:
// sd, CV and the CI need n ≥ 2; CV also needs a non-zero mean. Outliers are flagged, never dropped.
import type { StatSummary } from '../types.js';
import { ChimeraError } from '../errors.js';
import { tQuantile } from './distributions.js';

export interface Descriptive extends StatSummary {
  p5: number;
  p25: number;
  p75: number;
  p95: number;
  p99: number;
  /** p75 − p25 (interquartile range), never the standard deviation. */
  iqr: number;
  /** Standard error of the mean, sd/√n; null when n < 2. */
  se: number | null;
  /** Tukey fences [p25 − 1.5·IQR, p75 + 1.5·IQR]. */
  fences: [number, number];
  /** How many values lie outside the fences. */
  outliers: number;
  /** Indices (into the input) of the values outside the fences, ascending. */
  outlierIndices: number[];
}

/** Percentile of an ascending sample by linear interpolation, k = (n−1)·p (R quantile type 7). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new ChimeraError('E_INTERNAL', 'percentile of an empty sample', { where: 'stats.quantileSorted' });
  const k = (n - 1) * p;
  const lo = Math.floor(k);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (k - lo) * (sorted[hi] - sorted[lo]);
}

/** Arithmetic mean and sample variance (n−1) by two passes, stable for large samples. */
export function meanAndVariance(values: ArrayLike<number>): { mean: number; variance: number | null } {
  const n = values.length;
  let sum = 0;
  let same = true;
  for (let i = 0; i < n; i++) {
    sum += values[i];
    if (values[i] !== values[0]) same = false;
  }
  // Identical values: the mean is that value and the spread is exactly 0 (sum / n can be off by one ulp,
  // which would turn "no variation" into a spurious 1e-14 spread and a meaningless test).
  const mean = same && n > 0 ? values[0] : sum / n;
  if (n < 2) return { mean, variance: null };
  if (same) return { mean, variance: 0 };
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return { mean, variance: ss / (n - 1) };
}

/** CV = sd / mean × 100; null when sd is undefined or the mean is 0. */
export function coefficientOfVariation(sd: number | null, mean: number): number | null {
  if (sd === null || mean === 0) return null;
  return (sd / mean) * 100;
}

/** 95% CI of the mean with Student t (n−1 df); null when n < 2. */
export function meanCi95(mean: number, sd: number | null, n: number): [number, number] | null {
  if (sd === null || n < 2) return null;
  const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return [mean - half, mean + half];
}

/**
 * Describes a sample of finite numbers. Returns null for an empty sample (there is nothing to say).
 * Throws on NaN/Infinity: callers filter missing values first, so a non-finite value is a bug upstream.
 */
export function describe(values: ArrayLike<number>): Descriptive | null {
  const n = values.length;
  if (n === 0) return null;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ChimeraError('E_INTERNAL', `non-finite value ${values[i]} at index ${i}`, { where: 'stats.describe' });
    }
  }
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const { mean, variance } = meanAndVariance(values);
  const sd = variance === null ? null : Math.sqrt(variance);
  const p25 = quantileSorted(sorted, 0.25);
  const p75 = quantileSorted(sorted, 0.75);
  const iqr = p75 - p25;
  const fences: [number, number] = [p25 - 1.5 * iqr, p75 + 1.5 * iqr];
  const outlierIndices: number[] = [];
  for (let i = 0; i < n; i++) {
    if (values[i] < fences[0] || values[i] > fences[1]) outlierIndices.push(i);
  }
  return {
    n,
    mean,
    sd,
    cv: coefficientOfVariation(sd, mean),
    median: quantileSorted(sorted, 0.5),
    min: sorted[0],
    max: sorted[n - 1],
    p5: quantileSorted(sorted, 0.05),
    p25,
    p75,
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    iqr,
    ci95: meanCi95(mean, sd, n),
    se: sd === null ? null : sd / Math.sqrt(n),
    fences,
    outliers: outlierIndices.length,
    outlierIndices,
  };
}

/** Median, p95, p99 and max of one sample (the per-call percentiles of a summary); null when empty. */
export function tailPercentiles(values: ArrayLike<number>): { n: number; median: number; p95: number; p99: number; max: number } | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return { n: sorted.length, median: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95), p99: quantileSorted(sorted, 0.99), max: sorted[sorted.length - 1] };
}
