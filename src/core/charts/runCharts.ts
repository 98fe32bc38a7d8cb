// Figures drawn from the raw run records: the multi-agent timeline (per agent, per run: start offset →
// end), overlap efficiency vs real speedup per run, and per-call TTFT vs decode rate.
import type { ChartConfiguration } from 'chart.js';
import { exclusionOf, type ColdRuns } from '../stats/runValues';
import type { RunRecord } from '../types';
import { seriesColor, withAlpha } from './palette';
import { backgroundPlugin } from './plugins';
import { baseOptions, CHART_WIDTH, type ChartSpec } from './types';

/** Runs that enter statistics (not warm-up, ok, valid, not a solo baseline; cold ones as the experiment's coldRuns says). */
export function countedRuns(runs: readonly RunRecord[], coldRuns: ColdRuns = 'exclude'): RunRecord[] {
  return runs.filter((r) => exclusionOf(r, coldRuns) === null && r.soloAgent === undefined);
}

/**
 * What a figure's caption says about cold runs (measured runs that paid for an unplanned model load) when
 * there are any: the figures keep or leave them out exactly as the statistics do (coldRuns).
 */
export function coldRunsCaption(anyCold: boolean, coldRuns: ColdRuns = 'exclude'): string {
  if (!anyCold) return '';
  return coldRuns === 'include'
    ? ' Cold runs (unplanned model load) are included, as coldRuns "include" asks.'
    : ' Cold runs (unplanned model load) are left out (coldRuns "exclude", the default).';
}

const MAX_TIMELINE_RUNS = 12;
/** Bars per run stay readable up to about this many runs; beyond, the first ones are drawn and the caption says so. */
const MAX_EFFICIENCY_RUNS = 120;
const MAX_POINTS_PER_SERIES = 3000;

/** Horizontal floating bars [start offset, start offset + wall] per agent per run; null without multi-agent runs. */
export function timelineChart(runs: readonly RunRecord[], coldRuns: ColdRuns = 'exclude'): ChartSpec | null {
  const ma = countedRuns(runs, coldRuns).filter((r) => r.agents && r.agents.length > 0).slice(0, MAX_TIMELINE_RUNS);
  if (ma.length === 0) return null;
  const agents = [...new Set(ma.flatMap((r) => r.agents!.map((a) => a.name)))];
  const labels = ma.flatMap((r) => r.agents!.map((a) => `run ${r.run} · ${a.name}`));
  const datasets = agents.map((name, i) => ({
    label: name,
    data: ma.flatMap((r) => r.agents!.map((a) => (a.name === name ? [a.startOffsetMs, a.startOffsetMs + a.wallMs] as [number, number] : null))),
    backgroundColor: withAlpha(seriesColor(i), 0.75),
    borderColor: seriesColor(i),
    borderWidth: 1,
    grouped: false,
    barPercentage: 0.8,
    categoryPercentage: 0.9,
  }));
  const title = 'Multi-agent timeline';
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels, datasets },
    options: { ...baseOptions<'bar'>(title, 'Each bar: one agent in one concurrent run, from its start (offset to the earliest agent start) to its end', { x: 'time since the run started (ms)', y: 'run · agent' }), indexAxis: 'y' },
    plugins: [backgroundPlugin],
  };
  (config.options!.scales!.x as Record<string, unknown>).beginAtZero = true;
  const shown = ma.length < countedRuns(runs, coldRuns).filter((r) => r.agents?.length).length ? ` (first ${ma.length} counted runs)` : '';
  return {
    name: 'multiagent_timeline', title,
    caption: `Per agent and counted run${shown}: start offset → end of the agent's workflow, ms from the earliest agent start.`,
    width: CHART_WIDTH, height: Math.max(360, 90 + labels.length * 28), config,
  };
}

/** Overlap efficiency (%, bars) and real speedup (×, line) per counted multi-agent run. */
export function efficiencySpeedupChart(runs: readonly RunRecord[], coldRuns: ColdRuns = 'exclude'): ChartSpec | null {
  const all = countedRuns(runs, coldRuns).filter((r) => r.multiAgent);
  if (all.length === 0) return null;
  const ma = all.slice(0, MAX_EFFICIENCY_RUNS);
  const hasSpeedup = ma.some((r) => r.multiAgent!.speedup_vs_sequential !== null);
  const title = hasSpeedup ? 'Overlap efficiency vs real speedup per run' : 'Overlap efficiency per run';
  const datasets: ChartConfiguration<'bar' | 'line'>['data']['datasets'] = [{
    type: 'bar',
    label: 'overlap_efficiency (%) — the original "parallel efficiency"',
    data: ma.map((r) => r.multiAgent!.overlap_efficiency),
    backgroundColor: withAlpha(seriesColor(0), 0.6),
    borderColor: seriesColor(0),
    borderWidth: 1,
    yAxisID: 'y',
    order: 2,
  }];
  if (hasSpeedup) {
    datasets.push({
      type: 'line',
      label: 'speedup_vs_sequential (×, measured solo baseline)',
      data: ma.map((r) => r.multiAgent!.speedup_vs_sequential),
      borderColor: seriesColor(5),
      backgroundColor: seriesColor(5),
      borderWidth: 2.5,
      pointRadius: 5,
      yAxisID: 'y2',
      order: 1,
    });
  }
  const config: ChartConfiguration<'bar' | 'line'> = {
    type: 'bar',
    data: { labels: ma.map((r) => `run ${r.run}`), datasets },
    options: baseOptions<'bar'>(title, 'Overlap efficiency = Σ agent wall / concurrent wall / N × 100; speedup = Σ solo wall / concurrent wall', { x: 'counted run', y: 'overlap efficiency (%)', ...(hasSpeedup ? { y2: 'speedup vs sequential (×)' } : {}) }) as ChartConfiguration<'bar' | 'line'>['options'],
    plugins: [backgroundPlugin],
  };
  (config.options!.scales!.y as Record<string, unknown>).beginAtZero = true;
  if (hasSpeedup) (config.options!.scales!.y2 as Record<string, unknown>).beginAtZero = true;
  return {
    name: 'multiagent_efficiency_speedup', title,
    caption: `Per counted multi-agent run${ma.length < all.length ? ` (the first ${ma.length} of ${all.length})` : ''}: overlap efficiency (bars, left axis) and, when a solo baseline was measured, the real speedup (line, right axis).`,
    width: CHART_WIDTH, height: 520, config,
  };
}

/** Every k-th element so at most `max` remain (deterministic thinning for very large TRs). */
function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * step)]);
}

/** Per-call scatter of client TTFT (x) against decode rate (y), one series per variant. */
export function ttftVsTpsScatter(runs: readonly RunRecord[], coldRuns: ColdRuns = 'exclude'): ChartSpec | null {
  const byVariant = new Map<string, { x: number; y: number }[]>();
  for (const r of countedRuns(runs, coldRuns)) {
    const calls = r.agents && r.agents.some((a) => a.calls.length) ? r.agents.flatMap((a) => a.calls) : r.calls;
    for (const c of calls) {
      const x = c.metrics?.ttft_ms;
      const y = c.metrics?.decode_tps;
      if (c.status !== 'ok' || typeof x !== 'number' || typeof y !== 'number') continue;
      const list = byVariant.get(r.variant) ?? [];
      list.push({ x, y });
      byVariant.set(r.variant, list);
    }
  }
  if (byVariant.size === 0) return null;
  const title = 'Per-call TTFT vs decode rate';
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: {
      datasets: [...byVariant].map(([name, points], i) => ({
        label: `${name} (${points.length} calls)`,
        data: thin(points, MAX_POINTS_PER_SERIES),
        backgroundColor: withAlpha(seriesColor(i), 0.65),
        borderColor: seriesColor(i),
        pointRadius: 4,
      })),
    },
    options: baseOptions<'scatter'>(title, 'One point per ok call of the counted runs', { x: 'ttft_ms (client, ms)', y: 'decode_tps (tok/s)' }),
    plugins: [backgroundPlugin],
  };
  return {
    name: 'ttft_vs_tps', title,
    caption: 'Each ok call of the counted runs: client time to first token (x) against server decode rate (y), coloured by variant.',
    width: CHART_WIDTH, height: 560, config,
  };
}
