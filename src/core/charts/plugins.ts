// Chart.js plugins that draw what the stock charts lack: 95% CI error bars, box-plot whiskers and
// medians, heatmap cells with a colour scale, and an opaque background. Pure drawing on chart.ctx
// (no DOM, no node imports), so the dashboard webview and the PNG renderer share them.
import type { Chart, ChartType, Plugin } from 'chart.js';
import { rampColor, rampTextColor, TEXT_COLOR } from './palette';

export interface ErrorBarsOptions {
  /** Per dataset, per data index: [lo, hi] in data units, or null for none. */
  intervals: ([number, number] | null)[][];
  color?: string;
}
export interface BoxWhiskersOptions {
  /** Per data index: the box's whisker ends and median (the box itself is the floating bar [p25, p75]). */
  boxes: ({ low: number; high: number; median: number } | null)[];
  /** Whisker and median colour (default: dark ink for report PNGs; the dashboard passes the theme's foreground). */
  color?: string;
}
export interface HeatmapOptions {
  xLabels: string[];
  yLabels: string[];
  /** values[y][x]; null = no data for that cell. */
  values: (number | null)[][];
  /** Printed under each value, e.g. "n=5". */
  notes?: (string | null)[][];
  unit: string;
}

declare module 'chart.js' {
  // The augmented interface must repeat Chart.js's type parameter, which these options do not use.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    cfBackground?: { color: string };
    cfErrorBars?: ErrorBarsOptions;
    cfBoxWhiskers?: BoxWhiskersOptions;
    cfHeatmap?: HeatmapOptions;
  }
}

/** Paints the whole canvas before anything else, so figures read well in light and dark viewers. */
export const backgroundPlugin: Plugin = {
  id: 'cfBackground',
  beforeDraw(chart, _args, opts: { color?: string }) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = opts.color ?? '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/** Pixel of a data value on the value axis of a bar chart (x for horizontal bars, y otherwise). */
function valueScale(chart: Chart): { toPixel: (v: number) => number; horizontal: boolean } {
  const horizontal = chart.options.indexAxis === 'y';
  const scale = horizontal ? chart.scales.x : chart.scales.y;
  return { toPixel: (v: number) => scale.getPixelForValue(v), horizontal };
}

function line(chart: Chart, x1: number, y1: number, x2: number, y2: number): void {
  chart.ctx.beginPath();
  chart.ctx.moveTo(x1, y1);
  chart.ctx.lineTo(x2, y2);
  chart.ctx.stroke();
}

/** Whiskers with caps at each bar's [lo, hi]. */
export const errorBarsPlugin: Plugin = {
  id: 'cfErrorBars',
  afterDatasetsDraw(chart, _args, opts: Partial<ErrorBarsOptions>) {
    const intervals = opts.intervals ?? [];
    const { toPixel, horizontal } = valueScale(chart);
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = opts.color ?? TEXT_COLOR;
    ctx.lineWidth = 2;
    intervals.forEach((perIndex, di) => {
      const meta = chart.getDatasetMeta(di);
      if (meta.hidden) return;
      perIndex.forEach((iv, i) => {
        const el = meta.data[i] as unknown as { x: number; y: number; width?: number; height?: number } | undefined;
        if (!iv || !el) return;
        const lo = toPixel(iv[0]);
        const hi = toPixel(iv[1]);
        const cap = Math.max(6, Math.min(18, ((horizontal ? el.height : el.width) ?? 24) * 0.25));
        if (horizontal) {
          line(chart, lo, el.y, hi, el.y);
          line(chart, lo, el.y - cap / 2, lo, el.y + cap / 2);
          line(chart, hi, el.y - cap / 2, hi, el.y + cap / 2);
        } else {
          line(chart, el.x, lo, el.x, hi);
          line(chart, el.x - cap / 2, lo, el.x + cap / 2, lo);
          line(chart, el.x - cap / 2, hi, el.x + cap / 2, hi);
        }
      });
    });
    ctx.restore();
  },
};

/** Box plot on a floating-bar dataset 0 ([p25, p75]): whiskers to low/high and a median line. */
export const boxWhiskersPlugin: Plugin = {
  id: 'cfBoxWhiskers',
  afterDatasetsDraw(chart, _args, opts: Partial<BoxWhiskersOptions>) {
    const meta = chart.getDatasetMeta(0);
    const { toPixel } = valueScale(chart);
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = opts.color ?? TEXT_COLOR;
    (opts.boxes ?? []).forEach((b, i) => {
      const el = meta.data[i] as unknown as { x: number; width: number } | undefined;
      if (!b || !el) return;
      const half = el.width / 2;
      const bar = chart.data.datasets[0].data[i] as unknown as [number, number];
      ctx.lineWidth = 1.5;
      line(chart, el.x, toPixel(b.high), el.x, toPixel(bar[1]));
      line(chart, el.x, toPixel(bar[0]), el.x, toPixel(b.low));
      line(chart, el.x - half / 2, toPixel(b.high), el.x + half / 2, toPixel(b.high));
      line(chart, el.x - half / 2, toPixel(b.low), el.x + half / 2, toPixel(b.low));
      ctx.lineWidth = 3;
      line(chart, el.x - half, toPixel(b.median), el.x + half, toPixel(b.median));
    });
    ctx.restore();
  },
};

/** Heatmap cells over category x/y scales, value labels, and a colour bar at the right. */
export const heatmapPlugin: Plugin = {
  id: 'cfHeatmap',
  beforeDatasetsDraw(chart, _args, opts: Partial<HeatmapOptions>) {
    const { xLabels = [], yLabels = [], values = [], notes, unit = '' } = opts;
    const present = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
    if (present.length === 0) return;
    const min = Math.min(...present);
    const max = Math.max(...present);
    const t = (v: number): number => (max === min ? 0.5 : (v - min) / (max - min));
    const xs = chart.scales.x;
    const ys = chart.scales.y;
    const cw = (xs.right - xs.left) / Math.max(1, xLabels.length);
    const ch = (ys.bottom - ys.top) / Math.max(1, yLabels.length);
    const ctx = chart.ctx;
    ctx.save();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    yLabels.forEach((_, yi) => xLabels.forEach((_, xi) => {
      const v = values[yi]?.[xi];
      const cx = xs.getPixelForValue(xi);
      const cy = ys.getPixelForValue(yi);
      ctx.fillStyle = v === null || v === undefined ? '#eeeeee' : rampColor(t(v));
      ctx.fillRect(cx - cw / 2 + 1, cy - ch / 2 + 1, cw - 2, ch - 2);
      ctx.fillStyle = v === null || v === undefined ? '#777777' : rampTextColor(t(v));
      ctx.font = `bold ${Math.round(Math.min(18, ch / 3))}px ${fontFamily(chart)}`;
      ctx.fillText(v === null || v === undefined ? 'no data' : formatCell(v), cx, cy - (notes ? ch / 9 : 0));
      const note = notes?.[yi]?.[xi];
      if (note) {
        ctx.font = `${Math.round(Math.min(13, ch / 5))}px ${fontFamily(chart)}`;
        ctx.fillText(note, cx, cy + ch / 5);
      }
    }));
    // Colour bar: min at the bottom, max at the top.
    const barX = xs.right + 24;
    const steps = 40;
    for (let s = 0; s < steps; s++) {
      ctx.fillStyle = rampColor(s / (steps - 1));
      const y = ys.bottom - ((s + 1) * (ys.bottom - ys.top)) / steps;
      ctx.fillRect(barX, y, 16, (ys.bottom - ys.top) / steps + 1);
    }
    ctx.fillStyle = TEXT_COLOR;
    ctx.font = `12px ${fontFamily(chart)}`;
    ctx.textAlign = 'left';
    ctx.fillText(`${formatCell(max)} ${unit}`, barX + 20, ys.top + 6);
    ctx.fillText(`${formatCell(min)} ${unit}`, barX + 20, ys.bottom - 6);
    ctx.restore();
  },
};

/** The family Chart.js resolved for this chart (the renderer sets one the host has), for plugin text. */
function fontFamily(chart: Chart): string {
  return (chart.options as { font?: { family?: string } }).font?.family ?? 'sans-serif';
}

function formatCell(v: number): string {
  const a = Math.abs(v);
  // Four significant figures: neighbouring sweep cells often differ by well under 1%.
  return a >= 1000 ? v.toFixed(0) : a >= 100 ? v.toFixed(1) : a >= 10 ? v.toFixed(2) : v.toFixed(3);
}
