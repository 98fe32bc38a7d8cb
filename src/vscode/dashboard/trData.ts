// What the finished-TR view shows, read from disk: the summary recomputed from runs.jsonl in one
// streaming pass (as the report does), the report's figures, validity counts, and a few generated texts (shown as text).
import { existsSync } from 'node:fs';
import { chartsFor } from '../../core/charts/select';
import { contentionPhrase, describeRule } from '../../core/report/findings';
import { trDirOf } from '../../core/report/locate';
import { RunDigest } from '../../core/report/digest';
import { callSettingsData } from '../../core/report/callSettings';
import { MIN_CALLS_FOR_TAIL, metricInfo } from '../../core/stats/metrics';
import { exclusionOf } from '../../core/stats/runValues';
import { callTailOf, statOf, type VariantStats } from '../../core/stats/summaryTypes';
import { forEachRun, readMeta, runsPath, shownStatus } from '../../core/store/read';
import { readOutputs } from '../../core/store/outputs';
import type { RunRecord } from '../../core/types';
import type { CallTail, CapacityViewData, OutputSample, TrViewData, VariantRow } from '../../shared/protocol';
import type { CapacitySummary } from '../../core/capacity/summary';
import { capacityVerdict, PLAIN_TEXT } from '../../core/report/capacity';
import { figurePayload } from './figures';
import { coldRunsOf, sweepOfMeta } from '../../core/store/metaExperiment';

export const MAX_OUTPUT_SAMPLES = 3;
export const MAX_OUTPUT_CHARS = 4000;

function optionsText(o: Record<string, unknown>): string {
  const parts = Object.entries(o).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : '(server defaults)';
}

/** The per-call tail of a latency metric, only where the variant has enough calls for a p95/p99 to mean something. */
function callTail(v: VariantStats, metric: string): CallTail | null {
  const t = callTailOf(v, metric, MIN_CALLS_FOR_TAIL);
  return t ? { n: t.n, p95: t.p95, p99: t.p99 } : null;
}

function variantRow(v: VariantStats): VariantRow {
  const tps = statOf(v, 'decode_tps');
  const ttft = statOf(v, 'ttft_ms');
  const e2e = statOf(v, 'e2e_ms');
  const wall = statOf(v, 'wall_ms');
  return {
    name: v.name, options: optionsText(v.options), n: v.n, excluded: { ...v.excluded },
    decodeTps: tps ? { mean: tps.mean, ci95: tps.ci95, sd: tps.sd, cv: tps.cv } : null,
    ttftMs: ttft ? { median: ttft.median, p95: ttft.p95, mean: ttft.mean, runs: ttft.n, perCall: callTail(v, 'ttft_ms') } : null,
    e2eMs: e2e ? { median: e2e.median, p95: e2e.p95, runs: e2e.n, perCall: callTail(v, 'e2e_ms') } : null,
    wallMs: wall ? { median: wall.median } : null,
  };
}

/** Where a counted run's last generated text is (multi-agent: the concurrent runs only); null when it has none. */
function outputPickOf(r: RunRecord): { r: RunRecord; file: string; stage: string; agent?: string } | null {
  if (exclusionOf(r) !== null || r.soloAgent !== undefined) return null;
  const calls = [...r.calls.map((c) => ({ c, agent: undefined as string | undefined })), ...(r.agents ?? []).flatMap((a) => a.calls.map((c) => ({ c, agent: a.name })))];
  const pick = calls.filter((x) => x.c.outputFile).at(-1);
  return pick ? { r, file: pick.c.outputFile!, stage: pick.c.stage, ...(pick.agent ? { agent: pick.agent } : {}) } : null;
}

function capacityView(c: CapacitySummary): CapacityViewData {
  return {
    unit: c.unit,
    verdicts: c.variants.map((v) => capacityVerdict(v, c, PLAIN_TEXT)),
    rows: c.variants.flatMap((v) => v.levels.map((l) => ({
      variant: v.name, level: l.level, requests: l.requests, errors: l.errors, retries: l.retries,
      throughputRps: l.throughput_rps.mean, outputTps: l.output_tps.mean, ttftP95Ms: l.ttft_ms?.p95.mean ?? null, goodputPct: l.goodput_pct?.mean ?? null, meetsSlo: l.meets_slo,
    }))),
  };
}

/**
 * The last `max` runs with a generated text, kept while runs.jsonl streams past (a few slim entries,
 * however many runs). Texts that cannot be read later are skipped, so a few spares are kept.
 */
class LastOutputs {
  private readonly picks: { run: number; variant: string; file: string; stage: string; agent?: string }[] = [];
  constructor(private readonly keep: number) {}

  add(r: RunRecord): void {
    const p = outputPickOf(r);
    if (!p) return;
    this.picks.push({ run: r.run, variant: r.variant, file: p.file, stage: p.stage, ...(p.agent ? { agent: p.agent } : {}) });
    if (this.picks.length > this.keep) this.picks.shift();
  }

  /** Newest first, at most `max`: one pass over outputs.jsonl for all of them (earlier TRs: files under outputs/, never outside the TR). */
  read(trDir: string, max: number): OutputSample[] {
    const picks = [...this.picks].reverse();
    const texts = readOutputs(trDir, picks.map((p) => p.file));
    return picks.flatMap((p) => {
      const text = texts.get(p.file);
      return text === undefined ? [] : [{ ...p, text: text.slice(0, MAX_OUTPUT_CHARS), truncated: text.length > MAX_OUTPUT_CHARS }];
    }).slice(0, max);
  }
}

/**
 * The finished-TR view, streaming runs.jsonl once (never read whole: a million-run file is more than a
 * string can hold): the summary accumulates numbers only, the figures come from the report's bounded
 * sample of runs, so memory and the message to the webview stay bounded however many runs there are.
 */
export async function loadTrView(reportsDir: string, trId: string): Promise<TrViewData> {
  const dir = trDirOf(reportsDir, trId);
  const meta = readMeta(dir);
  const digest = new RunDigest(meta);
  const outputs = new LastOutputs(MAX_OUTPUT_SAMPLES * 4);
  const corrupt = existsSync(runsPath(dir))
    ? (await forEachRun(dir, (r) => {
      digest.add(r);
      outputs.add(r);
    }, { omitChunkTimes: true })).corrupt
    : [];
  const { summary, sample } = digest.finish();
  const c = summary.counts;
  const ma = summary.multiAgent;
  const maRows = ma
    ? ([['overlap efficiency', ma.overlap_efficiency, '%'], ['speedup vs sequential', ma.speedup_vs_sequential, '×'], ['aggregate throughput', ma.aggregate_tps, 'tok/s'], ['Jain fairness', ma.jain_fairness, '']] as const)
      .filter(([, s]) => s !== null)
      .map(([label, s, unit]) => ({ label, mean: s!.mean, ci95: s!.ci95, unit }))
    : [];
  return {
    trId: meta.id, title: meta.title, kind: meta.kind, status: shownStatus(meta), createdAt: meta.createdAt ?? null, finishedAt: meta.finishedAt ?? null,
    counts: meta.counts ?? null,
    validity: { runs: c.runs, counted: c.counted, warmup: c.warmup, failed: c.failed, cancelled: c.cancelled, invalid: c.invalid, solo: c.solo, corruptLines: corrupt.length },
    reference: summary.reference,
    variants: summary.variants.map(variantRow),
    multiAgent: maRows,
    contention: ma ? `${contentionPhrase(ma)}. Rule: ${describeRule(ma.contention_rule)}.` : null,
    comparisons: summary.comparisons.map((x) => ({ a: x.a, b: x.b, metric: `${x.metric} (${metricInfo(x.metric).unit})`, diff: x.diff, ci95: x.ci95, verdict: x.verdict })),
    capacity: summary.capacity ? capacityView(summary.capacity) : null,
    figures: chartsFor({ summary, runs: sample, sweep: sweepOfMeta(meta), coldRuns: coldRunsOf(meta) }).map(figurePayload),
    outputs: outputs.read(dir, MAX_OUTPUT_SAMPLES),
    notes: [...(meta.notes ?? [])],
    supersededBy: meta.supersededBy ?? null,
    callSettings: callSettingsData(meta.experiment, summary, meta.metricDefinitions),
  };
}
