// Results: per-variant statistics tables, the two throughput aggregates (labelled), per-stage,
// per-agent, solo-baseline and scenario tables, and the figures. Numbers come from the summary only.
import { CALL_METRICS, MIN_CALLS_FOR_TAIL, metricInfo } from '../stats/metrics';
import { statOf, type CallMeanTps, type GroupStats, type WeightedTps } from '../stats/summaryTypes';
import type { SummaryStat } from '../stats/table';
import { code, escapeInline, fmtCi, fmtNum, table } from './format';
import type { ReportInput } from './model';
import { renderOutputs } from './outputs';
import { renderCallSettings } from './callSettings';

/** The metrics of the per-variant tables: call metrics and run wall time (multi-agent and command metrics have their own sections). */
export const RESULT_METRICS: readonly string[] = [...CALL_METRICS, 'wall_ms'];

const STAT_HEADER = ['Metric', 'Unit', 'n', 'Mean', 'SD', 'CV %', 'Median', 'p95', 'Min', 'Max', '95% CI of mean'];
const STAT_ALIGN: ('l' | 'r')[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'];

/** One table row of a metric's statistics. */
export function statRow(label: string, unit: string, s: SummaryStat): string[] {
  return [label, unit, String(s.n), fmtNum(s.mean), fmtNum(s.sd), fmtNum(s.cv), fmtNum(s.median), fmtNum(s.p95), fmtNum(s.min), fmtNum(s.max), fmtCi(s.ci95)];
}

/** A statistics table over the given metrics of one group (rows only for metrics present). */
export function statTable(group: Record<string, unknown>, metrics: readonly string[], label: (m: string) => string = code, unit?: string): string | null {
  const rows = metrics.flatMap((m) => {
    const s = statOf(group, m);
    return s ? [statRow(label(m), unit ?? metricInfo(m).unit, s)] : [];
  });
  return rows.length ? table(STAT_HEADER, rows, STAT_ALIGN) : null;
}

function meanCi(g: Record<string, unknown>, m: string): string {
  const s = statOf(g, m);
  return s ? `${fmtNum(s.mean)} ${fmtCi(s.ci95)}` : '—';
}

/** Compact rows for sub-groups (stages, agents, scenarios): key metrics as "mean [CI]". */
function groupTable(first: string, groups: [string, GroupStats & Record<string, unknown>][], extra?: (g: Record<string, unknown>) => string[], extraHeader: string[] = []): string {
  // Stages have no wall time of their own: the column is left out when no group has it.
  const metrics = ['decode_tps', 'ttft_ms', 'e2e_ms', 'wall_ms'].filter((m) => m !== 'wall_ms' || groups.some(([, g]) => statOf(g, m) !== null));
  const header = [first, ...extraHeader, 'n', ...metrics.map((m) => `${m} (${metricInfo(m).unit}) mean [95% CI]`), 'Token-weighted tok/s'];
  const rows = groups.map(([name, g]) => [code(name), ...(extra ? extra(g) : []), String(g.n), ...metrics.map((m) => meanCi(g, m)), fmtNum((g.decode_tps_weighted as WeightedTps | null)?.value)]);
  return table(header, rows);
}

/** Per-call median/p95/p99/max of the latency metrics (SUMMARY_DEFINITIONS.per_call_percentiles); null when no variant has them. */
function perCallTable(input: ReportInput): string | null {
  const rows = input.summary.variants.flatMap((v) => Object.entries(v.per_call ?? {}).map(([m, t]) => {
    const tail = t.n >= MIN_CALLS_FOR_TAIL;
    return [code(v.name), code(m), metricInfo(m).unit, String(t.n), fmtNum(t.median), tail ? fmtNum(t.p95) : '—', tail ? fmtNum(t.p99) : '—', fmtNum(t.max)];
  }));
  return rows.length ? table(['Variant', 'Metric', 'Unit', 'Calls', 'Median', 'p95', 'p99', 'Max'], rows) : null;
}

function throughputAggregates(input: ReportInput): string {
  const rows = input.summary.variants.filter((v) => v.n > 0).map((v) => {
    const w = v.decode_tps_weighted as WeightedTps | null;
    const m = v.decode_tps_call_mean as CallMeanTps | null;
    return [code(v.name), fmtNum(w?.value), w ? fmtNum(w.eval_count) : '—', fmtNum(m?.value), m ? String(m.calls) : '—', meanCi(v, 'decode_tps')];
  });
  return [
    'Throughput is reported three ways and never mixed: **token-weighted** (Σ eval_count / Σ eval_duration over all ok calls), **mean of per-call rates** (every call weighs the same, the original program\'s average), and the **mean of per-run values** with its 95% CI (the statistic compared between variants).',
    '',
    table(['Variant', 'Token-weighted (tok/s)', 'Tokens', 'Mean of per-call rates (tok/s)', 'Calls', 'Mean of per-run values [95% CI] (tok/s)'], rows),
  ].join('\n');
}

/** Metrics of the per-stage detail tables (a stage's calls only; run wall time is not a stage's). */
const STAGE_METRICS = CALL_METRICS.filter((m) => m !== 'load_ms');

/** A full statistics table of one sub-group under a small heading ([] when it has no statistics). */
function detail(title: string, group: Record<string, unknown>, metrics: readonly string[]): string[] {
  const t = statTable(group, metrics);
  return t ? [`##### ${title}`, '', t, ''] : [];
}

export function renderResults(input: ReportInput): string {
  const out: string[] = [];
  const variants = input.summary.variants;
  out.push('### Per-variant statistics', '', 'Statistics over counted runs (n = runs) of per-run values: a call metric\'s per-run value is the mean over the run\'s ok calls, so the p95 of a call metric is the p95 of per-run means, not a tail latency of calls (per-call percentiles follow).', '');
  for (const v of variants) {
    out.push(`#### Variant ${code(v.name)}`, '');
    const t = statTable(v, RESULT_METRICS);
    out.push(t ?? `No counted runs (excluded: ${v.excluded.warmup} warm-up, ${v.excluded.failed} failed, ${v.excluded.invalid} invalid, ${v.excluded.cancelled} cancelled).`, '');
  }
  const perCall = perCallTable(input);
  if (perCall) out.push('### Per-call latency percentiles', '', `Over all ok calls of the counted runs, each call one value (n = calls); p95 and p99 are shown from ${MIN_CALLS_FOR_TAIL} calls on.`, '', perCall, '');
  out.push(...renderOutputs(input));
  out.push(...renderCallSettings(input));
  if (variants.some((v) => v.decode_tps_weighted || v.decode_tps_call_mean)) out.push('### Throughput: token-weighted and mean of rates', '', throughputAggregates(input), '');
  const withStages = variants.filter((v) => v.stages && Object.keys(v.stages).length > 0);
  if (withStages.length) {
    out.push('### Per-stage statistics', '', 'Calls of each stage are summarised apart (per run: the mean over that stage\'s calls), so analysis and report calls never mix.', '');
    for (const v of withStages) {
      out.push(`#### Variant ${code(v.name)}`, '', groupTable('Stage', Object.entries(v.stages!), (g) => [String(g.calls)], ['Calls']), '');
      for (const [stage, g] of Object.entries(v.stages!)) out.push(...detail(`Stage ${code(stage)} of ${code(v.name)} (${g.calls} calls)`, g, STAGE_METRICS));
    }
  }
  const withDurations = variants.filter((v) => v.stageDurations && Object.keys(v.stageDurations).length > 0);
  if (withDurations.length) {
    out.push('### Workflow stage durations', '');
    for (const v of withDurations) {
      const names = Object.keys(v.stageDurations!);
      out.push(`#### Variant ${code(v.name)}`, '', statTable(v.stageDurations as Record<string, unknown>, names, (m) => code(`stages.${m}`), 'ms')!, '');
    }
  }
  const withAgents = variants.filter((v) => v.agents && Object.keys(v.agents).length > 0);
  if (withAgents.length) {
    out.push('### Per-agent statistics (concurrent runs)', '');
    for (const v of withAgents) {
      out.push(`#### Variant ${code(v.name)}`, '', groupTable('Agent', Object.entries(v.agents!), (g) => [code(String(g.endpoint ?? '—')), String(g.failed)], ['Endpoint', 'Failed']), '');
      for (const [agent, g] of Object.entries(v.agents!)) out.push(...detail(`Agent ${code(agent)} in ${code(v.name)}`, g, RESULT_METRICS));
    }
  }
  const withSolo = variants.filter((v) => v.solo && Object.keys(v.solo).length > 0);
  if (withSolo.length) {
    out.push('### Solo baselines (each agent alone)', '', 'Measured in the same experiment, same endpoint and options; kept out of the concurrent statistics.', '');
    for (const v of withSolo) out.push(`#### Variant ${code(v.name)}`, '', groupTable('Agent (solo)', Object.entries(v.solo!)), '');
  }
  const scenarios = input.summary.scenarios ?? [];
  if (scenarios.length) {
    out.push('### Per-scenario statistics', '', groupTable('Scenario', scenarios.map((s) => [s.name, s]), (g) => [(g.variants as string[]).map(code).join(', ')], ['Variants']), '');
  }
  if (input.figures.length) {
    out.push('### Figures', '');
    input.figures.forEach((f, i) => out.push(`**Figure ${i + 1}. ${escapeInline(f.title)}.** ${escapeInline(f.caption)}`, '', `![${escapeInline(f.title)}](${f.path})`, ''));
  } else if (input.figuresNote) {
    out.push('### Figures', '', `_${escapeInline(input.figuresNote)}_`, '');
  }
  return out.join('\n');
}
