// Heatmaps of a sweep: the mean of a metric over two swept options (e.g. num_gpu × num_ctx), one
// figure per combination of the remaining swept options, so values of different settings never mix.
import type { ChartConfiguration } from 'chart.js';
import { statOf, type RunSummary } from '../stats/summaryTypes';
import { backgroundPlugin, heatmapPlugin } from './plugins';
import { baseOptions, chartName, type ChartSpec } from './types';

const MAX_FIGURES = 6;

function withTitle(config: ChartSpec['config'], text: string): ChartSpec['config'] {
  const plugins = config.options?.plugins;
  return { ...config, options: { ...config.options, plugins: { ...plugins, title: { ...plugins?.title, text } } } } as ChartSpec['config'];
}

function key(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function sortValues(values: unknown[]): unknown[] {
  return [...values].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : key(a).localeCompare(key(b))));
}

/**
 * The swept axes: the experiment's sweep keys when given, else the option keys whose values differ
 * between variants (in order of first appearance). Each axis with its distinct values, sorted.
 */
export function sweepAxes(summary: RunSummary, sweep?: Record<string, unknown[]>): { name: string; values: unknown[] }[] {
  const variants = summary.variants.filter((v) => v.n > 0);
  const names = sweep ? Object.keys(sweep) : [...new Set(variants.flatMap((v) => Object.keys(v.options)))];
  return names
    .map((name) => {
      const seen = new Map<string, unknown>();
      let scalar = true;
      for (const v of variants) {
        if (!(name in v.options)) continue;
        const x = v.options[name];
        // Per-agent option objects (multi-agent variants) are not an axis.
        if (typeof x !== 'number' && typeof x !== 'string' && typeof x !== 'boolean') scalar = false;
        seen.set(key(x), x);
      }
      return { name, values: scalar ? sortValues([...seen.values()]) : [] };
    })
    .filter((a) => a.values.length > 1);
}

/**
 * One heatmap per model and per combination of the axes beyond the first two; [] unless two axes
 * vary. `modelOf` names each variant's model, so variants of different models never share a figure.
 */
export function sweepHeatmaps(summary: RunSummary, metric = 'decode_tps', sweep?: Record<string, unknown[]>, modelOf?: (variant: string) => string): ChartSpec[] {
  const models = [...new Set(summary.variants.map((v) => modelOf?.(v.name) ?? ''))];
  if (models.length > 1) {
    return models.flatMap((m) => sweepHeatmaps({ ...summary, variants: summary.variants.filter((v) => modelOf!(v.name) === m) } as RunSummary, metric, sweep)
      .map((spec) => ({ ...spec, name: chartName(spec.name, m), title: `${spec.title} — ${m}`, caption: `${spec.caption} Model ${m}.`, config: withTitle(spec.config, `${spec.title} — ${m}`) })))
      .slice(0, MAX_FIGURES);
  }
  const axes = sweepAxes(summary, sweep);
  if (axes.length < 2) return [];
  const [yAxis, xAxis, ...rest] = axes;
  let combos: Record<string, unknown>[] = [{}];
  for (const a of rest) combos = combos.flatMap((c) => a.values.map((v) => ({ ...c, [a.name]: v })));
  const variants = summary.variants.filter((v) => v.n > 0);
  const specs: ChartSpec[] = [];
  for (const combo of combos.slice(0, MAX_FIGURES)) {
    const inCombo = variants.filter((v) => Object.entries(combo).every(([k, val]) => key(v.options[k]) === key(val)));
    const cell = (yv: unknown, xv: unknown): { mean: number; n: number } | null => {
      const v = inCombo.find((c) => key(c.options[yAxis.name]) === key(yv) && key(c.options[xAxis.name]) === key(xv));
      const s = v ? statOf(v, metric) : null;
      return s ? { mean: s.mean, n: s.n } : null;
    };
    const values = yAxis.values.map((yv) => xAxis.values.map((xv) => cell(yv, xv)?.mean ?? null));
    // A sparse grid (a few hand-picked configurations) reads better as a table than as a heatmap.
    const filled = values.flat().filter((v) => v !== null).length;
    if (filled < 2 || filled < values.flat().length / 2) continue;
    const notes = yAxis.values.map((yv) => xAxis.values.map((xv) => { const c = cell(yv, xv); return c ? `n=${c.n}` : null; }));
    const fixed = Object.entries(combo).map(([k, v]) => `${k}=${key(v)}`).join(', ');
    const title = `Sweep: mean ${metric} over ${yAxis.name} × ${xAxis.name}${fixed ? ` (${fixed})` : ''}`;
    const xLabels = xAxis.values.map(key);
    const yLabels = yAxis.values.map(key);
    const unit = metric.endsWith('_tps') ? 'tok/s' : metric.endsWith('_ms') ? 'ms' : '';
    const config: ChartConfiguration<'scatter'> = {
      type: 'scatter',
      data: { datasets: [{ label: metric, data: [], pointRadius: 0 }] },
      options: baseOptions<'scatter'>(title, `Cell = mean of per-run ${metric} (${unit}) of the variant with those options; colour scale at the right`, { x: xAxis.name, y: yAxis.name }, false),
      plugins: [backgroundPlugin, heatmapPlugin],
    };
    const o = config.options!;
    o.layout = { padding: { left: 8, right: 110, top: 8, bottom: 8 } };
    Object.assign(o.scales!.x as object, { type: 'category', labels: xLabels, offset: true, grid: { display: false } });
    Object.assign(o.scales!.y as object, { type: 'category', labels: yLabels, offset: true, grid: { display: false } });
    o.plugins!.cfHeatmap = { xLabels, yLabels, values, notes, unit };
    specs.push({
      name: chartName('sweep', metric, ...Object.entries(combo).map(([k, v]) => `${k}-${key(v)}`)),
      title,
      caption: `Mean ${metric} per sweep cell (${yAxis.name} rows × ${xAxis.name} columns${fixed ? `, ${fixed}` : ''}), n = counted runs per cell.`,
      width: Math.max(720, 160 * xLabels.length + 260), height: Math.max(420, 90 * yLabels.length + 170), config,
    });
  }
  return specs;
}
