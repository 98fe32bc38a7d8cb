// The per-variant summary table of a finished experiment (live view after experiment-finished).
import { MIN_CALLS_FOR_TAIL } from '../src/core/stats/metrics';
import { callTailOf, statOf, type CallPercentiles } from '../src/core/stats/summaryTypes';
import type { Summary } from '../src/core/types';
import { h, table } from './dom';
import { callTail, interval, num } from './format';

/** The per-call tail of a metric from the summary (PER_CALL_METRICS), only from MIN_CALLS_FOR_TAIL calls on. */
const tailOf = (v: Record<string, unknown>, metric: string): CallPercentiles | null => callTailOf(v, metric, MIN_CALLS_FOR_TAIL);

export function summaryTable(summary: Summary): { el: HTMLElement; rows: number } {
  const rows = summary.variants.map((v) => {
    const tps = statOf(v, 'decode_tps');
    const ttft = statOf(v, 'ttft_ms');
    const wall = statOf(v, 'wall_ms');
    return [
      h('strong', {}, v.name), String(v.n),
      tps ? num(tps.mean) : '—', tps ? interval(tps.ci95) : '—',
      ttft ? num(ttft.median) : '—', ttft ? `${num(ttft.p95)} (n=${ttft.n} runs)` : '—', callTail(tailOf(v, 'ttft_ms')), wall ? num(wall.median) : '—',
    ];
  });
  const el = h('section', { class: 'card wide', 'data-section': 'summary' },
    h('h2', {}, 'Summary (counted runs)'),
    table(['variant', 'n', 'decode mean (tok/s)', '95% CI (tok/s)', 'median of per-run mean TTFT (ms)', 'p95 of per-run mean TTFT (ms)', 'TTFT p95 / p99 over calls (ms)', 'run wall median (ms)'], rows));
  return { el, rows: rows.length };
}
