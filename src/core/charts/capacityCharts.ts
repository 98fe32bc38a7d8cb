// Capacity figures from summary.capacity alone: throughput vs level, the latency–throughput curve
// (p95 TTFT vs requests/s, the knee marked), goodput vs level. One line per variant.
import type { ChartConfiguration } from 'chart.js';
import type { CapacityLevelSummary, CapacitySummary } from '../capacity/summary';
import { seriesColor } from './palette';
import { backgroundPlugin } from './plugins';
import { baseOptions, CHART_HEIGHT, CHART_WIDTH, type ChartSpec } from './types';

type Point = { x: number; y: number };

function lineChart(name: string, title: string, caption: string, axes: { x: string; y: string }, c: CapacitySummary, point: (l: CapacityLevelSummary) => Point | null, knee = false): ChartSpec | null {
  const datasets = c.variants.map((v, i) => {
    const levels = v.levels.map((l) => ({ l, p: point(l) })).filter((e): e is { l: CapacityLevelSummary; p: Point } => e.p !== null);
    return {
      label: v.name,
      data: levels.map((e) => e.p),
      showLine: true,
      borderColor: seriesColor(i),
      backgroundColor: seriesColor(i),
      // The knee is drawn as a larger triangle on the variant's own line.
      pointRadius: levels.map((e) => (knee && e.l.level === v.knee ? 9 : 4)),
      pointStyle: levels.map((e) => (knee && e.l.level === v.knee ? 'triangle' : 'circle')),
    };
  });
  if (datasets.every((d) => d.data.length === 0)) return null;
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: { datasets },
    options: baseOptions<'scatter'>(title, caption, axes),
    plugins: [backgroundPlugin],
  };
  return { name, title, caption, width: CHART_WIDTH, height: CHART_HEIGHT, config: config as ChartSpec['config'] };
}

export function capacityCharts(c: CapacitySummary | undefined): ChartSpec[] {
  if (!c) return [];
  const levelAxis = c.mode === 'concurrency' ? 'level (concurrent requests)' : 'level (requests/s asked)';
  return [
    lineChart('capacity_throughput', 'Throughput vs load level', 'Mean output_tps over repetitions (Σ eval_count of requests ending in the window / durationS) per level.', { x: levelAxis, y: 'output_tps (tok/s)' }, c, (l) => ({ x: l.level, y: l.output_tps.mean })),
    lineChart('capacity_latency_throughput', 'p95 TTFT vs throughput (knee marked ▲)', 'Each point one level: mean throughput_rps (x) and mean p95 ttft_ms (y) over repetitions; the triangle marks the knee.', { x: 'throughput_rps (requests/s)', y: 'p95 ttft_ms' }, c, (l) => (l.ttft_ms ? { x: l.throughput_rps.mean, y: l.ttft_ms.p95.mean } : null), true),
    c.slo ? lineChart('capacity_goodput', 'Goodput vs load level', 'Mean goodput_pct over repetitions: counted requests meeting every SLO bound.', { x: levelAxis, y: 'goodput (%)' }, c, (l) => (l.goodput_pct ? { x: l.level, y: l.goodput_pct.mean } : null)) : null,
  ].filter((s): s is ChartSpec => s !== null);
}
