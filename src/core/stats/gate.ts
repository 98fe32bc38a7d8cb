// The regression gate's rule (PRODUCT.md §11.5): the 95% CI of the change of NEW against BASE, a margin
// PCT, and the metric's good direction in; pass / regression / inconclusive out. Pure: the CLI command,
// the compare view and the CodeLens all decide with these functions, on per-run values of counted runs.
import { ChimeraError } from '../errors.js';
import { metricInfo, type Direction } from './metrics.js';
import { POWER_TARGET, welchSampleSize } from './power.js';
import { moments, ratioCi95, type GroupMoments } from './twoSample.js';
import { formatNumber, formatPct } from './verdict.js';

export type GateDecision = 'pass' | 'regression' | 'inconclusive';

export const DEFAULT_MAX_REGRESSION_PCT = 5;

/** Which CI the gate uses, said in the output and in docs/CI.md. */
export const GATE_CI_DEFINITION =
  'change = (mean_new / mean_base − 1) × 100; its 95% CI is the ratio CI of the comparison: delta method on the log scale, ' +
  'log(mean_new / mean_base) ± t(0.975, Welch–Satterthwaite df) × √(s²_base / (n_base · mean_base²) + s²_new / (n_new · mean_new²)), exponentiated';

export const GATE_RULE_DEFINITION =
  'pass when the whole CI of the change is on the good side of −PCT (no value in it is a regression beyond PCT); ' +
  'regression when the whole CI is beyond −PCT on the bad side; inconclusive when it straddles −PCT. ' +
  '"Bad side" follows the metric: lower is worse for rates (decode_tps), higher is worse for times (ttft_ms).';

export const GATE_HINT_DEFINITION =
  'Runs per side that would decide it: the smallest n per side for which a two-sided Welch test (α = 0.05) on the log scale ' +
  `has power ${POWER_TARGET} to separate the change from the margin, assuming the true change equals the observed one and each ` +
  'side keeps its observed relative spread (sd / mean).';

export interface GateRuleInput {
  /** 95% CI of the percent change of NEW against BASE, (ratio − 1) × 100. */
  changeCi95Pct: readonly [number, number];
  /** PCT ≥ 0: how much worse than BASE is tolerated. */
  maxRegressionPct: number;
  better: Direction;
}

/**
 * The rule itself. The CI is turned so that positive means better (times: −change); then pass when its
 * low end is at or above −PCT, regression when its high end is below −PCT, otherwise inconclusive.
 */
export function gateRule(input: GateRuleInput): GateDecision {
  const [lo, hi] = input.better === 'higher' ? input.changeCi95Pct : [-input.changeCi95Pct[1], -input.changeCi95Pct[0]];
  const margin = -input.maxRegressionPct;
  if (lo >= margin) return 'pass';
  if (hi < margin) return 'regression';
  return 'inconclusive';
}

export function checkMargin(pct: number, where = '--max-regression'): number {
  if (!Number.isFinite(pct) || pct < 0 || pct >= 100) {
    throw new ChimeraError('E_BAD_INPUT', `the regression margin must be a percent in [0, 100), got ${pct}`, { where, hint: 'e.g. --max-regression 5 tolerates up to 5% worse than the baseline' });
  }
  return pct;
}

export interface GateOptions {
  metric: string;
  maxRegressionPct?: number;
}

export interface GateStats {
  metric: string;
  better: Direction;
  unit: string;
  maxRegressionPct: number;
  nBase: number;
  nNew: number;
  meanBase: number;
  meanNew: number;
  /** (mean_new / mean_base − 1) × 100. */
  changePct: number;
  /** The ratio CI as a percent change; null when a side has fewer than 2 runs. */
  changeCi95Pct: [number, number] | null;
  decision: GateDecision;
  /** Inconclusive only: runs per side that would decide it (null: none would, or no spread is known yet). */
  runsPerSide: number | null;
  /** Why runsPerSide is null, or why the CI is missing, in words. */
  note?: string;
  /** One line: "decode_tps −4.1% [−6.0, −2.2], regression". */
  line: string;
}

/** The margin as a ratio NEW/BASE: the boundary of the bad side. */
function marginRatio(better: Direction, pct: number): number {
  return better === 'higher' ? 1 - pct / 100 : 1 + pct / 100;
}

function runsToDecide(base: GroupMoments, next: GroupMoments, better: Direction, pct: number): { n: number | null; note?: string } {
  if (base.variance === null || next.variance === null) return { n: null, note: 'at least 2 runs per side are needed to estimate the spread' };
  const delta = Math.abs(Math.log(next.mean / base.mean) - Math.log(marginRatio(better, pct)));
  if (delta === 0) return { n: null, note: 'the observed change sits exactly on the margin: no number of runs would separate them' };
  const n = welchSampleSize(Math.sqrt(base.variance) / base.mean, Math.sqrt(next.variance) / next.mean, delta);
  return n === null ? { n: null, note: 'the observed change is too close to the margin for any practical number of runs' } : { n };
}

/** Minus sign for prose (U+2212), as in the contract's "−PCT". */
export function signedPct(x: number): string {
  const s = formatPct(x);
  return x > 0 ? `+${s}` : s.replace('-', '−');
}

export function gateLine(s: Pick<GateStats, 'metric' | 'changePct' | 'changeCi95Pct' | 'decision'>): string {
  const ci = s.changeCi95Pct ? ` [${signedPct(s.changeCi95Pct[0]).replace('+', '')}, ${signedPct(s.changeCi95Pct[1]).replace('+', '')}]` : '';
  return `${s.metric} ${signedPct(s.changePct)}%${ci}, ${s.decision}`;
}

/** Decides NEW against BASE from per-run values. Bad input (an empty side, a mean ≤ 0) throws E_BAD_INPUT. */
export function gateSamples(base: ArrayLike<number>, next: ArrayLike<number>, opts: GateOptions): GateStats {
  const pct = checkMargin(opts.maxRegressionPct ?? DEFAULT_MAX_REGRESSION_PCT);
  const info = metricInfo(opts.metric);
  if (base.length === 0 || next.length === 0) {
    throw new ChimeraError('E_BAD_INPUT', `cannot gate on ${opts.metric}: the ${base.length === 0 ? 'baseline' : 'new'} side has no counted runs`, {
      hint: 'gate on TRs whose variant has ok, valid, non-warm-up runs with this metric',
    });
  }
  const mb = moments(base);
  const mn = moments(next);
  if (!(mb.mean > 0) || !(mn.mean > 0)) {
    throw new ChimeraError('E_BAD_INPUT', `cannot gate on ${opts.metric}: a relative change needs positive means (baseline ${mb.mean}, new ${mn.mean})`, {
      hint: 'gate on a metric that is positive on both sides (decode_tps, ttft_ms, e2e_ms, wall_ms)',
    });
  }
  const ratio = ratioCi95(mb, mn);
  const changePct = (mn.mean / mb.mean - 1) * 100;
  const changeCi95Pct: [number, number] | null = ratio ? [(ratio[0] - 1) * 100, (ratio[1] - 1) * 100] : null;
  const decision = changeCi95Pct ? gateRule({ changeCi95Pct, maxRegressionPct: pct, better: info.better }) : 'inconclusive';
  const hint = decision === 'inconclusive' ? runsToDecide(mb, mn, info.better, pct) : { n: null };
  const stats: GateStats = {
    metric: opts.metric, better: info.better, unit: info.unit, maxRegressionPct: pct,
    nBase: mb.n, nNew: mn.n, meanBase: mb.mean, meanNew: mn.mean, changePct, changeCi95Pct, decision,
    runsPerSide: hint.n, line: '',
  };
  if (hint.note !== undefined) stats.note = hint.note;
  stats.line = gateLine(stats);
  return stats;
}

/** The decision in a sentence, for the CLI's first line and the compare view. */
export function gateSentence(s: GateStats, base: string, next: string): string {
  const ci = s.changeCi95Pct ? `95% CI [${signedPct(s.changeCi95Pct[0])}%, ${signedPct(s.changeCi95Pct[1])}%]` : 'no CI (a side has fewer than 2 runs)';
  const change = `${s.metric} of ${next} vs ${base}: ${signedPct(s.changePct)}% (${ci}; ${s.better} is better)`;
  const margin = `the ${formatNumber(s.maxRegressionPct)}% margin`;
  switch (s.decision) {
    case 'pass':
      return `PASS — ${change}: no regression beyond ${margin}`;
    case 'regression':
      return `REGRESSION — ${change}: worse than ${margin}`;
    case 'inconclusive': {
      const more = s.runsPerSide !== null ? `about ${s.runsPerSide.toLocaleString('en-US')} runs per side would decide it` : (s.note ?? 'no run count can be estimated');
      return `INCONCLUSIVE — ${change}: the CI straddles ${margin}; ${more}`;
    }
  }
}
