// One pass over a TR's runs collects everything a report needs besides the summary: exclusion reasons,
// per-run multi-agent rows, exit codes, a bounded sample of slim runs for the figures and the model
// output to quote. Memory stays bounded however many runs there are.
import { countedRuns } from '../charts/runCharts';
import { exclusionOf, type ColdRuns } from '../stats/runValues';
import { SummaryAccumulator } from '../stats/accumulator';
import type { RunSummary } from '../stats/summaryTypes';
import type { CallRecord, Meta, MultiAgentRunMetrics, RunRecord, RunStatus } from '../types';
import { summaryOptionsOf, withKeptComparisons } from './recompute';

export const MAX_LISTED_RUNS = 50;
export const MAX_MULTI_AGENT_ROWS = 60;
/**
 * Slim runs kept for the figures, shared by the variants; beyond its share every k-th counted run of a
 * variant is kept (k doubles as needed).
 */
export const MAX_SAMPLE_RUNS = 4000;

export interface ExcludedRun { run: number; variant: string; status: RunStatus; reason: string }
export interface MultiAgentRow { run: number; variant: string; counted: boolean; metrics: MultiAgentRunMetrics }
export interface OutputPick { run: number; variant: string; stage: string; agent?: string; file: string }

/** Facts about the raw runs that the report shows beside the summary. */
export interface RunFacts {
  recorded: number;
  rewarm: number;
  failedWarmups: number;
  excluded: { total: number; listed: ExcludedRun[]; byReason: [string, number][] };
  multiAgent: { total: number; listed: MultiAgentRow[] };
  commandExits: Record<string, { runs: number; zero: number }>;
}

export interface Digest { summary: RunSummary; facts: RunFacts; sample: RunRecord[]; output: OutputPick | null }

function reasonOf(r: RunRecord): string {
  if (r.status === 'failed') return `failed${r.errorCode ? ` (${r.errorCode})` : ''}: ${r.error ?? 'no message'}`;
  if (r.status === 'cancelled') return 'cancelled';
  if (r.valid && r.cold === true) return `cold (unplanned model load): ${r.coldReason ?? 'no reason recorded'}`;
  return `invalid: ${r.invalidReason ?? 'no reason recorded'}`;
}

function reasonKey(r: RunRecord): string {
  if (r.status === 'ok' && r.valid && r.cold === true) return 'cold: unplanned model load';
  return r.status === 'failed' ? `failed: ${r.errorCode ?? 'error'}` : r.status === 'cancelled' ? 'cancelled' : `invalid: ${r.invalidReason ?? 'unknown'}`;
}

/** A call without its per-chunk arrays and texts: what the figures read. */
function slimCall(c: CallRecord): CallRecord {
  return { ...c, client: { ...c.client, chunkMs: [] }, metrics: c.metrics ? { ...c.metrics, itl_ms: null } : null };
}

function slimRun(r: RunRecord): RunRecord {
  return {
    ...r,
    calls: r.calls.map(slimCall),
    ...(r.agents ? { agents: r.agents.map((a) => ({ ...a, calls: a.calls.map(slimCall) })) } : {}),
    ...(r.command ? { command: { ...r.command, stdoutTail: '', stderrTail: '' } } : {}),
  };
}

/**
 * Every k-th run of one variant, k doubling when the share is full. Per variant, because a run order
 * that cycles through the variants (interleaved A/B) would alias with one stride over all runs: halving
 * a sample of alternating runs keeps one variant only.
 */
class VariantSample {
  readonly kept: { seq: number; run: RunRecord }[] = [];
  private stride = 1;
  private seen = 0;

  constructor(private readonly cap: number) {}

  offer(seq: number, r: RunRecord): void {
    if (this.seen++ % this.stride !== 0) return;
    this.kept.push({ seq, run: slimRun(r) });
    if (this.kept.length >= this.cap) {
      // Keep every other sampled run and sample half as often from now on: systematic, deterministic.
      const half = this.kept.filter((_, i) => i % 2 === 0);
      this.kept.length = 0;
      this.kept.push(...half);
      this.stride *= 2;
    }
  }
}

export class RunDigest {
  private readonly acc: SummaryAccumulator;
  private readonly facts: RunFacts = { recorded: 0, rewarm: 0, failedWarmups: 0, excluded: { total: 0, listed: [], byReason: [] }, multiAgent: { total: 0, listed: [] }, commandExits: {} };
  private readonly reasons = new Map<string, number>();
  private readonly samples = new Map<string, VariantSample>();
  private readonly sampleShare: number;
  private countedSeen = 0;
  private firstReportOutput: OutputPick | null = null;
  private lastOutput: OutputPick | null = null;

  private readonly coldRuns: ColdRuns;

  constructor(private readonly meta: Meta) {
    const opts = summaryOptionsOf(meta);
    this.coldRuns = opts.coldRuns ?? 'exclude';
    this.acc = new SummaryAccumulator(opts);
    this.sampleShare = Math.max(2, Math.floor(MAX_SAMPLE_RUNS / Math.max(1, opts.variants.length)));
  }

  add(r: RunRecord): void {
    this.acc.add(r);
    const f = this.facts;
    f.recorded++;
    if (r.warmup && r.warmupReason && !/declared/.test(r.warmupReason)) f.rewarm++;
    if (r.warmup && r.status !== 'ok') f.failedWarmups++;
    const counted = countedRuns([r], this.coldRuns).length === 1;
    const why = exclusionOf(r, this.coldRuns);
    if (why !== null && why !== 'warmup') {
      f.excluded.total++;
      if (f.excluded.listed.length < MAX_LISTED_RUNS) f.excluded.listed.push({ run: r.run, variant: r.variant, status: r.status, reason: reasonOf(r) });
      this.reasons.set(reasonKey(r), (this.reasons.get(reasonKey(r)) ?? 0) + 1);
    }
    if (r.multiAgent && !r.warmup && r.soloAgent === undefined) {
      f.multiAgent.total++;
      if (f.multiAgent.listed.length < MAX_MULTI_AGENT_ROWS) f.multiAgent.listed.push({ run: r.run, variant: r.variant, counted, metrics: r.multiAgent });
    }
    if (r.command && !r.warmup) {
      const e = (f.commandExits[r.variant] ??= { runs: 0, zero: 0 });
      e.runs++;
      if (r.command.exitCode === 0) e.zero++;
    }
    if (counted) {
      this.keepSample(r);
      this.noteOutput(r);
    }
  }

  private keepSample(r: RunRecord): void {
    let s = this.samples.get(r.variant);
    if (!s) this.samples.set(r.variant, (s = new VariantSample(this.sampleShare)));
    s.offer(this.countedSeen++, r);
  }

  /** The variants' samples in file order. */
  private sampleOf(): RunRecord[] {
    return [...this.samples.values()].flatMap((s) => s.kept).sort((a, b) => a.seq - b.seq).map((x) => x.run);
  }

  private noteOutput(r: RunRecord): void {
    if (this.firstReportOutput) return;
    const calls: { call: CallRecord; agent?: string }[] = [...r.calls.map((call) => ({ call })), ...(r.agents ?? []).flatMap((a) => a.calls.map((call) => ({ call, agent: a.name })))];
    for (const { call, agent } of calls) {
      if (!call.outputFile) continue;
      const pick: OutputPick = { run: r.run, variant: r.variant, stage: call.stage, file: call.outputFile, ...(agent ? { agent } : {}) };
      if (call.stage === 'report') {
        this.firstReportOutput = pick;
        return;
      }
      this.lastOutput = pick;
    }
  }

  finish(): Digest {
    const summary = withKeptComparisons(this.acc.finish(), this.meta);
    this.facts.excluded.byReason = [...this.reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return { summary, facts: this.facts, sample: this.sampleOf(), output: this.firstReportOutput ?? this.lastOutput };
  }
}

/** The digest of runs already in memory (tests, small TRs). */
export function digestRuns(meta: Meta, runs: Iterable<RunRecord>): Digest {
  const d = new RunDigest(meta);
  for (const r of runs) d.add(r);
  return d.finish();
}
