// Incremental run summary: add(run) per run as runs.jsonl streams in, finish() once. Only per-metric
// number columns and a few sums are kept per group — never the run objects — so a million runs fit.
import type { CallRecord, MultiAgentRunMetrics, RunRecord } from '../types.js';
import { type ComparisonResult, applyHolm, compareSamples, DEFAULT_DETECT_PERCENT, ALPHA } from './compare.js';
import { NumberBuffer } from './buffer.js';
import { tailPercentiles } from './describe.js';
import { CALL_METRICS, COMMAND_METRICS, MULTI_AGENT_METRICS, PER_CALL_METRICS, SUMMARY_DEFINITIONS, SUMMARY_METRICS, comparisonMetrics } from './metrics.js';
import { POWER_TARGET } from './power.js';
import { ThroughputSums, callMetricMeans, callsByStage, callsOf, countRetries, exclusionOf, okCalls, singleStage } from './runValues.js';
import type { AgentStats, GroupStats, MultiAgentSummary, RetryCounts, RunCounts, RunSummary, ScenarioStats, StageStats, SummaryOptions, VariantStats } from './summaryTypes.js';
import { MetricTable } from './table.js';
import { OutputTally } from './outputs.js';
import { CapacityAccumulator } from '../capacity/summary.js';
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED } from './twoSample.js';

// Positions in a run row (SUMMARY_METRICS order).
const WALL = CALL_METRICS.length;
const COMMAND = WALL + 1;
const MULTI = COMMAND + COMMAND_METRICS.length;

class Group {
  readonly table = new MetricTable(SUMMARY_METRICS);
  readonly tps = new ThroughputSums();

  stats(): GroupStats {
    const w = this.tps.weighted();
    const m = this.tps.callMean();
    return {
      n: this.table.rows,
      ...this.table.stats(SUMMARY_METRICS),
      decode_tps_weighted: w && { ...w, label: SUMMARY_DEFINITIONS.decode_tps_weighted },
      decode_tps_call_mean: m && { ...m, label: SUMMARY_DEFINITIONS.decode_tps_call_mean },
    };
  }
}

class VariantState {
  readonly main = new Group();
  readonly excluded = { warmup: 0, failed: 0, cancelled: 0, invalid: 0, cold: 0 };
  readonly stages = new Map<string, Group>();
  readonly stageCalls = new Map<string, number>();
  readonly stageDurations = new MetricTable(['ingest', 'analysis', 'report', 'total']);
  readonly agents = new Map<string, { group: Group; endpoint: string | null; failed: number }>();
  readonly solo = new Map<string, Group>();
  readonly contention = { flagged: 0, runs: 0, undecided: 0 };
  readonly retries: RetryCounts = { calls: 0, attempts: 0, byCode: {} };
  /** One value per ok call of the counted runs, per PER_CALL_METRICS entry (8 bytes a call and metric). */
  readonly perCall = PER_CALL_METRICS.map(() => new NumberBuffer());
  readonly outputs = new OutputTally();
  constructor(readonly name: string, readonly options: Record<string, unknown>, readonly declared: boolean, readonly scenario?: string) {}
}

/** Flagged / decided runs (SUMMARY_DEFINITIONS.contention_rate); null when no run could be decided. */
function contentionRate(flagged: number, decided: number): number | null {
  return decided > 0 ? flagged / decided : null;
}

function copyRetries(r: RetryCounts): RetryCounts {
  return { calls: r.calls, attempts: r.attempts, byCode: { ...r.byCode } };
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

export class SummaryAccumulator {
  private readonly variants = new Map<string, VariantState>();
  private readonly scenarios = new Map<string, { group: Group; variants: string[] }>();
  private readonly capacity = new CapacityAccumulator();
  private readonly multi = { table: new MetricTable(MULTI_AGENT_METRICS), flagged: 0, undecided: 0 };
  private readonly counts: RunCounts = { runs: 0, counted: 0, solo: 0, warmup: 0, failed: 0, cancelled: 0, invalid: 0, cold: 0 };
  private readonly retries: RetryCounts = { calls: 0, attempts: 0, byCode: {} };
  // Scratch rows reused for every run (positions of SUMMARY_METRICS), so add() allocates little.
  private readonly row = new Float64Array(SUMMARY_METRICS.length);
  private readonly callRow = new Float64Array(CALL_METRICS.length);
  private readonly maRow = new Float64Array(MULTI_AGENT_METRICS.length);

  constructor(private readonly opts: SummaryOptions) {
    for (const v of opts.variants) this.variants.set(v.name, new VariantState(v.name, v.options, true, v.scenario));
  }

  add(run: RunRecord): void {
    this.counts.runs++;
    const v = this.variants.get(run.variant) ?? this.newVariant(run.variant);
    // A capacity run's failed requests are part of its answer (error rate): it enters summary.capacity even when failed.
    if (run.capacity && !run.warmup && run.status !== 'cancelled') this.capacity.add(run.variant, run.capacity);
    if (!run.warmup) {
      // Retries count in every measured run, failed ones included: a run that failed after its retries is saturation too.
      const calls = callsOf(run);
      countRetries(calls, this.retries);
      countRetries(calls, v.retries);
    }
    const why = exclusionOf(run, this.opts.coldRuns);
    if (why !== null) {
      v.excluded[why]++;
      this.counts[why]++;
      return;
    }
    const calls = okCalls(callsOf(run));
    const row = this.row.fill(NaN);
    callMetricMeans(calls, this.callRow);
    row.set(this.callRow, 0);
    row[WALL] = run.wallMs;
    if (run.soloAgent !== undefined) {
      this.counts.solo++;
      const g = getOr(v.solo, run.soloAgent, () => new Group());
      g.table.addRow(run.run, row.subarray(0, WALL + 1));
      g.tps.add(calls);
      return;
    }
    this.counts.counted++;
    if (run.command) {
      const c = run.command;
      row[COMMAND] = c.startup_ms ?? NaN;
      row[COMMAND + 1] = c.process_wall_ms;
      row[COMMAND + 2] = c.peak_rss_mb ?? NaN;
      row[COMMAND + 3] = c.cpu_ms ?? NaN;
    }
    if (run.multiAgent) this.addMultiAgent(v, run.run, run.multiAgent);
    v.main.table.addRow(run.run, row);
    v.main.tps.add(calls);
    for (const c of calls) {
      v.outputs.add(c);
      PER_CALL_METRICS.forEach((m, i) => {
        const x = c.metrics?.[m];
        if (typeof x === 'number' && Number.isFinite(x)) v.perCall[i].push(x);
      });
    }
    if (v.scenario !== undefined) {
      const s = getOr(this.scenarios, v.scenario, () => ({ group: new Group(), variants: [] as string[] }));
      if (!s.variants.includes(v.name)) s.variants.push(v.name);
      s.group.table.addRow(run.run, row);
      s.group.tps.add(calls);
    }
    this.addStages(v, run, calls);
    for (const agent of run.agents ?? []) {
      const a = getOr(v.agents, agent.name, () => ({ group: new Group(), endpoint: agent.endpoint ?? null, failed: 0 }));
      if (agent.status !== 'ok') {
        a.failed++;
        continue;
      }
      const agentCalls = okCalls(agent.calls);
      const agentRow = this.row.fill(NaN);
      callMetricMeans(agentCalls, this.callRow);
      agentRow.set(this.callRow, 0);
      agentRow[WALL] = agent.wallMs;
      a.group.table.addRow(run.run, agentRow.subarray(0, WALL + 1));
      a.group.tps.add(agentCalls);
    }
  }

  private newVariant(name: string): VariantState {
    const v = new VariantState(name, {}, false);
    this.variants.set(name, v);
    return v;
  }

  /** Multi-agent run metrics go into the variant's row (already filled by the caller) and the overall table. */
  private addMultiAgent(v: VariantState, run: number, ma: MultiAgentRunMetrics): void {
    MULTI_AGENT_METRICS.forEach((m, i) => {
      this.maRow[i] = ma[m] ?? NaN;
    });
    this.row.set(this.maRow, MULTI);
    this.multi.table.addRow(run, this.maRow);
    v.contention.runs++;
    if (ma.contention === null) {
      // The rule could not be decided for this run: counted, never taken as "no contention".
      v.contention.undecided++;
      this.multi.undecided++;
    } else if (ma.contention) {
      v.contention.flagged++;
      this.multi.flagged++;
    }
  }

  /** Per-stage rows: a run whose calls share one stage reuses the run's call means. */
  private addStages(v: VariantState, run: RunRecord, calls: readonly CallRecord[]): void {
    if (calls.length > 0 && singleStage(calls)) {
      this.addStage(v, run.run, calls[0].stage, calls, this.callRow);
    } else {
      for (const [stage, stageCalls] of callsByStage(calls)) this.addStage(v, run.run, stage, stageCalls, callMetricMeans(stageCalls));
    }
    if (run.stages) v.stageDurations.addNamedRow(run.run, Object.entries(run.stages));
  }

  private addStage(v: VariantState, run: number, stage: string, calls: readonly CallRecord[], means: Float64Array): void {
    const g = getOr(v.stages, stage, () => new Group());
    g.table.addRow(run, means);
    g.tps.add(calls);
    v.stageCalls.set(stage, (v.stageCalls.get(stage) ?? 0) + calls.length);
  }

  /**
   * Per-run values of a metric for a variant's counted runs (empty when none), e.g. to compare
   * variants of two TRs with compareSamples. Valid until the next add().
   */
  values(variant: string, metric: string): Float64Array {
    return this.variants.get(variant)?.main.table.values(metric).values ?? new Float64Array(0);
  }

  finish(): RunSummary {
    const detectPercent = this.opts.detectPercent ?? DEFAULT_DETECT_PERCENT;
    const seed = this.opts.seed ?? BOOTSTRAP_SEED;
    const states = [...this.variants.values()];
    const variants = states.map((s) => this.variantStats(s));
    const reference = states.find((s) => s.main.table.rows > 0) ?? null;
    const comparisons: ComparisonResult[] = [];
    if (reference) {
      for (const s of states) {
        if (s === reference || s.main.table.rows === 0) continue;
        for (const metric of comparisonMetrics(this.opts.kind)) {
          const a = reference.main.table.values(metric).values;
          const b = s.main.table.values(metric).values;
          if (a.length === 0 || b.length === 0) continue;
          comparisons.push(compareSamples(a, b, { a: reference.name, b: s.name, metric, seed, detectPercent }));
        }
      }
    }
    const summary: RunSummary = {
      kind: this.opts.kind,
      reference: reference?.name ?? null,
      counts: { ...this.counts },
      retries: copyRetries(this.retries),
      variants,
      comparisons: applyHolm(comparisons, detectPercent),
      definitions: { ...SUMMARY_DEFINITIONS },
      method: { confidence: 0.95, alpha: ALPHA, bootstrapResamples: BOOTSTRAP_RESAMPLES, bootstrapSeed: seed, detectPercent, power: POWER_TARGET },
    };
    if (this.opts.kind === 'multi-agent' || this.multi.table.rows > 0) summary.multiAgent = this.multiAgentStats();
    const capacity = this.capacity.finish();
    if (capacity) summary.capacity = capacity;
    if (this.scenarios.size > 0) {
      summary.scenarios = [...this.scenarios].map(([name, s]): ScenarioStats => ({ name, variants: s.variants, ...s.group.stats() }));
    }
    return summary;
  }

  private variantStats(s: VariantState): VariantStats {
    const out: VariantStats = { name: s.name, options: s.options, declared: s.declared, excluded: { ...s.excluded }, ...s.main.stats() };
    if (s.scenario !== undefined) out.scenario = s.scenario;
    if (s.stages.size > 1) {
      out.stages = Object.fromEntries([...s.stages].map(([name, g]): [string, StageStats] => [name, { ...g.stats(), calls: s.stageCalls.get(name) ?? 0 }]));
    }
    if (s.stageDurations.rows > 0) out.stageDurations = s.stageDurations.stats(['ingest', 'analysis', 'report', 'total']);
    if (s.agents.size > 0) {
      out.agents = Object.fromEntries([...s.agents].map(([name, a]): [string, AgentStats] => [name, { ...a.group.stats(), endpoint: a.endpoint, failed: a.failed }]));
    }
    const perCall = PER_CALL_METRICS.flatMap((m, i) => {
      const t = tailPercentiles(s.perCall[i].view());
      return t ? [[m, t] as const] : [];
    });
    if (perCall.length > 0) out.per_call = Object.fromEntries(perCall);
    const outputs = s.outputs.stats();
    if (outputs) out.outputs = outputs;
    if (s.solo.size > 0) out.solo = Object.fromEntries([...s.solo].map(([name, g]) => [name, g.stats()]));
    if (s.retries.calls > 0) out.retries = copyRetries(s.retries);
    if (s.contention.runs > 0) out.contention = { ...s.contention, rate: contentionRate(s.contention.flagged, s.contention.runs - s.contention.undecided) };
    return out;
  }

  private multiAgentStats(): MultiAgentSummary {
    const t = this.multi.table;
    return {
      runs: t.rows,
      overlap_efficiency: t.stat('overlap_efficiency'),
      speedup_vs_sequential: t.stat('speedup_vs_sequential'),
      aggregate_tps: t.stat('aggregate_tps'),
      jain_fairness: t.stat('jain_fairness'),
      contention_rate: contentionRate(this.multi.flagged, t.rows - this.multi.undecided),
      contention_flagged: this.multi.flagged,
      contention_undecided: this.multi.undecided,
      contention_rule: this.opts.contentionRule ?? null,
    };
  }
}

/** The summary of a list of runs (warm-ups and failed/invalid runs are counted, not used). */
export function buildSummary(runs: Iterable<RunRecord>, opts: SummaryOptions): RunSummary {
  const acc = new SummaryAccumulator(opts);
  for (const r of runs) acc.add(r);
  return acc.finish();
}
