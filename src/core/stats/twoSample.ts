// Two-sample inference, difference = b − a throughout (a is the reference group).
// Welch's t (unequal variances, Welch–Satterthwaite df), a delta-method CI of the ratio of means on
// the log scale, Hedges' g, and a seeded percentile bootstrap of the difference of means.
import { meanAndVariance, quantileSorted } from './describe.js';
import { tQuantile, tTwoSidedP } from './distributions.js';
import { mulberry32 } from '../random';

export interface GroupMoments {
  n: number;
  mean: number;
  /** Sample variance (n−1); null when n < 2. */
  variance: number | null;
}

export function moments(values: ArrayLike<number>): GroupMoments {
  const { mean, variance } = meanAndVariance(values);
  return { n: values.length, mean, variance };
}

export interface WelchResult {
  diff: number;
  se: number;
  df: number;
  t: number;
  p: number;
  ci95: [number, number];
}

/** Welch–Satterthwaite degrees of freedom of Σ uᵢ where uᵢ = sᵢ²/nᵢ (shares of the sum, so tiny u cannot underflow). */
export function welchDf(ua: number, na: number, ub: number, nb: number): number {
  const ra = ua / (ua + ub);
  const rb = ub / (ua + ub);
  return 1 / ((ra * ra) / (na - 1) + (rb * rb) / (nb - 1));
}

/** Welch's two-sided t-test and 95% CI of b − a; null when a group has n < 2 or both variances are 0. */
export function welchTest(a: GroupMoments, b: GroupMoments, confidence = 0.95): WelchResult | null {
  if (a.variance === null || b.variance === null) return null;
  const ua = a.variance / a.n;
  const ub = b.variance / b.n;
  if (ua + ub === 0) return null;
  const diff = b.mean - a.mean;
  const se = Math.sqrt(ua + ub);
  const df = welchDf(ua, a.n, ub, b.n);
  const t = diff / se;
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return { diff, se, df, t, p: tTwoSidedP(t, df), ci95: [diff - half, diff + half] };
}

/**
 * 95% CI of mean_b / mean_a by the delta method on log(mean_b) − log(mean_a), with Welch–Satterthwaite
 * df on the log-scale variances. Needs both means > 0 (rates and durations are); otherwise null.
 * Zero variance on both sides gives the degenerate interval [ratio, ratio].
 */
export function ratioCi95(a: GroupMoments, b: GroupMoments): [number, number] | null {
  if (a.variance === null || b.variance === null || !(a.mean > 0) || !(b.mean > 0)) return null;
  const ratio = b.mean / a.mean;
  const ua = a.variance / (a.n * a.mean * a.mean);
  const ub = b.variance / (b.n * b.mean * b.mean);
  if (ua + ub === 0) return [ratio, ratio];
  const half = tQuantile(0.975, welchDf(ua, a.n, ub, b.n)) * Math.sqrt(ua + ub);
  const logRatio = Math.log(ratio);
  return [Math.exp(logRatio - half), Math.exp(logRatio + half)];
}

/**
 * Hedges' g of b − a: Cohen's d with the pooled sd, times J = 1 − 3/(4(na+nb) − 9) (Hedges 1981).
 * Null when a group has n < 2 or the pooled sd is 0 (the effect size is then unbounded).
 */
export function hedgesG(a: GroupMoments, b: GroupMoments): number | null {
  if (a.variance === null || b.variance === null) return null;
  const pooled = ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2);
  if (pooled === 0) return null;
  const d = (b.mean - a.mean) / Math.sqrt(pooled);
  return d * (1 - 3 / (4 * (a.n + b.n) - 9));
}

export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_SEED = 20240611;
/** Above this many draws (resamples × (na + nb)) the bootstrap is skipped: Welch's CI is exact enough there. */
export const BOOTSTRAP_MAX_DRAWS = 2e7;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/**
 * Percentile bootstrap 95% CI of mean_b − mean_a: each resample draws na values of a and nb values of b
 * with replacement from one seeded generator, so the same input and seed give the same interval.
 */
export function bootstrapDiffCi95(a: ArrayLike<number>, b: ArrayLike<number>, opts: BootstrapOptions = {}): [number, number] {
  const resamples = opts.resamples ?? BOOTSTRAP_RESAMPLES;
  const rand = mulberry32(opts.seed ?? BOOTSTRAP_SEED);
  const diffs = new Float64Array(resamples);
  const resampleMean = (xs: ArrayLike<number>): number => {
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += xs[Math.floor(rand() * xs.length)];
    return sum / xs.length;
  };
  for (let r = 0; r < resamples; r++) {
    const ma = resampleMean(a);
    diffs[r] = resampleMean(b) - ma;
  }
  diffs.sort();
  return [quantileSorted(diffs, 0.025), quantileSorted(diffs, 0.975)];
}
