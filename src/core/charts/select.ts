// Which figures a TR gets: every definition that has data, in a fixed order (reports stay stable).
import type { RunSummary } from '../stats/summaryTypes';
import type { RunRecord } from '../types';
import { coldRunsCaption, efficiencySpeedupChart, timelineChart, ttftVsTpsScatter } from './runCharts';
import type { ColdRuns } from '../stats/runValues';
import { throughputChart, ttftBoxChart } from './summaryCharts';
import { sweepHeatmaps } from './sweepChart';
import { capacityCharts } from './capacityCharts';
import type { ChartSpec } from './types';

export interface ChartInput {
  summary: RunSummary;
  runs: readonly RunRecord[];
  /** The experiment's sweep (option → values), when it had one. */
  sweep?: Record<string, unknown[]>;
  /** Each variant's model, when variants use different models (sweeps are then drawn per model). */
  modelOf?: (variant: string) => string;
  /** The experiment's coldRuns: the figures keep or leave out cold runs as the statistics do (default "exclude"). */
  coldRuns?: ColdRuns;
}

export function chartsFor(input: ChartInput): ChartSpec[] {
  // capacity: a variant's runs hold different load levels; pooled per-variant figures would mislead.
  if (input.summary.capacity) return capacityCharts(input.summary.capacity);
  const specs: (ChartSpec | null)[] = [
    throughputChart(input.summary),
    // Imported data may only have the server-side TTFT (TR108's definition); it is labelled as such.
    ttftBoxChart(input.summary) ?? ttftBoxChart(input.summary, 'server_ttft_ms'),
    ...sweepHeatmaps(input.summary, 'decode_tps', input.sweep, input.modelOf),
    timelineChart(input.runs, input.coldRuns),
    efficiencySpeedupChart(input.runs, input.coldRuns),
    ttftVsTpsScatter(input.runs, input.coldRuns),
  ];
  // Left out, cold runs are counted in the summary; kept, they are among the runs drawn.
  const anyCold = input.coldRuns === 'include' ? input.runs.some((r) => r.cold === true && !r.warmup) : input.summary.counts.cold > 0;
  const cold = coldRunsCaption(anyCold, input.coldRuns);
  return specs.filter((s): s is ChartSpec => s !== null).map((s) => (cold ? { ...s, caption: `${s.caption}${cold}` } : s));
}
