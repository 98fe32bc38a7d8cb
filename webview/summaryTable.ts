// The per-variant summary table of a finished experiment (live view after experiment-finished).
import { statOf } from '../src/core/stats/summaryTypes';
import type { Summary } from '../src/core/types';
import { h, table } from './dom';
import { interval, num } from './format';

export function summaryTable(summary: Summary): { el: HTMLElement; rows: number } {
  const rows = summary.variants.map((v) => {
    const tps = statOf(v, 'decode_tps');
    const ttft = statOf(v, 'ttft_ms');
    const wall = statOf(v, 'wall_ms');
    return [
      h('strong', {}, v.name), String(v.n),
      tps ? num(tps.mean) : '—', tps ? interval(tps.ci95) : '—',
      ttft ? num(ttft.median) : '—', ttft ? num(ttft.p95) : '—', wall ? num(wall.median) : '—',
    ];
  });
  const el = h('section', { class: 'card wide', 'data-section': 'summary' },
    h('h2', {}, 'Summary (counted runs)'),
    table(['variant', 'n', 'decode mean (tok/s)', '95% CI (tok/s)', 'TTFT median (ms)', 'TTFT p95 (ms)', 'run wall median (ms)'], rows));
  return { el, rows: rows.length };
}
