// Chart.js in the webview: registration, theming of a configuration (report figures and live charts
// alike), creation in a sized box, cheap updates, and what each chart drew (for `rendered`).
import { Chart, registerables, type ChartConfiguration } from 'chart.js';
import type { RenderedFigure } from '../src/shared/protocol';
import { h } from './dom';
import { pluginsFor } from './plugins';
import { seriesColor, withAlpha, type Theme } from './theme';

Chart.register(...registerables);

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const obj = (parent: Obj, key: string): Obj => (isObj(parent[key]) ? (parent[key] as Obj) : (parent[key] = {}) as Obj);

/** Alpha of an rgba() colour the definition chose (keeps its fill strength), else `dflt`. */
function alphaOf(c: unknown, dflt: number): number {
  const m = typeof c === 'string' ? /rgba\([^)]*,\s*([\d.]+)\s*\)$/.exec(c) : null;
  return m ? Number(m[1]) : dflt;
}

/** Recolours a configuration with the theme: text, grid, background and series colours. Mutates `config`. */
export function themeConfig(config: Obj, t: Theme): Obj {
  const options = obj(config, 'options');
  options.animation = false;
  options.responsive = true;
  options.maintainAspectRatio = false;
  const plugins = obj(options, 'plugins');
  Object.assign(obj(plugins, 'title'), { color: t.fg });
  Object.assign(obj(plugins, 'subtitle'), { color: t.muted });
  Object.assign(obj(obj(plugins, 'legend'), 'labels'), { color: t.fg });
  plugins.cfBackground = { color: t.bg };
  if (isObj(plugins.cfErrorBars)) plugins.cfErrorBars.color = t.fg;
  if (isObj(plugins.cfBoxWhiskers)) plugins.cfBoxWhiskers.color = t.fg;
  for (const scale of Object.values(obj(options, 'scales'))) {
    if (!isObj(scale)) continue;
    Object.assign(obj(scale, 'title'), { color: t.fg });
    Object.assign(obj(scale, 'ticks'), { color: t.muted });
    const grid = obj(scale, 'grid');
    if (grid.display !== false) grid.color = t.grid;
    Object.assign(obj(scale, 'border'), { color: t.grid });
  }
  const data = obj(config, 'data');
  const datasets = Array.isArray(data.datasets) ? (data.datasets as Obj[]) : [];
  datasets.forEach((ds, di) => {
    if (Array.isArray(ds.backgroundColor)) {
      const a = alphaOf(ds.backgroundColor[0], 0.7);
      ds.backgroundColor = ds.backgroundColor.map((_, i) => withAlpha(seriesColor(t, i), a));
      ds.borderColor = (ds.backgroundColor as string[]).map((_, i) => seriesColor(t, i));
    } else {
      const c = seriesColor(t, typeof ds.colorIndex === 'number' ? ds.colorIndex : di);
      ds.backgroundColor = withAlpha(c, alphaOf(ds.backgroundColor, ds.type === 'line' || config.type === 'line' ? 1 : 0.7));
      ds.borderColor = c;
    }
  });
  Chart.defaults.font.family = t.font;
  Chart.defaults.color = t.fg;
  return config;
}

/** Plotted values: non-null numbers, [lo, hi] pairs and {x, y} points. */
export function pointCount(config: { data: { datasets: { data: unknown[] }[] } }): number {
  let n = 0;
  for (const ds of config.data.datasets) {
    for (const v of ds.data) {
      if (typeof v === 'number' ? Number.isFinite(v) : Array.isArray(v) ? v.every((x) => typeof x === 'number') : isObj(v) && typeof v.y === 'number') n++;
    }
  }
  return n;
}

export interface ManagedChart { id: string; chart: Chart; box: HTMLElement }

/** A canvas in a box of the given height, with the chart drawn in it. */
export function createChart(id: string, config: Obj, pluginIds: readonly string[], t: Theme, height: number, parent: HTMLElement): ManagedChart {
  const canvas = h('canvas', { role: 'img', 'aria-label': id });
  const box = h('div', { class: 'chart-box', 'data-chart': id }, canvas);
  box.style.height = `${Math.round(height)}px`;
  parent.append(box);
  const { plugins, unknown } = pluginsFor(pluginIds);
  if (unknown.length) console.warn(`chart ${id}: unknown plugins ${unknown.join(', ')}`);
  const themed = themeConfig(config, t) as unknown as ChartConfiguration;
  themed.plugins = plugins;
  const chart = new Chart(canvas, themed);
  return { id, chart, box };
}

/** Fraction of sampled pixels inside the chart area that differ from the painted background (0 = blank). */
export function inkFraction(chart: Chart): number {
  const area = chart.chartArea;
  const ctx = chart.ctx;
  if (!area || area.width < 2 || area.height < 2) return 0;
  const ratio = chart.currentDevicePixelRatio || 1;
  const img = ctx.getImageData(Math.round(area.left * ratio), Math.round(area.top * ratio), Math.max(1, Math.round(area.width * ratio)), Math.max(1, Math.round(area.height * ratio)));
  const d = img.data;
  // The background is the most common colour of the sample; ink is everything else.
  const counts = new Map<number, number>();
  let seen = 0;
  for (let i = 0; i < d.length; i += 4 * 7) {
    seen++;
    const key = ((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const bgCount = Math.max(0, ...counts.values());
  const ink = seen - bgCount;
  return seen ? ink / seen : 0;
}

export function renderedFigure(m: ManagedChart): RenderedFigure {
  const points = pointCount(m.chart.config as unknown as { data: { datasets: { data: unknown[] }[] } });
  const ink = inkFraction(m.chart);
  return { id: m.id, kind: String((m.chart.config as { type?: string }).type ?? 'chart'), points, nonEmpty: points > 0 && ink > 0, ink: Math.round(ink * 1000) / 1000 };
}
