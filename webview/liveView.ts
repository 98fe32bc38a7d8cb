// The live view: progress, decode rate and TTFT per call as they stream, the multi-agent timeline,
// the latest runs, and the summary once the experiment finishes. Built once, then updated per batch.
import type { LiveCapacityRun, LiveState } from '../src/shared/liveState';
import type { RenderedFigure } from '../src/shared/protocol';
import { createChart, renderedFigure, themeConfig, type ManagedChart } from './charts';
import { clear, h, table } from './dom';
import { duration, num } from './format';
import { adaptiveConfig, capacityLiveConfig, timelineConfig, tokensConfig, ttftConfig } from './liveCharts';
import { summaryTable } from './summaryTable';
import type { Theme } from './theme';

const RECENT_RUNS = 10;

export class LiveView {
  private readonly charts = new Map<string, ManagedChart>();
  private readonly header = h('header', { class: 'view-header' });
  private readonly progress = h('section', { class: 'card wide progress', 'data-section': 'progress' });
  private readonly grid = h('div', { class: 'chart-grid' });
  private readonly runs = h('section', { class: 'card wide', 'data-section': 'runs' });
  private readonly summary = h('div');
  summaryRows = 0;

  constructor(root: HTMLElement, private state: LiveState, private theme: Theme, private readonly openTr: (trId: string) => void) {
    clear(root);
    root.append(this.header, this.progress, this.grid, this.summary, this.runs);
    this.update(state);
  }

  setTheme(t: Theme): void {
    this.theme = t;
    for (const m of this.charts.values()) m.chart.destroy();
    this.charts.clear();
    clear(this.grid);
    this.update(this.state);
  }

  update(s: LiveState): void {
    this.state = s;
    this.renderHeader(s);
    this.renderProgress(s);
    // A capacity run sends no per-call events (hundreds in flight): its own chart replaces the per-call ones.
    if (s.kind === 'capacity') {
      const cap = capacityLiveConfig(s);
      if (cap) this.upsertChart('live-capacity', cap, 360);
    } else {
      this.upsertChart('live-tokens', tokensConfig(s), 340);
      this.upsertChart('live-ttft', ttftConfig(s), 340);
    }
    const ci = adaptiveConfig(s);
    if (ci) this.upsertChart('live-adaptive', ci, 300);
    const tl = timelineConfig(s);
    if (tl) this.upsertChart('live-timeline', tl, Math.max(240, 80 + ((tl.data as { labels: unknown[] }).labels.length * 26)));
    this.renderRuns(s);
    // capacity: the pooled per-variant table mixes load levels; the TR view has the per-level rows.
    if (s.summary && this.summaryRows === 0 && s.kind !== 'capacity') {
      const t = summaryTable(s.summary);
      this.summary.replaceChildren(t.el);
      this.summaryRows = t.rows;
    } else if (!s.summary && this.summaryRows > 0) {
      this.summary.replaceChildren();
      this.summaryRows = 0;
    }
  }

  figures(): RenderedFigure[] {
    return [...this.charts.values()].map(renderedFigure);
  }

  private upsertChart(id: string, config: Record<string, unknown>, height: number): void {
    const m = this.charts.get(id);
    if (!m) {
      const card = h('section', { class: 'card' });
      this.grid.append(card);
      this.charts.set(id, createChart(id, config, ['cfBackground'], this.theme, height, card));
      return;
    }
    const themed = themeConfig(config, this.theme) as { data: typeof m.chart.data; options?: { plugins?: { subtitle?: { text?: string } } } };
    m.chart.data = themed.data;
    // A subtitle that tells the state (the adaptive-repetitions decision) follows it.
    const subtitle = themed.options?.plugins?.subtitle?.text;
    const current = (m.chart.options as { plugins?: { subtitle?: { text?: string } } }).plugins?.subtitle;
    if (subtitle !== undefined && current) current.text = subtitle;
    m.box.style.height = `${Math.round(height)}px`;
    m.chart.update('none');
  }

  private renderHeader(s: LiveState): void {
    let open: HTMLButtonElement | null = null;
    if (s.trId && s.status !== 'running' && s.status !== 'waiting') {
      const trId = s.trId;
      open = h('button', { type: 'button', class: 'action', 'data-action': 'open-tr' }, `Open the full results of ${trId}`);
      open.addEventListener('click', () => this.openTr(trId));
    }
    this.header.replaceChildren(
      h('h1', {}, s.title || 'Live run'),
      h('p', { class: 'muted' }, s.trId ? `${s.trId} · ${s.kind} · ` : 'Waiting for a run to start · ', h('span', { class: `badge status-${s.status}` }, s.status)),
      ...(open ? [open] : []),
    );
  }

  private renderProgress(s: LiveState): void {
    const cur = s.current ? `now: run ${s.current.run} · ${s.current.variant}${s.current.soloAgent ? ` · solo ${s.current.soloAgent}` : ''}${s.current.warmup ? ' (warm-up)' : ''}` : s.status === 'running' ? 'between runs' : '';
    const pct = s.planned > 0 ? Math.round((100 * s.done) / s.planned) : 0;
    this.progress.replaceChildren(
      h('div', { class: 'progress-line' },
        h('strong', {}, `${s.done} / ${s.planned} runs`),
        h('span', {}, `${pct}%`),
        h('span', {}, s.status === 'running' ? `ETA ${duration(s.etaMs)}` : `elapsed ${duration(s.lastAtMs)}`),
        h('span', { class: 'muted' }, cur)),
      h('progress', { max: Math.max(1, s.planned), value: s.done, 'aria-label': 'runs done' }),
      ...(s.capacity?.current ? [capacityNow(s.capacity.current, s.capacity.mode)] : []),
    );
  }

  private renderRuns(s: LiveState): void {
    const recent = s.runs.slice(-RECENT_RUNS).reverse();
    const rows = recent.map((r) => [
      String(r.run), r.variant + (r.soloAgent ? ` · solo ${r.soloAgent}` : ''), r.warmup ? 'warm-up' : 'measured',
      h('span', { class: `badge status-${r.status}${r.valid ? '' : ' invalid'}` }, r.valid ? r.status : `${r.status}, invalid`),
      num(r.wallMs, 'ms'),
      r.multiAgent ? `${num(r.multiAgent.overlap_efficiency)} % / ${r.multiAgent.speedup_vs_sequential === null ? '—' : `${num(r.multiAgent.speedup_vs_sequential)} ×`}` : '—',
      r.error ?? '',
    ]);
    this.runs.replaceChildren(h('h2', {}, `Latest runs (${s.done} finished)`),
      rows.length ? table(['run', 'variant', 'type', 'status', 'wall', 'overlap eff. / speedup', 'error'], rows) : h('p', { class: 'muted' }, 'No run has finished yet.'));
  }
}

/** The level running now: what the load generator holds and has achieved so far (capacity-progress). */
function capacityNow(c: LiveCapacityRun, mode: string): HTMLElement {
  const level = mode === 'rate' ? `${num(c.level)} req/s asked` : `${num(c.level)} in flight asked`;
  const stat = (field: string, value: string, label: string): HTMLElement =>
    h('div', { class: 'stat', 'data-field': field }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
  return h('div', { class: 'stats', 'data-section': 'capacity-now' },
    stat('level', level, `${c.variant} · level · repetition ${c.repetition}${c.warmup ? ' · warm-up' : ''}`),
    stat('in-flight', String(c.inFlight), 'in flight now'),
    stat('achieved', c.achievedRps === null ? '—' : num(c.achievedRps, 'req/s'), 'rate achieved (started after warm-up ÷ s)'),
    stat('ttft-p95', c.ttftP95Ms === null ? '—' : num(c.ttftP95Ms, 'ms'), 'p95 TTFT so far'),
    stat('completed', `${c.completed} / ${c.started}`, `ended / started (${duration(c.elapsedMs)})`));
}
