// Recomputing a TR's summary from its raw runs.jsonl with the options it was run with, so `report`
// regenerates everything from raw data. Comparisons added later by `compare` (cross-TR or chosen
// by hand) are not derivable from this TR's runs alone; they are carried over.
import { existsSync } from 'node:fs';
import { buildSummary, SummaryAccumulator } from '../stats/accumulator';
import { forEachRun, runsPath } from '../store/read';
import { applyHolm } from '../stats/compare';
import type { RunSummary, SummaryOptions, VariantSpec } from '../stats/summaryTypes';
import type { Comparison, Meta, RunRecord } from '../types';
import { coldRunsOf, isRecord } from '../store/metaExperiment';

/** Marks a comparison written by `chimeraforge compare` (kept when the summary is recomputed). */
export const COMPARE_SOURCE = 'compare';

/** The buildSummary options of a TR, from the normalized experiment stored in meta.json. */
export function summaryOptionsOf(meta: Meta): SummaryOptions {
  const x = meta.experiment;
  const variants: VariantSpec[] = [];
  if (Array.isArray(x.variants)) {
    for (const v of x.variants) {
      if (!isRecord(v) || typeof v.name !== 'string') continue;
      variants.push({
        name: v.name,
        options: isRecord(v.options) ? v.options : {},
        ...(typeof v.scenario === 'string' ? { scenario: v.scenario } : {}),
      });
    }
  }
  return {
    kind: meta.kind,
    variants,
    ...(x.contention !== undefined ? { contentionRule: x.contention } : {}),
    ...(typeof x.seed === 'number' ? { seed: x.seed } : {}),
    ...(coldRunsOf(meta) === 'include' ? { coldRuns: 'include' as const } : {}),
  };
}

/** Comparisons of meta.summary that `compare` added (they survive a recompute). */
export function keptComparisons(meta: Meta): Comparison[] {
  return (meta.summary?.comparisons ?? []).filter((c) => c.source === COMPARE_SOURCE);
}

/**
 * A freshly computed summary plus the comparisons `compare` added earlier; Holm's adjustment runs over
 * the merged list, since a cross-TR comparison of a metric joins that metric's family.
 */
export function withKeptComparisons(summary: RunSummary, meta: Meta): RunSummary {
  const kept = keptComparisons(meta);
  if (kept.length > 0) summary.comparisons = applyHolm([...summary.comparisons, ...(kept as RunSummary['comparisons'])], summary.method.detectPercent);
  return summary;
}

/** The summary of the TR's runs, plus the comparisons `compare` added earlier. */
export function recomputeSummary(meta: Meta, runs: readonly RunRecord[]): RunSummary {
  return withKeptComparisons(buildSummary(runs, summaryOptionsOf(meta)), meta);
}

/**
 * The summary of a TR's runs.jsonl, streamed (per-chunk times skipped, the event loop turning between
 * reads): memory for the statistics' columns only while it runs, nothing kept of the runs.
 */
export async function summarizeRunsFile(trDir: string, opts: SummaryOptions): Promise<RunSummary> {
  const acc = new SummaryAccumulator(opts);
  if (existsSync(runsPath(trDir))) await forEachRun(trDir, (r) => acc.add(r), { omitChunkTimes: true });
  return acc.finish();
}
