// Plugins the dashboard's charts may name by id. The report's plugins are reused where their colours
// can be set (background, error bars); the box whiskers are drawn here in the theme's foreground
// (the report's version draws dark ink meant for white paper).
import type { Chart, Plugin } from 'chart.js';
import { backgroundPlugin, errorBarsPlugin, type BoxWhiskersOptions } from '../src/core/charts/plugins';

function line(ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number): void {
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
}

/** Box plot on floating-bar dataset 0 ([p25, p75]): whiskers to low/high and a median line, in `color`. */
export const themedBoxWhiskers: Plugin = {
  id: 'cfBoxWhiskers',
  afterDatasetsDraw(chart: Chart, _args, opts: Partial<BoxWhiskersOptions> & { color?: string }) {
    const meta = chart.getDatasetMeta(0);
    const y = chart.scales.y;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = opts.color ?? '#888';
    (opts.boxes ?? []).forEach((b, i) => {
      const el = meta.data[i] as unknown as { x: number; width: number } | undefined;
      const bar = chart.data.datasets[0].data[i] as unknown as [number, number] | undefined;
      if (!b || !el || !bar) return;
      const half = el.width / 2;
      const px = (v: number): number => y.getPixelForValue(v);
      ctx.lineWidth = 1.5;
      line(ctx, el.x, px(b.high), el.x, px(bar[1]));
      line(ctx, el.x, px(bar[0]), el.x, px(b.low));
      line(ctx, el.x - half / 2, px(b.high), el.x + half / 2, px(b.high));
      line(ctx, el.x - half / 2, px(b.low), el.x + half / 2, px(b.low));
      ctx.lineWidth = 3;
      line(ctx, el.x - half, px(b.median), el.x + half, px(b.median));
    });
    ctx.restore();
  },
};

const REGISTRY: Record<string, Plugin> = {
  cfBackground: backgroundPlugin,
  cfErrorBars: errorBarsPlugin,
  cfBoxWhiskers: themedBoxWhiskers,
};

/** The plugin objects for ids; unknown ids are reported, not silently dropped. */
export function pluginsFor(ids: readonly string[]): { plugins: Plugin[]; unknown: string[] } {
  const plugins: Plugin[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const p = REGISTRY[id];
    if (p) plugins.push(p);
    else unknown.push(id);
  }
  return { plugins, unknown };
}
