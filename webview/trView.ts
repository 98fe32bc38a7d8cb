// A finished (or running, or imported) TR from disk: validity counts, the per-variant summary with
// 95% CIs, comparisons and verdicts, the report's figures, and samples of generated text (as text).
import type { CapacityViewData, RenderedFigure, RenderedOutput, TrViewData } from '../src/shared/protocol';
import { clear, h, table } from './dom';
import { drawFigure, type DrawnFigure } from './figures';
import { callTail, duration, interval, num, when } from './format';
import type { Theme } from './theme';

export class TrView {
  private drawn: DrawnFigure[] = [];
  private readonly outputEls: { run: number; el: HTMLElement }[] = [];
  private readonly grid = h('div', { class: 'chart-grid', 'data-section': 'figures' });
  readonly summaryRows: number;
  /** Body rows of the prompt cache / thinking / structured output card, counted from the DOM drawn. */
  readonly callSettingsRows: number;

  constructor(root: HTMLElement, private readonly tr: TrViewData, theme: Theme) {
    clear(root);
    this.summaryRows = tr.capacity ? tr.capacity.rows.length : tr.variants.length;
    root.append(this.header(), this.validity());
    // capacity: a variant's runs hold different load levels, so the per-level table replaces the pooled one.
    root.append(tr.capacity ? this.capacity(tr.capacity) : this.variantTable());
    const settings = tr.callSettings ? this.callSettings(tr.callSettings) : null;
    if (settings) root.append(settings);
    this.callSettingsRows = settings?.querySelectorAll('tbody tr').length ?? 0;
    if (tr.multiAgent.length) root.append(this.multiAgent());
    if (tr.comparisons.length) root.append(this.comparisons());
    root.append(this.grid);
    this.drawFigures(theme);
    if (tr.outputs.length) root.append(this.outputs());
    if (tr.notes.length) root.append(h('section', { class: 'card wide' }, h('h2', {}, 'Notes'), h('ul', {}, ...tr.notes.map((n) => h('li', {}, n)))));
  }

  setTheme(t: Theme): void {
    for (const d of this.drawn) d.chart?.chart.destroy();
    this.drawFigures(t);
  }

  figures(): RenderedFigure[] {
    return this.drawn.map((d) => d.report());
  }

  renderedOutputs(): RenderedOutput[] {
    return this.outputEls.map(({ run, el }) => ({ run, text: el.textContent ?? '', elements: el.querySelectorAll('*').length }));
  }

  private header(): HTMLElement {
    const t = this.tr;
    return h('header', { class: 'view-header' },
      h('h1', {}, t.title),
      h('p', { class: 'muted' }, `${t.trId} · ${t.kind} · `, h('span', { class: `badge status-${t.status}` }, t.status),
        ` · created ${when(t.createdAt)}`, t.finishedAt ? ` · finished ${when(t.finishedAt)}` : '',
        t.createdAt && t.finishedAt ? ` (${duration(Date.parse(t.finishedAt) - Date.parse(t.createdAt))})` : ''),
      t.supersededBy ? h('p', { class: 'warning' }, `Superseded by ${t.supersededBy}: read that TR's results instead.`) : null);
  }

  private validity(): HTMLElement {
    const v = this.tr.validity;
    const items: [string, number, string][] = [
      ['runs recorded', v.runs, ''], ['counted', v.counted, 'good'], ['warm-up', v.warmup, ''], ['failed', v.failed, v.failed ? 'bad' : ''],
      ['invalid', v.invalid, v.invalid ? 'bad' : ''], ['cancelled', v.cancelled, v.cancelled ? 'bad' : ''], ['solo baseline', v.solo, ''], ['corrupt lines', v.corruptLines, v.corruptLines ? 'bad' : ''],
    ];
    return h('section', { class: 'card wide', 'data-section': 'validity' }, h('h2', {}, 'Validity'),
      h('div', { class: 'stats' }, ...items.map(([label, n, cls]) => h('div', { class: `stat ${cls}` }, h('span', { class: 'stat-value' }, String(n)), h('span', { class: 'stat-label' }, label)))));
  }

  private variantTable(): HTMLElement {
    const rows = this.tr.variants.map((v) => [
      h('strong', {}, v.name) as Node, v.name === this.tr.reference ? 'reference' : '', v.options, String(v.n),
      v.decodeTps ? num(v.decodeTps.mean) : '—', v.decodeTps ? interval(v.decodeTps.ci95) : '—', v.decodeTps?.cv != null ? num(v.decodeTps.cv, '%') : '—',
      v.ttftMs ? num(v.ttftMs.median) : '—', v.ttftMs ? `${num(v.ttftMs.p95)} (n=${v.ttftMs.runs} runs)` : '—', callTail(v.ttftMs?.perCall), v.e2eMs ? num(v.e2eMs.median) : '—', callTail(v.e2eMs?.perCall),
      `${v.excluded.warmup} / ${v.excluded.failed} / ${v.excluded.invalid} / ${v.excluded.cancelled}`,
    ]);
    return h('section', { class: 'card wide', 'data-section': 'summary' }, h('h2', {}, 'Per-variant summary (counted runs)'),
      table(['variant', '', 'options', 'n', 'decode mean (tok/s)', '95% CI (tok/s)', 'CV', 'median of per-run mean TTFT (ms)', 'p95 of per-run mean TTFT (ms)', 'TTFT p95 / p99 over calls (ms)', 'median of per-run mean e2e (ms)', 'e2e p95 / p99 over calls (ms)', 'excluded: warm-up / failed / invalid / cancelled'], rows));
  }

  /** Cache mode, think, format per variant and what came of them, with the definitions of what is shown. */
  private callSettings(d: NonNullable<TrViewData['callSettings']>): HTMLElement {
    const n = (x: number | null): string => (x === null ? '—' : num(x));
    const rows = d.rows.map((r) => [
      h('strong', {}, r.variant) as Node, r.promptCache, r.think, r.format,
      r.cachedTokensMean === null ? 'unknown (server sent no prompt_eval_cached_count)' : num(r.cachedTokensMean),
      r.thinkingCalls === null ? '—' : String(r.thinkingCalls), n(r.ttftMsMean), n(r.ttftAnswerMsMean),
      r.jsonChecked ? `${r.jsonValid ?? 0} of ${r.jsonChecked}` : '—',
    ]);
    return h('section', { class: 'card wide', 'data-section': 'call-settings' }, h('h2', {}, 'Prompt cache, thinking and structured output'),
      table(['variant', 'prompt cache', 'think', 'format', 'cached prompt tokens (mean)', 'thinking calls', 'TTFT any token (mean ms)', 'TTFT answer (mean ms)', 'JSON valid'], rows),
      h('dl', { class: 'definitions' }, ...d.definitions.flatMap((x) => [h('dt', {}, x.name), h('dd', {}, x.text)])));
  }

  private capacity(c: CapacityViewData): HTMLElement {
    const rows = c.rows.map((r) => [
      h('strong', {}, r.variant) as Node, num(r.level), String(r.requests), r.retries ? `${r.errors} (${r.retries} retries)` : String(r.errors),
      num(r.throughputRps), num(r.outputTps), num(r.ttftP95Ms), num(r.goodputPct, '%'), r.meetsSlo === null ? '—' : r.meetsSlo ? 'yes' : 'no',
    ]);
    return h('section', { class: 'card wide', 'data-section': 'capacity' }, h('h2', {}, 'Capacity (level means over repetitions)'),
      h('ul', {}, ...c.verdicts.map((v) => h('li', { 'data-field': 'capacity-verdict' }, v))),
      table(['variant', `level (${c.unit})`, 'requests', 'errors', 'req/s', 'output tok/s', 'TTFT p95 (ms)', 'goodput', 'meets SLO'], rows));
  }

  private multiAgent(): HTMLElement {
    return h('section', { class: 'card wide', 'data-section': 'multi-agent' }, h('h2', {}, 'Multi-agent metrics (counted concurrent runs)'),
      table(['metric', 'mean', '95% CI'], this.tr.multiAgent.map((m) => [m.label, num(m.mean, m.unit), interval(m.ci95, m.unit)])),
      this.tr.contention ? h('p', { 'data-field': 'contention' }, `Contention: ${this.tr.contention}`) : null);
  }

  /** Throughput comparisons first; the other metrics folded away (a sweep has many pairs × metrics). */
  private comparisons(): HTMLElement {
    const row = (c: TrViewData['comparisons'][number]): string[] => [c.a, c.b, c.metric, num(c.diff), interval(c.ci95), c.verdict];
    const head = ['A', 'B', 'metric', 'difference', '95% CI of the difference', 'verdict'];
    const main = this.tr.comparisons.filter((c) => c.metric.startsWith('decode_tps '));
    const rest = this.tr.comparisons.filter((c) => !c.metric.startsWith('decode_tps '));
    const first = main.length ? main : rest;
    const more = main.length ? rest : [];
    return h('section', { class: 'card wide', 'data-section': 'comparisons' }, h('h2', {}, `Comparisons against the reference (B − A, A = ${this.tr.reference ?? 'reference'})`),
      table(head, first.map(row)),
      more.length ? h('details', {}, h('summary', {}, `${more.length} more comparisons (other metrics)`), table(head, more.map(row))) : null);
  }

  /** Charts are created inside the attached grid, so they size themselves from the layout at once. */
  private drawFigures(theme: Theme): void {
    clear(this.grid);
    this.drawn = [];
    for (const f of this.tr.figures) {
      const d = drawFigure(f, theme, this.grid);
      this.drawn.push(d);
    }
    if (this.drawn.length === 0) this.grid.append(h('p', { class: 'muted' }, 'No figures: no counted run has the metrics they draw.'));
  }

  private outputs(): HTMLElement {
    const items = this.tr.outputs.map((o) => {
      const pre = h('pre', { class: 'output', 'data-run': o.run });
      pre.textContent = o.text + (o.truncated ? '\n…' : '');
      this.outputEls.push({ run: o.run, el: pre });
      return h('details', { open: true }, h('summary', {}, `run ${o.run} · ${o.variant}${o.agent ? ` · ${o.agent}` : ''} · ${o.stage} · ${o.file}`), pre);
    });
    return h('section', { class: 'card wide', 'data-section': 'outputs' }, h('h2', {}, 'Generated text (latest counted runs, shown as plain text)'), ...items);
  }
}
