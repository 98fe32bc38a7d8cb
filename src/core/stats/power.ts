// Power of Welch's two-sided t-test with n runs per group, and the n that reaches a target power.
// Power uses the noncentral t: df = Welch–Satterthwaite for equal n, ncp = δ / √((sa² + sb²)/n);
// both rejection tails are counted. With sa = sb it equals R's power.t.test(strict = TRUE).
import { noncentralTCdf, tQuantile } from './distributions.js';
import { welchDf } from './twoSample.js';

export const POWER_ALPHA = 0.05;
export const POWER_TARGET = 0.8;
/** The largest n per group the search considers; beyond it the hint says "more than". */
export const POWER_MAX_N = 10_000_000;

/** Power of a two-sided Welch test of a true difference `delta` given sds sa, sb and n per group (n ≥ 2). */
export function welchPower(sa: number, sb: number, n: number, delta: number, alpha = POWER_ALPHA): number {
  const va = sa * sa;
  const vb = sb * sb;
  if (va + vb === 0) return delta === 0 ? alpha : 1;
  const df = welchDf(va, n, vb, n);
  const ncp = Math.abs(delta) / Math.sqrt((va + vb) / n);
  const crit = tQuantile(1 - alpha / 2, df);
  return 1 - noncentralTCdf(crit, df, ncp) + noncentralTCdf(-crit, df, ncp);
}

/**
 * Smallest n per group (≥ 2) whose Welch power reaches `power` for a true difference `delta`;
 * null when even POWER_MAX_N runs would not. Power grows with n, so a doubling then bisection finds it.
 */
export function welchSampleSize(sa: number, sb: number, delta: number, opts: { alpha?: number; power?: number } = {}): number | null {
  const alpha = opts.alpha ?? POWER_ALPHA;
  const target = opts.power ?? POWER_TARGET;
  if (delta === 0) return null;
  const enough = (n: number): boolean => welchPower(sa, sb, n, delta, alpha) >= target;
  if (enough(2)) return 2;
  let lo = 2;
  let hi = 4;
  while (!enough(hi)) {
    if (hi >= POWER_MAX_N) return null;
    lo = hi;
    hi = Math.min(hi * 2, POWER_MAX_N);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
