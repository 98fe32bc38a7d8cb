// Key findings of a summary, in order of importance: the report's Executive Summary lists them and
// the reports index shows the first. Every number comes from the summary object, stated with its CI.
import { metricInfo } from '../stats/metrics';
import { statOf, type RunSummary } from '../stats/summaryTypes';
import type { SummaryStat } from '../stats/table';
import { code, escapeInline, fmtCi, fmtFraction, fmtNum } from './format';
import { capacityVerdicts } from './capacity';

const METRIC_ORDER = ['decode_tps', 'ttft_ms', 'wall_ms', 'e2e_ms'];

function metricRank(m: string): number {
  const i = METRIC_ORDER.indexOf(m);
  return i === -1 ? METRIC_ORDER.length : i;
}

/** "585.2 tok/s (95% CI [193.2, 977.2], n=5)" */
export function statPhrase(s: SummaryStat, unit: string): string {
  const u = unit === '' ? '' : unit === '%' || unit === '×' ? unit : ` ${unit}`;
  return `${fmtNum(s.mean)}${u} (95% CI ${fmtCi(s.ci95)}, n=${s.n})`;
}

/** How a contention rule reads in prose; the rule object is the one stored in meta.json. */
export function describeRule(rule: unknown): string {
  if (typeof rule !== 'object' || rule === null) return 'no rule recorded';
  const r = rule as { rule?: unknown; threshold?: unknown };
  const t = typeof r.threshold === 'number' ? fmtNum(r.threshold) : '?';
  switch (r.rule) {
    case 'overlap-speedup-below': return `overlap speedup (Σ agent wall times / concurrent wall) below ${t}× (the original program's rule)`;
    case 'speedup-below': return `real speedup vs the measured sequential baseline below ${t}×`;
    case 'ttft-above-solo': return `an agent's mean TTFT above ${t}× its solo TTFT`;
    default: return `rule ${escapeInline(JSON.stringify(rule))}`;
  }
}

/** "2 of 3 decided runs flagged (contention rate 66.7%); 2 runs undecided (…)": undecided runs are never "no contention". */
export function contentionPhrase(ma: NonNullable<RunSummary['multiAgent']>): string {
  const undecided = ma.contention_undecided ?? 0;
  const decided = ma.runs - undecided;
  const head = `${ma.contention_flagged} of ${decided} ${undecided ? 'decided ' : ''}runs flagged (contention rate ${fmtFraction(ma.contention_rate)})`;
  return undecided === 0 ? head : `${head}; ${undecided} ${undecided === 1 ? 'run' : 'runs'} undecided (the rule needs solo measurements that were missing or failed for them; they are left out of the rate)`;
}

function multiAgentFindings(s: RunSummary): string[] {
  const ma = s.multiAgent;
  if (!ma || ma.runs === 0) return [];
  const out: string[] = [];
  const sp = ma.speedup_vs_sequential;
  const ov = ma.overlap_efficiency;
  const overlap = ov ? `Overlap efficiency (the original program's "parallel efficiency"; it measures overlap in time, not a gain): ${statPhrase(ov, '%')}.` : null;
  if (sp) {
    out.push(`Real speedup vs running the agents one after another (measured solo baseline): ${statPhrase(sp, '×')}.`);
    if (overlap) out.push(overlap);
  } else {
    // Without a baseline the overlap is the best-supported number; the missing speedup is said right after.
    if (overlap) out.push(overlap);
    out.push('No sequential (solo) baseline was measured, so the real speedup of running the agents together is unknown.');
  }
  if (ma.aggregate_tps) out.push(`Aggregate throughput of all agents together: ${statPhrase(ma.aggregate_tps, 'tok/s')}.`);
  const undecided = ma.contention_undecided ?? 0;
  out.push(`Contention flagged in ${ma.contention_flagged} of ${ma.runs - undecided} ${undecided ? 'decided ' : ''}runs (${fmtFraction(ma.contention_rate)})${undecided ? `; ${undecided} undecided` : ''} by the rule: ${describeRule(ma.contention_rule)}.`);
  return out;
}

function variantHeadlines(s: RunSummary): string[] {
  const out: string[] = [];
  for (const v of s.variants.slice(0, 8)) {
    const metric = ['decode_tps', 'wall_ms', 'process_wall_ms'].find((m) => statOf(v, m) !== null);
    if (metric === undefined) continue;
    out.push(`${code(v.name)}: ${metric} ${statPhrase(statOf(v, metric)!, metricInfo(metric).unit)}.`);
  }
  return out;
}

function commandFindings(s: RunSummary): string[] {
  const out: string[] = [];
  for (const v of s.variants) {
    const parts = (['startup_ms', 'peak_rss_mb'] as const)
      .map((m) => [m, statOf(v, m)] as const)
      .filter((e): e is readonly [typeof e[0], SummaryStat] => e[1] !== null)
      .map(([m, st]) => `${m} ${statPhrase(st, metricInfo(m).unit)}`);
    if (parts.length) out.push(`${code(v.name)}: ${parts.join('; ')}.`);
  }
  return out;
}

/** The findings, most important first; the first is the index's "Key Finding". */
export function keyFindings(s: RunSummary): string[] {
  const out: string[] = [];
  if (s.counts && s.counts.counted === 0) {
    out.push(`No counted runs (${s.counts.runs} recorded: ${s.counts.warmup} warm-up, ${s.counts.failed} failed, ${s.counts.invalid} invalid, ${s.counts.cancelled} cancelled): there is nothing to compare.`);
    return out;
  }
  out.push(...multiAgentFindings(s));
  if (s.capacity) out.push(...capacityVerdicts(s.capacity));
  const comparisons = [...(s.comparisons ?? [])]
    .map((c, i) => ({ c, i }))
    .sort((x, y) => metricRank(x.c.metric) - metricRank(y.c.metric) || x.i - y.i)
    .map(({ c }) => c);
  for (const c of comparisons.slice(0, 6)) out.push(`${escapeInline(c.verdict)}.`);
  if (comparisons.length === 0 && !s.capacity) out.push(...variantHeadlines(s));
  if (s.kind === 'command') out.push(...commandFindings(s));
  const bad = (s.counts?.failed ?? 0) + (s.counts?.invalid ?? 0);
  if (bad > 0) out.push(`${s.counts.failed} failed and ${s.counts.invalid} invalid runs were excluded from the statistics (see Validity).`);
  return out;
}
