// Comparison of two groups of per-run values (same TR or two TRs) with a plain-language verdict.
// Sign convention (stored, ORIGINS.md §9.8): diff = mean_b − mean_a, ratio = mean_b / mean_a; a is the reference.
import type { Comparison } from '../types.js';
import { ChimeraError } from '../errors.js';
import { metricInfo } from './metrics.js';
import { welchSampleSize } from './power.js';
import { BOOTSTRAP_MAX_DRAWS, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, bootstrapDiffCi95, hedgesG, moments, ratioCi95, welchTest } from './twoSample.js';
import { describeChange, verdictText } from './verdict.js';

export const DEFAULT_DETECT_PERCENT = 2;
export const ALPHA = 0.05;

export interface CompareOptions {
  /** Names of the reference group (a) and the compared group (b). */
  a: string;
  b: string;
  metric: string;
  seed?: number;
  resamples?: number;
  /** The difference (percent of the reference mean) the sample-size hint is sized for. */
  detectPercent?: number;
}

export interface ComparisonResult extends Comparison {
  nA: number;
  nB: number;
  meanA: number;
  meanB: number;
  better: 'higher' | 'lower';
  /** Welch statistics; null when not defined (n < 2 or zero variance on both sides). */
  t: number | null;
  df: number | null;
  /** (ratio − 1) × 100 and its CI from the ratio CI: the signed change of b against a, in percent. */
  percent: number | null;
  percentCi95: [number, number] | null;
  bootstrap: { resamples: number; seed: number; skipped?: string };
  /** true when Welch p < α (never without a test: no spread or n < 2 is "not testable"). */
  detectable: boolean;
  sampleSizeHint: { detectPercent: number; runsPerVariant: number | null } | null;
  /** Why the usual inference does not apply, when it does not. */
  degenerate?: string;
  /** true when both groups have n ≥ 2 and zero spread: verdict "not testable (no variation)". */
  noVariation?: boolean;
}

export function compareSamples(a: ArrayLike<number>, b: ArrayLike<number>, opts: CompareOptions): ComparisonResult {
  if (a.length === 0 || b.length === 0) {
    throw new ChimeraError('E_BAD_INPUT', `cannot compare ${opts.metric}: ${a.length === 0 ? opts.a : opts.b} has no values`, {
      where: `${opts.a} vs ${opts.b}`,
      hint: 'Compare variants that have at least one counted (ok, valid, non-warm-up) run.',
    });
  }
  const ma = moments(a);
  const mb = moments(b);
  const info = metricInfo(opts.metric);
  const seed = opts.seed ?? BOOTSTRAP_SEED;
  const resamples = opts.resamples ?? BOOTSTRAP_RESAMPLES;
  const detectPercent = opts.detectPercent ?? DEFAULT_DETECT_PERCENT;
  const diff = mb.mean - ma.mean;
  const ratio = ma.mean !== 0 ? mb.mean / ma.mean : null;
  const welch = welchTest(ma, mb);

  let degenerate: string | undefined;
  let detectable = false;
  let noVariation = false;
  if (ma.variance === null || mb.variance === null) {
    degenerate = `n=${ma.n} vs ${mb.n}: at least 2 runs per group are needed for a CI and a test`;
  } else if (welch === null) {
    // No spread in either group: the standard error is 0, so no test, CI or effect size exists (PRODUCT.md
    // §11.3: p is null) — an equal or different mean says nothing about what another run would give.
    noVariation = true;
    degenerate = 'zero variance in both groups: every run of each group gave the same value, so no test is possible';
  } else {
    detectable = welch.p < ALPHA;
  }
  const ci95: [number, number] | null = welch?.ci95 ?? null;
  const p: number | null = welch?.p ?? null;

  const bootstrap: ComparisonResult['bootstrap'] = { resamples, seed };
  let bootstrapCi95: [number, number] | null = null;
  if (ma.n < 2 || mb.n < 2) {
    bootstrap.skipped = 'fewer than 2 runs in a group';
  } else if (noVariation) {
    bootstrap.skipped = 'no variation in either group';
  } else if (resamples * (ma.n + mb.n) > BOOTSTRAP_MAX_DRAWS) {
    bootstrap.skipped = `more than ${BOOTSTRAP_MAX_DRAWS} draws; the Welch CI is accurate at n=${ma.n} vs ${mb.n}`;
  } else {
    bootstrapCi95 = bootstrapDiffCi95(a, b, { resamples, seed });
  }

  let sampleSizeHint: ComparisonResult['sampleSizeHint'] = null;
  if (!detectable && welch !== null && ma.variance !== null && mb.variance !== null && ma.mean !== 0) {
    const delta = (Math.abs(ma.mean) * detectPercent) / 100;
    sampleSizeHint = { detectPercent, runsPerVariant: welchSampleSize(Math.sqrt(ma.variance), Math.sqrt(mb.variance), delta, { alpha: ALPHA }) };
  }

  const change = describeChange(ratio, ci95, ma.mean);
  const result: ComparisonResult = {
    a: opts.a,
    b: opts.b,
    metric: opts.metric,
    diff,
    ratio,
    ci95,
    ratioCi95: welch === null ? null : ratioCi95(ma, mb),
    bootstrapCi95,
    p,
    g: hedgesG(ma, mb),
    verdict: '',
    nA: ma.n,
    nB: mb.n,
    meanA: ma.mean,
    meanB: mb.mean,
    better: info.better,
    t: welch?.t ?? null,
    df: welch?.df ?? null,
    percent: change.percent,
    percentCi95: change.percentCi95,
    bootstrap,
    detectable,
    sampleSizeHint,
  };
  if (degenerate !== undefined) result.degenerate = degenerate;
  if (noVariation) result.noVariation = true;
  result.verdict = verdictText(result, info);
  return result;
}
