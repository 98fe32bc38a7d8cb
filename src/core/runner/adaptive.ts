// Adaptive repetitions in the runner (PRODUCT.md §11.1): after `min`, more repetitions are added in the
// experiment's order until every variant's 95% CI half-width of the metric is ≤ the target, or `max`.
// Interleaved and random order add whole rounds (every variant once) after the plan's last run, so the
// variants keep sharing the same conditions; sequential order extends each variant's block right after
// it, before the next variant starts. The half-widths come from the same per-run values as the summary.
import { repetitionRuns, roundRuns, type PlannedRun } from '../experiment/plan';
import type { AdaptiveRepetitions, NormalizedExperiment } from '../experiment/types';
import { meanAndVariance, meanCi95 } from '../stats/describe';
import type { AdaptiveOutcome, AdaptiveVariantCheck } from '../types';

/** A variant's per-run values of a metric over its counted runs so far (the runner's SummaryAccumulator.values). */
export type RunValues = (variant: string, metric: string) => ArrayLike<number>;

/** What one check decided, for the live views (runner event `adaptive-check`). */
export interface AdaptiveCheck {
  metric: string;
  targetPct: number;
  /** The repetition the check followed. */
  repetitions: number;
  variants: AdaptiveVariantCheck[];
  decision: 'continue' | 'stop';
  reason: string;
}

/** Half-width of the 95% CI of the mean as a percent of |mean| (SUMMARY_DEFINITIONS.ci_half_width_pct). */
export function ciHalfWidthPct(values: ArrayLike<number>): { n: number; mean: number | null; halfWidthPct: number | null } {
  const n = values.length;
  if (n === 0) return { n, mean: null, halfWidthPct: null };
  const { mean, variance } = meanAndVariance(values);
  const ci = meanCi95(mean, variance === null ? null : Math.sqrt(variance), n);
  if (ci === null || mean === 0) return { n, mean, halfWidthPct: null };
  return { n, mean, halfWidthPct: ((ci[1] - ci[0]) / 2 / Math.abs(mean)) * 100 };
}

const pct = (v: number | null): string => (v === null ? 'unknown (n < 2 or mean 0)' : `±${v.toFixed(2)}%`);

export class AdaptiveController {
  private readonly latest = new Map<string, AdaptiveVariantCheck>();
  private readonly checks: AdaptiveOutcome['checks'] = [];

  constructor(private readonly x: NormalizedExperiment, private readonly rule: AdaptiveRepetitions, private readonly values: RunValues) {}

  private check(variant: string, repetitions: number): AdaptiveVariantCheck {
    const s = ciHalfWidthPct(this.values(variant, this.rule.until.metric));
    const c = { name: variant, repetitions, ...s, met: s.halfWidthPct !== null && s.halfWidthPct <= this.rule.until.ciHalfWidthPct };
    this.latest.set(variant, c);
    return c;
  }

  private decide(variants: AdaptiveVariantCheck[], repetitions: number, more: boolean): AdaptiveCheck {
    this.checks.push({ repetitions, halfWidthPct: Object.fromEntries(variants.map((v) => [v.name, v.halfWidthPct])) });
    const { metric, ciHalfWidthPct: target } = this.rule.until;
    const open = variants.filter((v) => !v.met);
    const reason = open.length === 0
      ? `${variants.map((v) => v.name).join(', ')}: 95% CI half-width of ${metric} ≤ ${target}% after ${repetitions} repetitions`
      : more
        ? `after ${repetitions} repetitions ${open.map((v) => `${v.name} ${pct(v.halfWidthPct)}`).join(', ')} > ${target}%: one more repetition`
        : `max ${this.rule.max} repetitions reached with ${open.map((v) => `${v.name} ${pct(v.halfWidthPct)}`).join(', ')} > ${target}%`;
    return { metric, targetPct: target, repetitions, variants, decision: more ? 'continue' : 'stop', reason };
  }

  /**
   * After plan[i] has run (and its record is in the values): checks when a round (or, in sequential order, a variant's
   * block) is complete, and adds the next repetition to `plan` in place when the target is not met yet.
   * Returns the check, or null when none was due.
   */
  afterRun(plan: PlannedRun[], i: number): AdaptiveCheck | null {
    const p = plan[i];
    if (this.x.order === 'sequential') {
      if (p.warmup || plan.slice(i + 1).some((q) => q.variant === p.variant && !q.warmup)) return null;
      const c = this.check(p.variant, p.repetition);
      const more = !c.met && p.repetition < this.rule.max;
      if (more) {
        const added = repetitionRuns(this.x, p.variant, p.repetition + 1, p);
        plan.splice(i + 1, 0, ...added);
        for (let k = i + 1 + added.length; k < plan.length; k++) plan[k].index = k;
      }
      return this.decide([c], p.repetition, more);
    }
    if (i !== plan.length - 1) return null;
    const rep = Math.max(...plan.map((q) => q.repetition));
    const variants = this.x.variants.map((v) => this.check(v.name, rep));
    const more = variants.some((v) => !v.met) && rep < this.rule.max;
    if (more) plan.push(...roundRuns(this.x, rep + 1, p));
    return this.decide(variants, rep, more);
  }

  /** meta.json `adaptive` now: `running` until the plan is done, then why it stopped. */
  outcome(state: 'running' | 'finished' | 'cancelled'): AdaptiveOutcome {
    const variants = this.x.variants.map((v) => this.latest.get(v.name)).filter((v): v is AdaptiveVariantCheck => v !== undefined);
    const { metric, ciHalfWidthPct: target } = this.rule.until;
    const allMet = variants.length === this.x.variants.length && variants.every((v) => v.met);
    const stopped: AdaptiveOutcome['stopped'] = state === 'running' ? 'running' : state === 'cancelled' ? 'cancelled' : allMet ? 'target-met' : 'max-reached';
    const reasons: Record<AdaptiveOutcome['stopped'], string> = {
      running: 'still running',
      cancelled: 'cancelled before the stopping rule decided',
      'target-met': `every variant's 95% CI half-width of ${metric} was ≤ ${target}% (${variants.map((v) => `${v.name} ${pct(v.halfWidthPct)} after ${v.repetitions}`).join(', ')})`,
      'max-reached': `stopped at max ${this.rule.max} repetitions: ${variants.filter((v) => !v.met).map((v) => `${v.name} ${pct(v.halfWidthPct)}`).join(', ')} still > ${target}%`,
    };
    return { min: this.rule.min, max: this.rule.max, until: { metric, ciHalfWidthPct: target }, stopped, reason: reasons[stopped], variants, checks: [...this.checks] };
  }
}
