// A chart definition: a Chart.js configuration plus what a report needs to place it (file stem,
// title, caption, size). Built by pure functions, rendered by the node renderer or the dashboard.
import type { ChartConfiguration, ChartType } from 'chart.js';
import { GRID_COLOR, TEXT_COLOR } from './palette';

export interface ChartSpec {
  /** File stem under charts/ ("throughput" → charts/throughput.png); [a-z0-9_-] only. */
  name: string;
  title: string;
  /** One sentence for the report: what is drawn and how (which statistic, which interval). */
  caption: string;
  width: number;
  height: number;
  config: ChartConfiguration;
}

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 560;

export interface AxisTitles { x: string; y: string; y2?: string }

/** Options every figure shares: no animation, fixed size, titled axes, readable fonts. */
export function baseOptions<T extends ChartType>(title: string, subtitle: string, axes: AxisTitles, legend = true): NonNullable<ChartConfiguration<T>['options']> {
  const axis = (text: string): Record<string, unknown> => ({
    title: { display: true, text, color: TEXT_COLOR, font: { size: 14, weight: 'bold' } },
    ticks: { color: TEXT_COLOR, font: { size: 12 } },
    grid: { color: GRID_COLOR },
  });
  return {
    animation: false,
    responsive: false,
    maintainAspectRatio: false,
    layout: { padding: { left: 8, right: 16, top: 8, bottom: 8 } },
    scales: {
      x: axis(axes.x),
      y: axis(axes.y),
      ...(axes.y2 ? { y2: { ...axis(axes.y2), position: 'right', grid: { drawOnChartArea: false } } } : {}),
    },
    plugins: {
      title: { display: true, text: title, color: TEXT_COLOR, font: { size: 18, weight: 'bold' }, padding: { top: 6, bottom: 4 } },
      subtitle: { display: subtitle !== '', text: subtitle, color: '#555555', font: { size: 13 }, padding: { bottom: 10 } },
      legend: { display: legend, labels: { color: TEXT_COLOR, font: { size: 13 } } },
      cfBackground: { color: '#ffffff' },
    },
  } as unknown as NonNullable<ChartConfiguration<T>['options']>;
}

/** A safe file stem from free text. */
export function chartName(...parts: string[]): string {
  return parts.join('_').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'chart';
}
