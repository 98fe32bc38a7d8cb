// Small order statistics for per-call distributions (ITL). Linear interpolation, k = (n−1)·p,
// the same rule PRODUCT.md §4 uses for every percentile.
import type { Distribution } from '../types';

/** The p-quantile (0 ≤ p ≤ 1) of values already sorted ascending; NaN for an empty list. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const k = (n - 1) * p;
  const lo = Math.floor(k);
  const hi = Math.ceil(k);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (k - lo);
}

/** p50/p95/p99/max of the values; null when there are none. */
export function distributionOf(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1],
    n: sorted.length,
  };
}

/** Gaps between consecutive timestamps (ms), in arrival order. */
export function gapsOf(times: readonly number[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
  return gaps;
}
