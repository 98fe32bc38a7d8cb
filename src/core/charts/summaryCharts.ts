// Figures drawn from the summary object alone: throughput per group with 95% CI error bars, TTFT
// distribution as box plots. Groups are the variants, or the agents when there is one variant.
import type { ChartConfiguration } from 'chart.js';
import { statOf, type RunSummary } from '../stats/summaryTypes';
import type { SummaryStat } from '../stats/table';
import { seriesColor, withAlpha } from './palette';
import { backgroundPlugin, boxWhiskersPlugin, errorBarsPlugin } from './plugins';
import { baseOptions, CHART_HEIGHT, CHART_WIDTH, type ChartSpec } from './types';

export interface Group { label: string; stats: Record<string, unknown> }

/** The groups a per-group figure shows: variants, or a lone variant's agents (multi-agent). */
export function chartGroups(summary: RunSummary): { groups: Group[]; of: 'variant' | 'agent' } {
  const variants = summary.variants.filter((v) => v.n > 0);
  if (variants.length === 1 && variants[0].agents && Object.keys(variants[0].agents).length > 1) {
    return { groups: Object.entries(variants[0].agents).map(([label, stats]) => ({ label, stats })), of: 'agent' };
  }
  return { groups: variants.map((v) => ({ label: v.name, stats: v })), of: 'variant' };
}

/** Mean decode rate per group with its 95% CI as error bars; null when no group has decode_tps. */
export function throughputChart(summary: RunSummary): ChartSpec | null {
  const { groups, of } = chartGroups(summary);
  const rows = groups.map((g) => ({ label: g.label, s: statOf(g.stats, 'decode_tps') })).filter((r): r is { label: string; s: SummaryStat } => r.s !== null);
  if (rows.length === 0) return null;
  const title = `Decode throughput per ${of}`;
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: rows.map((r) => `${r.label} (n=${r.s.n})`),
      datasets: [{
        label: 'mean decode_tps (tok/s)',
        data: rows.map((r) => r.s.mean),
        backgroundColor: rows.map((_, i) => withAlpha(seriesColor(i), 0.75)),
        borderColor: rows.map((_, i) => seriesColor(i)),
        borderWidth: 1.5,
        maxBarThickness: 120,
      }],
    },
    options: baseOptions<'bar'>(title, 'Mean of per-run decode rates (eval_count / eval_duration); error bars: 95% CI of the mean (Student t)', { x: of, y: 'decode_tps (tok/s)' }, false),
    plugins: [backgroundPlugin, errorBarsPlugin],
  };
  config.options!.plugins!.cfErrorBars = { intervals: [rows.map((r) => r.s.ci95)] };
  // Start at zero unless the CI goes below it: bar lengths must mean something.
  const lows = rows.map((r) => r.s.ci95?.[0] ?? r.s.mean);
  const scaleY = config.options!.scales!.y as Record<string, unknown>;
  scaleY.beginAtZero = true;
  if (Math.min(...lows) < 0) scaleY.suggestedMin = Math.min(...lows);
  scaleY.suggestedMax = Math.max(...rows.map((r) => r.s.ci95?.[1] ?? r.s.mean));
  return {
    name: 'throughput', title,
    caption: `Mean decode_tps per ${of} with 95% confidence intervals (error bars), from the summary's per-run values.`,
    width: CHART_WIDTH, height: CHART_HEIGHT, config,
  };
}

/** TTFT distribution per group: box p25–p75, whiskers p5–p95, median line; null without ttft_ms. */
export function ttftBoxChart(summary: RunSummary, metric: 'ttft_ms' | 'server_ttft_ms' = 'ttft_ms'): ChartSpec | null {
  const { groups, of } = chartGroups(summary);
  const rows = groups
    .map((g) => ({ label: g.label, s: statOf(g.stats, metric) }))
    .filter((r): r is { label: string; s: SummaryStat } => r.s !== null && typeof r.s.p25 === 'number' && typeof r.s.p75 === 'number');
  if (rows.length === 0) return null;
  const title = `${metric === 'ttft_ms' ? 'Time to first token (client)' : 'Server TTFT'} per ${of}`;
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: rows.map((r) => `${r.label} (n=${r.s.n})`),
      datasets: [{
        label: `${metric} p25–p75`,
        data: rows.map((r) => [r.s.p25!, r.s.p75!] as [number, number]),
        backgroundColor: rows.map((_, i) => withAlpha(seriesColor(i), 0.45)),
        borderColor: rows.map((_, i) => seriesColor(i)),
        borderWidth: 1.5,
        borderSkipped: false,
        maxBarThickness: 110,
      }],
    },
    options: baseOptions<'bar'>(title, 'Per-run values: box p25–p75, thick line median, whiskers p5–p95 (linear interpolation)', { x: of, y: `${metric} (ms)` }, false),
    plugins: [backgroundPlugin, boxWhiskersPlugin],
  };
  config.options!.plugins!.cfBoxWhiskers = { boxes: rows.map((r) => ({ low: r.s.p5 ?? r.s.min, high: r.s.p95, median: r.s.median })) };
  const scaleY = config.options!.scales!.y as Record<string, unknown>;
  scaleY.suggestedMin = Math.min(...rows.map((r) => r.s.p5 ?? r.s.min));
  scaleY.suggestedMax = Math.max(...rows.map((r) => r.s.p95));
  return {
    name: metric === 'ttft_ms' ? 'ttft_box' : 'server_ttft_box', title,
    caption: `Distribution of per-run ${metric} per ${of}: box = p25–p75, thick line = median, whiskers = p5–p95.`,
    width: CHART_WIDTH, height: CHART_HEIGHT, config,
  };
}
