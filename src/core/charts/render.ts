// Node renderer: Chart.js into an @napi-rs/canvas canvas, PNG out. Report figures only; the dashboard
// draws the same ChartSpec configurations in its webview.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import type { ChartSpec } from './types';

let registered = false;

function ensureRegistered(): void {
  if (registered) return;
  Chart.register(...registerables);
  // Fonts present on Debian/Ubuntu and most Linux desktops first; Chart.js falls back to sans-serif.
  Chart.defaults.font.family = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";
  Chart.defaults.font.size = 12;
  registered = true;
}

/** PNG bytes of one chart (the chart is destroyed afterwards). */
export function renderChartPng(spec: ChartSpec): Buffer {
  ensureRegistered();
  const canvas = createCanvas(spec.width, spec.height);
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
