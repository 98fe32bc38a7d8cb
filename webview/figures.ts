// Report figures in the dashboard: Chart.js payloads drawn in a themed canvas, sweep heatmaps drawn
// as tables of coloured cells (the ramp encodes the value; labels stay in the theme's text colour).
import { rampColor, rampTextColor } from '../src/core/charts/palette';
import type { ChartPayload, FigurePayload, HeatmapPayload, RenderedFigure } from '../src/shared/protocol';
import { createChart, renderedFigure, type ManagedChart } from './charts';
import { h } from './dom';
import { num } from './format';
import type { Theme } from './theme';

export interface DrawnFigure { el: HTMLElement; report(): RenderedFigure; chart?: ManagedChart }

function chartHeight(p: ChartPayload): number {
  return Math.min(640, Math.max(300, p.height * 0.72));
}

function heatmap(p: HeatmapPayload): DrawnFigure {
  const present = p.values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const min = Math.min(...present);
  const max = Math.max(...present);
  const t = (v: number): number => (max === min ? 0.5 : (v - min) / (max - min));
  const head = h('tr', {}, h('th', { scope: 'col', class: 'corner' }, `${p.yName} \\ ${p.xName}`), ...p.xLabels.map((x) => h('th', { scope: 'col' }, x)));
  const body = p.yLabels.map((y, yi) => h('tr', {}, h('th', { scope: 'row' }, y), ...p.xLabels.map((_, xi) => {
    const v = p.values[yi]?.[xi] ?? null;
    if (v === null) return h('td', { class: 'heat empty' }, 'no data');
    const cell = h('td', { class: 'heat', title: `${p.yName}=${y}, ${p.xName}=${p.xLabels[xi]}: ${num(v, p.unit)}` }, h('span', { class: 'heat-value' }, num(v)), h('span', { class: 'heat-note' }, p.notes[yi]?.[xi] ?? ''));
    cell.style.background = rampColor(t(v));
    cell.style.color = rampTextColor(t(v));
    return cell;
  })));
  const legend = h('p', { class: 'muted' }, `Colour: ${num(min, p.unit)} (dark) → ${num(max, p.unit)} (light)`);
  const el = h('section', { class: 'card wide figure', 'data-figure': p.id },
    h('h3', {}, p.title), h('p', { class: 'caption' }, p.caption),
    h('table', { class: 'heatmap' }, h('thead', {}, head), h('tbody', {}, ...body)), legend);
  return { el, report: () => ({ id: p.id, kind: 'heatmap', points: present.length, nonEmpty: present.length > 0 }) };
}

/** Draws a figure into `parent` (appended first: a chart sizes itself from its attached box). */
export function drawFigure(p: FigurePayload, theme: Theme, parent: HTMLElement): DrawnFigure {
  if (p.kind === 'heatmap') {
    const d = heatmap(p);
    parent.append(d.el);
    return d;
  }
  const el = h('section', { class: 'card figure', 'data-figure': p.id });
  parent.append(el);
  // Each draw gets its own copy: theming mutates the configuration.
  const chart = createChart(p.id, structuredClone(p.config), p.plugins, theme, chartHeight(p), el);
  el.append(h('p', { class: 'caption' }, p.caption));
  return { el, chart, report: () => renderedFigure(chart) };
}
