// The report's account of adaptive repetitions (meta.json `adaptive`): the rule, why the runs stopped,
// and each check's CI half-widths (the narrowing), so a reader sees how many runs were needed and why.
import type { AdaptiveOutcome } from '../types';
import { SUMMARY_DEFINITIONS } from '../stats/metrics';
import { code, escapeInline, fmtNum, table } from './format';

const STOPPED: Record<AdaptiveOutcome['stopped'], string> = {
  running: 'not decided yet (still running, or interrupted)',
  'target-met': 'target met',
  'max-reached': 'max reached without meeting the target',
  cancelled: 'cancelled',
};

/** One line for the protocol table: the rule and where it stopped. */
export function adaptiveRule(a: AdaptiveOutcome): string {
  return `adaptive: ${a.min} to ${a.max}, until every variant's 95% CI half-width of ${code(a.until.metric)} is ≤ ${fmtNum(a.until.ciHalfWidthPct)}% of its mean — ${STOPPED[a.stopped]}`;
}

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `±${v.toFixed(2)}%`);

export function renderAdaptive(a: AdaptiveOutcome): string {
  const out = [`**Stopped:** ${STOPPED[a.stopped]} — ${escapeInline(a.reason)}.`, ''];
  out.push(table(['Variant', 'Repetitions', 'Runs with a value', 'Mean', 'CI half-width', 'Target met'],
    a.variants.map((v) => [escapeInline(v.name), String(v.repetitions), String(v.n), fmtNum(v.mean), pct(v.halfWidthPct), v.met ? 'yes' : 'no'])), '');
  const names = [...new Set(a.checks.flatMap((c) => Object.keys(c.halfWidthPct)))];
  if (a.checks.length > 0) {
    out.push('Each check (after a round, or in sequential order after a variant\'s block): the half-widths then.', '');
    out.push(table(['After repetition', ...names.map(escapeInline)], a.checks.map((c) => [String(c.repetitions), ...names.map((n) => (n in c.halfWidthPct ? pct(c.halfWidthPct[n]) : ''))])), '');
  }
  out.push(`${code('ci_half_width_pct')}: ${escapeInline(SUMMARY_DEFINITIONS.ci_half_width_pct)}`, '');
  return out.join('\n');
}
