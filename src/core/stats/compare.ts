// Comparison of two groups of per-run values (same TR or two TRs) with a plain-language verdict.
// Sign convention (stored, ORIGINS.md §9.8): diff = mean_b − mean_a, ratio = mean_b / mean_a; a is the reference.
import type { Comparison } from '../types.js';
import { ChimeraError } from '../errors.js';
import { metricInfo } from './metrics.js';
import { holmAdjust } from './holm.js';
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
  /** Sample standard deviations (n−1) of the per-run values; null when n < 2. */
  sdA: number | null;
  sdB: number | null;
  /** Holm-adjusted p over the TR's comparisons of the same metric; present only when there are several (applyHolm). */
  p_adjusted?: number | null;
  adjustment?: { method: 'holm'; comparisons: number };
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

  const sdA = ma.variance === null ? null : Math.sqrt(ma.variance);
  const sdB = mb.variance === null ? null : Math.sqrt(mb.variance);
  const sampleSizeHint = detectable || welch === null ? null : sampleSizeHintOf(ma.mean, sdA, sdB, detectPercent);

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
    sdA,
    sdB,
  };
  if (degenerate !== undefined) result.degenerate = degenerate;
  if (noVariation) result.noVariation = true;
  result.verdict = verdictText(result, info);
  return result;
}

/** Runs per variant for power 0.8 at α to detect detectPercent of the reference mean; null when the SDs are unknown. */
function sampleSizeHintOf(meanA: number, sdA: number | null, sdB: number | null, detectPercent: number): ComparisonResult['sampleSizeHint'] {
  if (sdA === null || sdB === null || meanA === 0) return null;
  const delta = (Math.abs(meanA) * detectPercent) / 100;
  return { detectPercent, runsPerVariant: welchSampleSize(sdA, sdB, delta, { alpha: ALPHA }) };
}

/**
 * Holm adjustment over each family of comparisons of the same metric (PRODUCT.md §11.3): with more than
 * one comparison of a metric, every member gets `p_adjusted` and `adjustment`, and `detectable` and the
 * verdict use the adjusted p. Recomputed from each stored `p`, so applying it again (after `compare`
 * adds a comparison to a TR, or after a recompute) gives the same result. Returns new objects.
 */
export function applyHolm<C extends Comparison>(comparisons: readonly C[], detectPercent = DEFAULT_DETECT_PERCENT): C[] {
  const families = new Map<string, number[]>();
  comparisons.forEach((c, i) => families.set(c.metric, [...(families.get(c.metric) ?? []), i]));
  const out = comparisons.map((c) => ({ ...c }));
  for (const members of families.values()) {
    const adjusted = members.length > 1 ? holmAdjust(members.map((i) => comparisons[i].p)) : null;
    members.forEach((i, k) => {
      const c = out[i] as C & Partial<ComparisonResult>;
      const had = 'p_adjusted' in c;
      delete c.p_adjusted;
      delete c.adjustment;
      if (adjusted !== null) {
        c.p_adjusted = adjusted[k];
        c.adjustment = { method: 'holm', comparisons: members.length };
      } else if (!had) {
        return; // nothing to adjust, nothing adjusted before: the stored verdict stands
      }
      if (c.nA === undefined || c.meanA === undefined) return; // an old stored comparison without the verdict inputs
      const p = c.p_adjusted ?? c.p;
      const testable = !c.noVariation && c.degenerate === undefined && p !== null;
      c.detectable = testable && p < ALPHA;
      if (c.detectable || !testable) c.sampleSizeHint = null;
      else c.sampleSizeHint ??= sampleSizeHintOf(c.meanA, c.sdA ?? null, c.sdB ?? null, detectPercent);
      c.verdict = verdictText(c as unknown as ComparisonResult, metricInfo(c.metric));
    });
  }
  return out;
}
