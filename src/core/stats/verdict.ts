// Plain-language verdicts for comparisons: the direction word follows the metric (tok/s higher is
// faster, ms lower is faster), the size is the percent change with its CI, and "no detectable
// difference" always says how many runs would settle it.
import type { MetricInfo } from './metrics.js';
import { POWER_MAX_N } from './power.js';

export interface VerdictInput {
  a: string;
  b: string;
  metric: string;
  diff: number;
  ci95: [number, number] | null;
  p: number | null;
  nA: number;
  nB: number;
  meanA: number;
  percent: number | null;
  percentCi95: [number, number] | null;
  detectable: boolean;
  sampleSizeHint: { detectPercent: number; runsPerVariant: number | null } | null;
  degenerate?: string;
  noVariation?: boolean;
  meanB?: number;
  /** Holm-adjusted p over the TR's comparisons of this metric, when there are several. */
  p_adjusted?: number | null;
  adjustment?: { method: 'holm'; comparisons: number };
}

/**
 * Signed percent change of b against a, (ratio − 1) × 100, and its CI: the Welch CI of the difference
 * expressed as % of a's mean — the same interval the p-value tests, so a verdict never calls a change
 * "not detectable" while quoting a CI that excludes zero (the delta-method ratio CI stays in ratioCi95).
 */
export function describeChange(ratio: number | null, diffCi: [number, number] | null, meanA: number): { percent: number | null; percentCi95: [number, number] | null } {
  return {
    percent: ratio === null ? null : (ratio - 1) * 100,
    percentCi95: diffCi === null || ratio === null || !(meanA > 0) ? null : [(diffCi[0] / meanA) * 100, (diffCi[1] / meanA) * 100],
  };
}

/** A number for prose: 4 significant digits, no exponent for ordinary magnitudes. */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  return String(Number(x.toPrecision(4)));
}

export function formatPct(x: number): string {
  const abs = Math.abs(x);
  return abs >= 0.1 || abs === 0 ? x.toFixed(1) : x.toPrecision(2);
}

export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

function signed(x: number): string {
  return `${x > 0 ? '+' : ''}${formatPct(x)}%`;
}

function sizeHint(v: VerdictInput): string {
  const h = v.sampleSizeHint;
  if (h === null) return '';
  if (h.runsPerVariant === null) {
    return `; more than ${POWER_MAX_N.toLocaleString('en-US')} runs per variant would be needed to detect a ${h.detectPercent}% difference`;
  }
  if (h.runsPerVariant <= Math.min(v.nA, v.nB)) {
    // Enough runs already: the absence of a detection is itself informative.
    return `; ${h.runsPerVariant.toLocaleString('en-US')} runs per variant would detect a ${h.detectPercent}% difference with power 0.8, so a real difference is likely smaller than ${h.detectPercent}%`;
  }
  return `; about ${h.runsPerVariant.toLocaleString('en-US')} runs per variant would detect a ${h.detectPercent}% difference`;
}

/** "b is X% <word> than a on metric (95% CI [lo%, hi%], …)" with the CI turned to the word's direction. */
function magnitude(v: VerdictInput, info: MetricInfo): string {
  const up = v.diff > 0;
  const word = up ? info.up : info.down;
  if (v.percent === null || v.meanA < 0) {
    const ci = v.ci95 === null || v.ci95[0] === v.ci95[1] ? '' : `95% CI of the difference [${formatNumber(v.ci95[0])}, ${formatNumber(v.ci95[1])}] ${info.unit}, `;
    return `${v.b} is ${formatNumber(Math.abs(v.diff))} ${info.unit} ${word} than ${v.a} on ${v.metric} (${ci}`;
  }
  const pct = formatPct(Math.abs(v.percent));
  let ci = '';
  if (v.percentCi95 !== null && v.percentCi95[0] !== v.percentCi95[1]) {
    const [lo, hi] = up ? v.percentCi95 : [-v.percentCi95[1], -v.percentCi95[0]];
    ci = `95% CI [${formatPct(lo)}%, ${formatPct(hi)}%], `;
  }
  return `${v.b} is ${pct}% ${word} than ${v.a} on ${v.metric} (${ci}`;
}

export function verdictText(v: VerdictInput, info: MetricInfo): string {
  const n = `n=${v.nA} vs ${v.nB}`;
  if (v.noVariation) {
    const meanB = v.meanB ?? v.meanA + v.diff;
    return `not testable (no variation) on ${v.metric}: every run of ${v.a} gave ${formatNumber(v.meanA)} ${info.unit} and every run of ${v.b} gave ${formatNumber(meanB)} ${info.unit} (${n}); a test needs spread in at least one group`;
  }
  if (v.degenerate !== undefined) {
    const observed = v.percent === null ? `${formatNumber(v.diff)} ${info.unit}` : signed(v.percent);
    return `not testable on ${v.metric}: ${n} runs (at least 2 per variant are needed); the observed change of ${v.b} against ${v.a} is ${observed}`;
  }
  const adjusted = v.adjustment !== undefined && v.p_adjusted != null;
  const p = v.p === null ? '' : `Welch ${formatP(v.p)}${adjusted ? `, Holm-adjusted ${formatP(v.p_adjusted!)}` : ''}`;
  if (v.detectable) return `${magnitude(v, info)}${p}${adjusted ? ` over ${v.adjustment!.comparisons} comparisons` : ''}, ${n})`;
  const after = adjusted ? ` after Holm adjustment for ${v.adjustment!.comparisons} comparisons` : '';
  const observed = v.percent === null
    ? `${formatNumber(v.diff)} ${info.unit}`
    : `${signed(v.percent)}${v.percentCi95 === null ? '' : `, 95% CI [${formatPct(v.percentCi95[0])}%, ${formatPct(v.percentCi95[1])}%]`}`;
  return `no detectable difference on ${v.metric} between ${v.b} and ${v.a} at ${n}${after} (${v.b} ${observed}, ${p})${sizeHint(v)}`;
}
