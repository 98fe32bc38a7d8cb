// Incremental run summary: add(run) per run as runs.jsonl streams in, finish() once. Only per-metric
// number columns and a few sums are kept per group — never the run objects — so a million runs fit.
import type { RunRecord } from '../types.js';
import { type ComparisonResult, compareSamples, DEFAULT_DETECT_PERCENT, ALPHA } from './compare.js';
import { MULTI_AGENT_METRICS, SUMMARY_DEFINITIONS, SUMMARY_METRICS, comparisonMetrics } from './metrics.js';
import { POWER_TARGET } from './power.js';
import { ThroughputSums, callMetricMeans, callsByStage, callsOf, exclusionOf, okCalls } from './runValues.js';
import type { AgentStats, GroupStats, MultiAgentSummary, RunCounts, RunSummary, ScenarioStats, StageStats, SummaryOptions, VariantStats } from './summaryTypes.js';
import { MetricTable } from './table.js';
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED } from './twoSample.js';

class Group {
  readonly table = new MetricTable();
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
  readonly excluded = { warmup: 0, failed: 0, cancelled: 0, invalid: 0 };
  readonly stages = new Map<string, Group>();
  readonly stageCalls = new Map<string, number>();
  readonly stageDurations = new MetricTable();
  readonly agents = new Map<string, { group: Group; endpoint: string | null; failed: number }>();
  readonly solo = new Map<string, Group>();
  readonly contention = { flagged: 0, runs: 0 };
  constructor(readonly name: string, readonly options: Record<string, unknown>, readonly declared: boolean, readonly scenario?: string) {}
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
  private readonly multi = { table: new MetricTable(), flagged: 0 };
  private readonly counts: RunCounts = { runs: 0, counted: 0, solo: 0, warmup: 0, failed: 0, cancelled: 0, invalid: 0 };

  constructor(private readonly opts: SummaryOptions) {
    for (const v of opts.variants) this.variants.set(v.name, new VariantState(v.name, v.options, true, v.scenario));
  }

  add(run: RunRecord): void {
    this.counts.runs++;
    const v = getOr(this.variants, run.variant, () => new VariantState(run.variant, {}, false));
    const why = exclusionOf(run);
    if (why !== null) {
      v.excluded[why]++;
      this.counts[why]++;
      return;
    }
    const calls = okCalls(callsOf(run));
    if (run.soloAgent !== undefined) {
      this.counts.solo++;
      const g = getOr(v.solo, run.soloAgent, () => new Group());
      g.table.addRow(run.run, [...callMetricMeans(calls), ['wall_ms', run.wallMs]]);
      g.tps.add(calls);
      return;
    }
    this.counts.counted++;
    const row: [string, number | null | undefined][] = [...callMetricMeans(calls), ['wall_ms', run.wallMs]];
    if (run.command) {
      const c = run.command;
      row.push(['startup_ms', c.startup_ms], ['process_wall_ms', c.process_wall_ms], ['peak_rss_mb', c.peak_rss_mb], ['cpu_ms', c.cpu_ms]);
    }
    if (run.multiAgent) {
      const ma = run.multiAgent;
      const maRow = MULTI_AGENT_METRICS.map((m) => [m, ma[m]] as [string, number | null]);
      row.push(...maRow);
      this.multi.table.addRow(run.run, maRow);
      v.contention.runs++;
      if (ma.contention) {
        v.contention.flagged++;
        this.multi.flagged++;
      }
    }
    v.main.table.addRow(run.run, row);
    v.main.tps.add(calls);
    if (v.scenario !== undefined) {
      const s = getOr(this.scenarios, v.scenario, () => ({ group: new Group(), variants: [] as string[] }));
      if (!s.variants.includes(v.name)) s.variants.push(v.name);
      s.group.table.addRow(run.run, row);
      s.group.tps.add(calls);
    }
    for (const [stage, stageCalls] of callsByStage(calls)) {
      const g = getOr(v.stages, stage, () => new Group());
      g.table.addRow(run.run, callMetricMeans(stageCalls));
      g.tps.add(stageCalls);
      v.stageCalls.set(stage, (v.stageCalls.get(stage) ?? 0) + stageCalls.length);
    }
    if (run.stages) v.stageDurations.addRow(run.run, Object.entries(run.stages));
    for (const agent of run.agents ?? []) {
      const a = getOr(v.agents, agent.name, () => ({ group: new Group(), endpoint: agent.endpoint ?? null, failed: 0 }));
      if (agent.status !== 'ok') {
        a.failed++;
        continue;
      }
      const agentCalls = okCalls(agent.calls);
      a.group.table.addRow(run.run, [...callMetricMeans(agentCalls), ['wall_ms', agent.wallMs]]);
      a.group.tps.add(agentCalls);
    }
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
      variants,
      comparisons,
      definitions: { ...SUMMARY_DEFINITIONS },
      method: { confidence: 0.95, alpha: ALPHA, bootstrapResamples: BOOTSTRAP_RESAMPLES, bootstrapSeed: seed, detectPercent, power: POWER_TARGET },
    };
    if (this.opts.kind === 'multi-agent' || this.multi.table.rows > 0) summary.multiAgent = this.multiAgentStats();
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
    if (s.solo.size > 0) out.solo = Object.fromEntries([...s.solo].map(([name, g]) => [name, g.stats()]));
    if (s.contention.runs > 0) out.contention = { ...s.contention, rate: s.contention.flagged / s.contention.runs };
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
      contention_rate: t.rows === 0 ? null : this.multi.flagged / t.rows,
      contention_flagged: this.multi.flagged,
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
