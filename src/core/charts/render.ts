// Node renderer: Chart.js into an @napi-rs/canvas canvas, PNG out. Report figures only; the dashboard
// draws the same ChartSpec configurations in its webview.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import type * as ChartJs from 'chart.js';
import type { ChartSpec } from './types';

let chartJs: typeof ChartJs | null = null;

/**
 * Chart.js is loaded from node_modules when the first figure is drawn (esbuild keeps it external in the
 * extension and CLI bundles): only the webview bundle carries Chart.js, and an install without
 * node_modules (the .vsix) still starts and writes its reports without figures.
 */
function ensureRegistered(): typeof ChartJs {
  if (chartJs) return chartJs;
  const loaded = createRequire(__filename)('chart.js') as typeof ChartJs;
  const { Chart, registerables } = loaded;
  Chart.register(...registerables);
  // Fonts present on Debian/Ubuntu and most Linux desktops first; Chart.js falls back to sans-serif.
  Chart.defaults.font.family = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";
  Chart.defaults.font.size = 12;
  chartJs = loaded;
  return loaded;
}

/** PNG bytes of one chart (the chart is destroyed afterwards). */
export function renderChartPng(spec: ChartSpec): Buffer {
  const canvas = createCanvas(spec.width, spec.height);
  const { Chart } = ensureRegistered();
  const chart = new Chart(canvas as unknown as ConstructorParameters<typeof Chart>[0], spec.config);
  try {
    chart.draw();
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

/**
 * Writes each chart to <trDir>/charts/<name>.png and removes PNGs there that no longer belong to the
 * report (a regenerated report never shows a stale figure). Returns paths relative to trDir.
 */
export function writeChartPngs(trDir: string, specs: readonly ChartSpec[]): string[] {
  const dir = join(trDir, 'charts');
  mkdirSync(dir, { recursive: true });
  const files = specs.map((s) => `${s.name}.png`);
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.png') && !files.includes(f)) rmSync(join(dir, f), { force: true });
  }
  specs.forEach((s, i) => {
    // temp + rename: a viewer never sees half a PNG.
    const tmp = join(dir, `.${files[i]}.${process.pid}.tmp`);
    writeFileSync(tmp, renderChartPng(s));
    renameSync(tmp, join(dir, files[i]));
  });
  return files.map((f) => `charts/${f}`);
}
