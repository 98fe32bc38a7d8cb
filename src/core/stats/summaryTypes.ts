// Shapes of the run summary written to meta.json `summary` (PRODUCT.md §5). Type aliases (not
// interfaces) so they stay assignable to the open Summary / VariantSummary contracts of types.ts.
import type { CapacitySummary } from '../capacity/summary';
import type { Summary, VariantSummary } from '../types.js';
import type { ComparisonResult } from './compare.js';
import type { SummaryStat } from './table.js';
import type { OutputStats } from './outputs.js';

export interface VariantSpec {
  name: string;
  options: Record<string, unknown>;
  /** Optional scenario the variant belongs to (e.g. a TR114-style "chimera_homo"); scenarios get their own statistics. */
  scenario?: string;
}

export interface SummaryOptions {
  kind: string;
  variants: readonly VariantSpec[];
  /** The declared contention rule, written verbatim into summary.multiAgent.contention_rule. */
  contentionRule?: unknown;
  /** Percent difference the sample-size hint is sized for (default 2). */
  detectPercent?: number;
  /** Bootstrap seed (default BOOTSTRAP_SEED). */
  seed?: number;
  /** Whether runs marked cold are left out (default "exclude"). */
  coldRuns?: 'exclude' | 'include';
}

export type ExcludedCounts = { warmup: number; failed: number; cancelled: number; invalid: number; cold: number };

/** Retried calls of the measured runs (SUMMARY_DEFINITIONS.retries): the saturation signal. */
export type RetryCounts = { calls: number; attempts: number; byCode: Record<string, number> };

export type WeightedTps = { value: number; eval_count: number; eval_duration_ms: number; label: string };
export type CallMeanTps = { value: number; calls: number; label: string };

/** Statistics of one group: `n` counted runs and, per metric present, a SummaryStat under the metric's name. */
export type GroupStats = {
  n: number;
  decode_tps_weighted: WeightedTps | null;
  decode_tps_call_mean: CallMeanTps | null;
  [metric: string]: unknown;
};

/** Percentiles over calls (SUMMARY_DEFINITIONS.per_call_percentiles), n = calls. */
export type CallPercentiles = { n: number; median: number; p95: number; p99: number; max: number };

export type StageStats = GroupStats & { calls: number };
export type AgentStats = GroupStats & { endpoint: string | null; failed: number };

export type VariantStats = VariantSummary & GroupStats & {
  declared: boolean;
  scenario?: string;
  excluded: ExcludedCounts;
  /** Per-stage statistics (analysis vs report…), present when the variant's calls have more than one stage. */
  stages?: Record<string, StageStats>;
  /** Per-stage durations from the run record (ingest/analysis/report/total), ms. */
  stageDurations?: Record<string, SummaryStat>;
  agents?: Record<string, AgentStats>;
  /** Solo (sequential-baseline) runs per agent, kept out of the concurrent statistics. */
  solo?: Record<string, GroupStats>;
  /** runs = counted concurrent runs; undecided = runs whose rule could not be decided; rate = flagged / (runs − undecided). */
  /** Per-call percentiles of the latency metrics (PER_CALL_METRICS) over all ok calls of the counted runs. */
  per_call?: Record<string, CallPercentiles>;
  /** How the counted runs' calls ended and how long their outputs were (SUMMARY_DEFINITIONS.outputs). */
  outputs?: OutputStats;
  contention?: { flagged: number; runs: number; undecided: number; rate: number | null };
  /** Present when a call of the variant's measured runs was retried. */
  retries?: RetryCounts;
};

export type ScenarioStats = GroupStats & { name: string; variants: string[] };

export type MultiAgentSummary = {
  runs: number;
  overlap_efficiency: SummaryStat | null;
  speedup_vs_sequential: SummaryStat | null;
  aggregate_tps: SummaryStat | null;
  jain_fairness: SummaryStat | null;
  /** Flagged / decided multi-agent runs, a fraction 0–1; null without a decided run. */
  contention_rate: number | null;
  contention_flagged: number;
  /** Runs whose contention rule could not be decided (contention null), left out of the rate. */
  contention_undecided: number;
  contention_rule: unknown;
};

export type RunCounts = ExcludedCounts & { runs: number; counted: number; solo: number };

export type RunSummary = Summary & {
  kind: string;
  /** The variant the others are compared against (the first declared variant with counted runs). */
  reference: string | null;
  counts: RunCounts;
  retries: RetryCounts;
  variants: VariantStats[];
  comparisons: ComparisonResult[];
  multiAgent?: MultiAgentSummary;
  scenarios?: ScenarioStats[];
  /** kind capacity: per variant and level (PRODUCT.md §11.4). */
  capacity?: CapacitySummary;
  definitions: Record<string, string>;
  method: { confidence: number; alpha: number; bootstrapResamples: number; bootstrapSeed: number; detectPercent: number; power: number };
};

/** A metric's statistics on a group, or null when the group has none. */
/** A variant's per-call percentiles of a metric, only where it has enough calls for a p95/p99 to mean something (minCalls: MIN_CALLS_FOR_TAIL). */
export function callTailOf(group: Record<string, unknown>, metric: string, minCalls: number): CallPercentiles | null {
  const t = (group.per_call as Record<string, CallPercentiles> | undefined)?.[metric];
  return t && t.n >= minCalls ? t : null;
}

export function statOf(group: Record<string, unknown>, metric: string): SummaryStat | null {
  const v = group[metric];
  return v !== null && typeof v === 'object' && 'mean' in v && 'n' in v ? (v as SummaryStat) : null;
}
