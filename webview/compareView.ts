// Two groups (a TR variant each) side by side: mean ± 95% CI of each, the difference B − A with its
// 95% CI drawn as a bar with an error bar around zero, the verdict in words, what differs between the
// two sides (provenance) and, against a baseline, the gate's decision.
import type { CompareViewData, RenderedFigure } from '../src/shared/protocol';
import { createChart, renderedFigure, type ManagedChart } from './charts';
import { append, clear, h, table } from './dom';
import { interval, num, pValue } from './format';
import type { Theme } from './theme';

type Obj = Record<string, unknown>;

function groupsConfig(c: CompareViewData): Obj {
  const label = `${c.metric} (${c.unit})`;
  const lows = [c.a, c.b].map((g) => g.ci95?.[0] ?? g.mean);
  return {
    type: 'bar',
    data: { labels: [`A: ${c.a.label} (n=${c.a.n})`, `B: ${c.b.label} (n=${c.b.n})`], datasets: [{ label: `mean ${label}`, data: [c.a.mean, c.b.mean], backgroundColor: ['rgba(0,0,0,0.7)', 'rgba(0,0,0,0.7)'], borderWidth: 1.5, maxBarThickness: 140 }] },
    options: {
      scales: {
        x: { title: { display: true, text: 'group', font: { weight: 'bold' } } },
        y: { title: { display: true, text: label, font: { weight: 'bold' } }, beginAtZero: Math.min(...lows) >= 0, suggestedMax: Math.max(...[c.a, c.b].map((g) => g.ci95?.[1] ?? g.mean)) },
      },
      plugins: {
        title: { display: true, text: 'The two groups', font: { size: 14, weight: 'bold' } },
        subtitle: { display: true, text: 'Mean of per-run values; error bars: 95% CI of the mean (Student t)' },
        legend: { display: false },
        cfErrorBars: { intervals: [[c.a.ci95, c.b.ci95]] },
      },
    },
  };
}

function diffConfig(c: CompareViewData): Obj {
  const lo = Math.min(0, c.diff, c.ci95?.[0] ?? c.diff);
  const hi = Math.max(0, c.diff, c.ci95?.[1] ?? c.diff);
  const pad = (hi - lo) * 0.1 || Math.abs(c.diff) * 0.1 || 1;
  const pct = c.percent === null ? '' : ` (${c.percent >= 0 ? '+' : ''}${num(c.percent)} %)`;
  return {
    type: 'bar',
    data: { labels: ['B − A'], datasets: [{ label: `difference (${c.unit})`, data: [c.diff], backgroundColor: 'rgba(0,0,0,0.6)', colorIndex: c.ci95 && (c.ci95[0] > 0 || c.ci95[1] < 0) ? 1 : 6, borderWidth: 1.5, maxBarThickness: 60 }] },
    options: {
      indexAxis: 'y',
      scales: {
        x: { title: { display: true, text: `B − A, ${c.metric} (${c.unit}); ${c.better} is better`, font: { weight: 'bold' } }, min: lo - pad, max: hi + pad },
        y: { title: { display: false } },
      },
      plugins: {
        title: { display: true, text: `Difference ${num(c.diff, c.unit)}${pct}, 95% CI ${interval(c.ci95, c.unit)}`, font: { size: 14, weight: 'bold' } },
        subtitle: { display: true, text: 'Bar: mean(B) − mean(A); error bar: Welch 95% CI of the difference. An interval that crosses 0 is no detectable difference.' },
        legend: { display: false },
        cfErrorBars: { intervals: [[c.ci95]] },
      },
    },
  };
}

const OUTCOME_LABEL: Record<string, string> = { pass: 'PASS', regression: 'REGRESSION', inconclusive: 'INCONCLUSIVE', mismatch: 'MISMATCH' };

/** The gate's decision of B against the baseline A: the outcome, the sentence, the margin and how the CI is formed. */
function gateCard(c: CompareViewData): HTMLElement | null {
  const g = c.gate;
  if (!g) return null;
  const rows: [string, string][] = [
    ['change of B against the baseline', `${num(g.changePct)} %`],
    ['95% CI of the change', g.changeCi95Pct ? `${interval(g.changeCi95Pct)} %` : '— (a side has fewer than 2 runs)'],
    ['margin (max regression)', `${num(g.maxRegressionPct)} %, ${g.better} is better`],
  ];
  if (g.decision === 'inconclusive') rows.push(['runs per side to decide', g.runsPerSide !== null ? String(g.runsPerSide) : (g.note ?? '—')]);
  return h('section', { class: `card wide gate gate-${g.outcome}`, 'data-section': 'gate', 'data-outcome': g.outcome },
    h('h2', {}, 'Gate against the baseline'),
    h('p', { class: 'gate-outcome' }, OUTCOME_LABEL[g.outcome] ?? g.outcome),
    h('p', { class: 'gate-line' }, g.line),
    h('p', {}, g.sentence),
    table(['', ''], rows.map(([k, v]) => [k, v])),
    h('p', { class: 'muted' }, `CI: ${g.ciDefinition}`));
}

/** What differs between the two sides besides what is compared; a mismatch makes the comparison apples-to-oranges. */
function provenanceCard(c: CompareViewData): HTMLElement {
  const card = h('section', { class: 'card wide', 'data-section': 'provenance' }, h('h2', {}, 'Provenance'));
  if (c.provenance.length === 0) {
    card.append(h('p', {}, 'The two sides agree on model digest, server version, GPU, host, settings, options and git state.'));
    return card;
  }
  card.append(
    h('p', { class: 'muted' }, 'Recorded facts that differ between A and B. A mismatch (model digest, server version, GPU) makes the comparison apples-to-oranges.'),
    table(['what', 'A', 'B', ''], c.provenance.map((d) => [d.field, d.a ?? 'not recorded', d.b ?? 'not recorded', d.blocking ? h('strong', { class: 'warning' }, 'mismatch') : ''])));
  return card;
}

export class CompareView {
  private charts: ManagedChart[] = [];
  private readonly grid = h('div', { class: 'chart-grid' });

  constructor(root: HTMLElement, private readonly c: CompareViewData, theme: Theme) {
    clear(root);
    append(root,
      h('header', { class: 'view-header' },
        h('h1', {}, `${c.a.label} vs ${c.b.label}`),
        h('p', { class: 'muted' }, `Metric ${c.metric} (${c.unit}), ${c.better} is better; A is the reference, differences are B − A.`)),
      gateCard(c),
      h('section', { class: 'card wide verdict', 'data-section': 'verdict' }, h('h2', {}, 'Verdict'), h('p', { class: 'verdict-text' }, c.verdict),
        c.degenerate ? h('p', { class: 'warning' }, c.degenerate) : null),
      this.grid,
      h('section', { class: 'card wide', 'data-section': 'table' }, h('h2', {}, 'Numbers'),
        table(['group', 'n', `mean (${c.unit})`, `sd (${c.unit})`, `95% CI (${c.unit})`], [c.a, c.b].map((g, i) => [`${i === 0 ? 'A' : 'B'}: ${g.label}`, String(g.n), num(g.mean), num(g.sd), interval(g.ci95)])),
        table(['difference B − A', '95% CI', 'change', 'change 95% CI', 'p (Welch)', "Hedges' g", 'runs per variant to detect'], [[
          num(c.diff, c.unit), interval(c.ci95, c.unit), c.percent === null ? '—' : `${num(c.percent)} %`, c.percentCi95 ? `${interval(c.percentCi95)} %` : '—', pValue(c.p), num(c.g),
          c.sampleSizeHint ? `${c.sampleSizeHint.runsPerVariant ?? '—'} (for ${c.sampleSizeHint.detectPercent} %)` : '—',
        ]])),
      provenanceCard(c),
    );
    this.draw(theme);
  }

  get verdict(): string {
    return this.c.verdict;
  }

  /** The gate outcome shown, when the view compares against a baseline. */
  get gate(): string | undefined {
    return this.c.gate?.outcome;
  }

  setTheme(t: Theme): void {
    this.draw(t);
  }

  figures(): RenderedFigure[] {
    return this.charts.map(renderedFigure);
  }

  private draw(theme: Theme): void {
    for (const m of this.charts) m.chart.destroy();
    clear(this.grid);
    const a = h('section', { class: 'card' });
    const b = h('section', { class: 'card' });
    this.grid.append(a, b);
    this.charts = [
      createChart('compare-groups', groupsConfig(this.c), ['cfBackground', 'cfErrorBars'], theme, 360, a),
      createChart('compare-difference', diffConfig(this.c), ['cfBackground', 'cfErrorBars'], theme, 220, b),
    ];
  }
}
