// dashboard.render_10k_ms: the real dashboard bundle (dist/webview.js + webview.css) in headless Chromium,
// drawing the TR view of a real 10,000-run TR (the host's loadTrView builds the init message, as the panel
// does). Timed inside the page from posting `init` to the webview's `rendered` answer; that answer comes
// after the webview's fixed 30 ms layout-settle timer, which is reported and included.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { loadTrView } from '../src/vscode/dashboard/trData';
import { readRunsSync } from '../src/core/store/read';
import type { RenderedMessage, ToWebview, TrViewData } from '../src/shared/protocol';
import { readTemplate, writeRunsJsonl } from './scale';
import { spreadOf, type Spread } from './lib/stats';

export const SETTLE_MS = 30;

export interface DashboardResult {
  runs: number;
  figures: number;
  points_drawn: number;
  largest_figure_points: number;
  render_10k_ms: Spread;
  includes_settle_ms: number;
}

const PAGE = `<!DOCTYPE html><html><head><meta charset="UTF-8"><link rel="stylesheet" href="webview.css"></head>
<body><main id="app"></main>
<script>
window.__rendered = [];
window.acquireVsCodeApi = () => ({
  postMessage: (m) => { if (m.type === 'rendered' || m.type === 'error') window.__rendered.push({ at: performance.now(), m }); },
  getState: () => undefined, setState: () => {},
});
</script>
<script src="webview.js"></script></body></html>`;

/**
 * The TR view's per-call scatter thins each series to 3,000 points; the figure is about drawing 10,000,
 * so that chart gets every counted call back (one point per run here), in the host's own payload.
 */
function unthinScatter(data: TrViewData, reports: string, trId: string, expected: number): void {
  const fig = data.figures.find((f) => f.kind === 'chart' && f.id === 'ttft_vs_tps');
  if (!fig || fig.kind !== 'chart') throw new Error(`dashboard: the TR view has no ttft_vs_tps chart (figures: ${data.figures.map((f) => f.id).join(', ')})`);
  const points = new Map<string, { x: number; y: number }[]>();
  for (const r of readRunsSync(join(reports, trId)).runs) {
    const m = r.calls[0]?.metrics;
    if (r.warmup || r.status !== 'ok' || !m || m.ttft_ms === null || m.decode_tps === null) continue;
    points.set(r.variant, [...(points.get(r.variant) ?? []), { x: m.ttft_ms, y: m.decode_tps }]);
  }
  const datasets = (fig.config.data as { datasets: { label: string; data: unknown[] }[] }).datasets;
  for (const ds of datasets) ds.data = points.get(ds.label.split(' (')[0]) ?? [];
  const total = datasets.reduce((n, ds) => n + ds.data.length, 0);
  if (total !== expected) throw new Error(`dashboard: the scatter holds ${total} points, expected ${expected}`);
}

export async function measureDashboard(templateTr: string, o: { reps: number; runs: number }, log: (s: string) => void): Promise<DashboardResult> {
  const root = mkdtempSync(join(tmpdir(), 'cf-bench-dash-'));
  try {
    const reports = join(root, 'reports');
    const trId = basename(templateTr);
    cpSync(templateTr, join(reports, trId), { recursive: true });
    writeRunsJsonl(join(reports, trId, 'runs.jsonl'), readTemplate(templateTr).run, o.runs);
    const data = await loadTrView(reports, trId);
    unthinScatter(data, reports, trId, o.runs);
    const init: ToWebview = { type: 'init', view: { kind: 'tr', trId, reportsDir: reports }, data: { kind: 'tr', tr: data } };

    const page = join(root, 'page');
    cpSync(resolve('dist', 'webview.js'), join(page, 'webview.js'));
    cpSync(resolve('dist', 'webview.css'), join(page, 'webview.css'));
    writeFileSync(join(page, 'index.html'), PAGE);
    const home = join(root, 'home');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'],
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    });
    const times: number[] = [];
    let last: RenderedMessage | null = null;
    try {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const p = await ctx.newPage();
      for (let rep = 0; rep < o.reps + 1; rep++) {
        await p.goto(pathToFileURL(join(page, 'index.html')).href);
        const cdp = process.env.CF_BENCH_PROFILE && rep === o.reps ? await ctx.newCDPSession(p) : null;
        if (cdp) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
        const r = await p.evaluate(async (msg) => {
          // Runs in the page (no DOM types here): the window, typed as far as this needs.
          const w = globalThis as unknown as { __rendered: { at: number; m: { type: string } }[]; postMessage(m: unknown, target: string): void };
          const t0 = performance.now();
          w.postMessage(msg, '*');
          while (w.__rendered.length === 0) await new Promise((res) => setTimeout(res, 1));
          return { ms: w.__rendered[0].at - t0, m: w.__rendered[0].m };
        }, init);
        if (cdp) writeFileSync(process.env.CF_BENCH_PROFILE!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
        if (r.m.type !== 'rendered') throw new Error(`dashboard: the webview answered ${JSON.stringify(r.m).slice(0, 300)}`);
        last = r.m as RenderedMessage;
        // The first load pays Chromium's cold start and code compilation once: kept out, as a warm-up.
        if (rep > 0) times.push(r.ms);
      }
    } finally {
      await browser.close();
    }
    const pts = last!.figures.map((f) => f.points);
    const out = {
      runs: o.runs,
      figures: last!.figures.length,
      points_drawn: pts.reduce((a, b) => a + b, 0),
      largest_figure_points: Math.max(0, ...pts),
      render_10k_ms: spreadOf(times),
      includes_settle_ms: SETTLE_MS,
    };
    log(`dashboard: ${out.figures} figures, largest ${out.largest_figure_points} points, render ${out.render_10k_ms.median.toFixed(0)} ms`);
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
