// Comparisons with verdicts, the multi-agent section (overlap efficiency labelled as the original
// "parallel efficiency", real speedup, fairness, contention with its rule) and external
// implementations (start-up, RSS, CPU). Every number is read from the summary or a run record.
import type { ComparisonResult } from '../stats/compare';
import { metricInfo } from '../stats/metrics';
import { SAME_PROVENANCE, type ProvenanceDifference } from '../store/provenance';
import type { Comparison } from '../types';
import { contentionPhrase, describeRule } from './findings';
import { code, escapeInline, fmtCi, fmtNum, fmtP, table } from './format';
import { records, str, type ReportInput } from './model';
import { statTable } from './results';

function hint(c: Comparison): string {
  const h = (c as Partial<ComparisonResult>).sampleSizeHint;
  if (!h) return '—';
  return h.runsPerVariant === null ? `> max for ${h.detectPercent}%` : `${fmtNum(h.runsPerVariant)} for ${h.detectPercent}%`;
}

function side(c: Comparison, which: 'a' | 'b'): string {
  const tr = c[which === 'a' ? 'aTr' : 'bTr'];
  const variant = c[which === 'a' ? 'aVariant' : 'bVariant'];
  return typeof tr === 'string' && typeof variant === 'string' ? `${tr}:${code(variant)}` : code(c[which]);
}

export function comparisonTable(comparisons: readonly Comparison[]): string {
  // The Holm column appears once a metric has several comparisons in the TR (PRODUCT.md §11.3).
  const holm = comparisons.some((c) => 'p_adjusted' in c);
  const rows = comparisons.map((c) => {
    const r = c as Partial<ComparisonResult>;
    const unit = metricInfo(c.metric).unit;
    return [
      code(c.metric), side(c, 'a'), side(c, 'b'),
      `${fmtNum(c.diff)} ${unit}`, fmtCi(c.ci95), fmtCi(c.bootstrapCi95 ?? null),
      fmtNum(c.ratio), fmtCi(c.ratioCi95 ?? null), fmtP(c.p), ...(holm ? [r.p_adjusted === undefined ? '—' : fmtP(r.p_adjusted)] : []), fmtNum(c.g),
      r.nA !== undefined ? `${r.nA} / ${r.nB}` : '—', hint(c),
    ];
  });
  return table(['Metric', 'A (reference)', 'B', 'Δ = B − A', '95% CI of Δ (Welch)', 'Bootstrap 95% CI of Δ', 'Ratio B/A', '95% CI of ratio', 'p (Welch)', ...(holm ? ['p (Holm-adjusted)'] : []), 'Hedges\' g', 'n A / B', 'Runs per variant to detect'], rows);
}

/** The provenance differences of a comparison as a table; one sentence when none were recorded or none differ. */
export function provenanceMarkdown(diffs: readonly ProvenanceDifference[] | undefined): string {
  if (diffs === undefined) return '';
  if (diffs.length === 0) return `**Provenance:** ${SAME_PROVENANCE}.\n`;
  const rows = diffs.map((d) => [code(d.field), escapeInline(d.a ?? 'not recorded'), escapeInline(d.b ?? 'not recorded'), d.blocking ? '**mismatch**' : 'listed']);
  return ['**Provenance:** what differs between A and B besides what is compared. A mismatch (model digest, server version, GPU) makes the comparison apples-to-oranges.', '', table(['What', 'A', 'B', ''], rows), ''].join('\n');
}

function provenanceOf(c: Comparison): ProvenanceDifference[] | undefined {
  return Array.isArray(c.provenance) ? (c.provenance as ProvenanceDifference[]) : undefined;
}

export function renderComparisons(input: ReportInput): string {
  const cs = input.summary.comparisons ?? [];
  if (cs.length === 0) return 'Only one group has counted runs: there is nothing to compare. Use `chimeraforge compare` to compare it with a variant of another TR.\n';
  const out = [
    `Each variant (B) is compared with the reference (A = ${code(input.summary.reference ?? cs[0].a)}) on per-run values. Sign convention: Δ = mean(B) − mean(A); ratio = mean(B) / mean(A). Welch's t for the CI of Δ and p; a delta-method CI for the ratio; a seeded percentile bootstrap CI of Δ; Hedges' g with the pooled SD.`,
    '',
    comparisonTable(cs),
    '',
    '**Verdicts**',
    '',
    ...cs.map((c) => `- ${code(c.metric)}: ${escapeInline(c.verdict)}`),
    '',
  ];
  // Comparisons with another TR carry what differs between the two sides.
  for (const c of cs) {
    const p = provenanceOf(c);
    if (p === undefined || c.aTr === undefined) continue;
    out.push(`#### ${side(c, 'a')} vs ${side(c, 'b')} (${code(c.metric)})`, '', provenanceMarkdown(p));
  }
  return out.join('\n');
}

const MA_LABELS: Record<string, string> = {
  overlap_efficiency: 'overlap_efficiency — the original "parallel efficiency" (overlap, not gain)',
  speedup_vs_sequential: 'speedup_vs_sequential — real speedup vs the measured solo baseline',
  aggregate_tps: 'aggregate_tps — all agents\' tokens / concurrent wall',
  jain_fairness: 'jain_fairness — Jain\'s index of per-agent decode rates',
};

function perRunTable(input: ReportInput): string {
  const { listed, total } = input.facts.multiAgent;
  const rows = listed.map(({ run, variant, counted, metrics: m }) => {
    const slow = m.slowdown_vs_solo ? Object.entries(m.slowdown_vs_solo).map(([a, x]) => `${escapeInline(a)} ${fmtNum(x)}×`).join(', ') : '—';
    return [String(run), code(variant), counted ? 'yes' : 'no', fmtNum(m.concurrent_wall_ms), fmtNum(m.overlap_efficiency), fmtNum(m.speedup_vs_sequential), fmtNum(m.aggregate_tps), fmtNum(m.jain_fairness), fmtNum(m.start_skew_ms), m.contention === null ? 'undecided' : m.contention ? 'yes' : 'no', slow];
  });
  const more = total > listed.length ? `\n\nFirst ${listed.length} of ${total} runs shown; all are in runs.jsonl.` : '';
  return `${table(['Run', 'Variant', 'Counted', 'Concurrent wall (ms)', 'Overlap eff. (%)', 'Speedup (×)', 'Aggregate tok/s', 'Jain', 'Start skew (ms)', 'Contention', 'Slowdown vs solo'], rows)}${more}`;
}

export function renderMultiAgent(input: ReportInput): string | null {
  const ma = input.summary.multiAgent;
  if (!ma) return null;
  const out = [
    `${ma.runs} counted concurrent runs. **Overlap efficiency** is the original program's "parallel efficiency" (Σ agent wall / concurrent wall / N × 100): it says how much the agents overlapped in time, not how much faster the work got. **speedup_vs_sequential** divides the agents' measured solo wall times by the concurrent wall time: the real gain.`,
    '',
    statTable(ma, Object.keys(MA_LABELS), (m) => escapeInline(MA_LABELS[m])) ?? 'No per-run multi-agent metrics were recorded.',
    '',
    `**Contention:** ${contentionPhrase(ma)}. Rule: ${describeRule(ma.contention_rule)} — as recorded: ${code(JSON.stringify(ma.contention_rule))}.`,
    '',
    '#### Per run',
    '',
    perRunTable(input),
    '',
  ];
  return out.join('\n');
}

const COMMAND_METRICS_SHOWN = ['startup_ms', 'process_wall_ms', 'peak_rss_mb', 'cpu_ms'];

export function renderCommand(input: ReportInput): string | null {
  const variants = input.summary.variants.filter((v) => COMMAND_METRICS_SHOWN.some((m) => v[m] !== undefined));
  if (variants.length === 0) return null;
  const impls = records(input.meta.experiment.implementations);
  const out = ['Measured, not estimated: start-up = spawn → first request reaching the endpoint; peak RSS sampled from /proc for the process tree; CPU = user + system time.', ''];
  for (const v of variants) {
    const impl = impls.find((i) => str(i.name) === v.name);
    out.push(`#### Implementation ${code(v.name)}`, '');
    if (impl && Array.isArray(impl.argv)) out.push(`Command: ${code(impl.argv.map(String).join(' '))}`, '');
    out.push(statTable(v, COMMAND_METRICS_SHOWN) ?? 'No measurements.', '');
    const exits = input.facts.commandExits[v.name] ?? { runs: 0, zero: 0 };
    out.push(`Exit codes: ${exits.zero} of ${exits.runs} measured runs exited 0.`, '');
  }
  return out.join('\n');
}
