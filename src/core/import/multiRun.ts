// One concurrent two-agent run of the Rust multi-agent program (TR114_v2 / TR115_v2 metrics.json) as a
// RunRecord with agents[], and the run-level metrics recomputed from the agent wall times.
import { outputRef } from '../store/outputs';
import { multiAgentMetrics } from '../runner/kinds/multiAgentMetrics';
import type { AgentRecord, CallRecord, MultiAgentRunMetrics, RunRecord } from '../types';
import type { EndpointNames } from './names';
import { rustCall, rustStages, stageOffsets, throughputMismatches } from './rustCalls';
import { arr, num, obj, str } from './scan';

/** The original's rule, reproduced: a run is contended when Σ agent wall / concurrent wall < 1.5. */
export const ORIGINAL_CONTENTION = { rule: 'overlap-speedup-below' as const, threshold: 1.5 };

export const AGENT_ROLES = ['collector', 'insight'] as const;

export interface RunTarget {
  run: number;
  variant: string;
  repetition: number;
  /** Prefix for the names of saved texts (outputs.jsonl). */
  outputPrefix: string;
}

export interface ConvertedRun {
  record: RunRecord;
  stored: { efficiency: number | null; speedup: number | null; contention: boolean | null };
  throughputMismatches: number;
}

/**
 * Recompute the run metrics from agent walls with the product's multiAgentMetrics. The original measured no
 * solo baseline (speedup_vs_sequential stays null) and no start times (start skew is not known: NaN, which
 * JSON stores as null).
 */
export function recomputeMultiAgent(agents: AgentRecord[], concurrentWallMs: number, tokens?: number): MultiAgentRunMetrics {
  const m = multiAgentMetrics(agents, concurrentWallMs, null, ORIGINAL_CONTENTION);
  m.start_skew_ms = NaN;
  const hasCalls = agents.some((a) => a.calls.length > 0);
  if (!hasCalls) m.aggregate_tps = tokens !== undefined && concurrentWallMs > 0 ? tokens / (concurrentWallMs / 1000) : null;
  return m;
}

function rustAgent(role: string, raw: unknown, target: RunTarget, endpoints: EndpointNames, outputs: Map<string, string>): { agent: AgentRecord; mismatches: number; at?: string } | null {
  const a = obj(raw);
  const config = obj(a?.config);
  const result = obj(a?.result);
  const exec = num(a?.execution_time_s);
  if (!a || !result || exec === undefined) return null;
  const url = str(config?.base_url) ?? 'unknown';
  const endpoint = endpoints.name(url);
  const options = obj(config?.options) ?? obj(result.configuration) ?? {};
  const model = str(config?.model) ?? str(result.model) ?? 'unknown';
  const at = str(result.timestamp);
  const stages = rustStages(result.workflow);
  const offsets = stageOffsets(stages);
  const raws = arr(result.llm_calls);
  const calls: CallRecord[] = [];
  raws.forEach((c, i) => {
    const stage = str(obj(c)?.stage) ?? `call${i + 1}`;
    const response = str(obj(c)?.response);
    const name = `${target.outputPrefix}_${role}_${i + 1}_${stage}.md`;
    if (response) outputs.set(name, response);
    const call = rustCall(c, { endpoint, url, model, options, startedAt: at ?? '', sendOffsetMs: offsets[stage] ?? 0, outputFile: response ? outputRef(name) : undefined });
    if (call) calls.push(call);
  });
  const agent: AgentRecord = {
    name: role,
    endpoint,
    options,
    startOffsetMs: NaN,
    wallMs: exec * 1000,
    status: 'ok',
    calls,
  };
  if (stages) agent.stages = stages;
  const files = num(result.benchmark_data_count);
  if (files !== undefined) agent.filesIngested = files;
  return { agent, mismatches: throughputMismatches(raws, calls), at };
}

/** A Rust multi-agent metrics.json → RunRecord; a string (the reason) when the file cannot be used. */
export function rustMultiRun(json: unknown, target: RunTarget, endpoints: EndpointNames, outputs: Map<string, string>): ConvertedRun | string {
  const d = obj(json);
  if (!d) return 'not a multi-agent metrics.json (not an object)';
  const summary = obj(d.summary);
  const wallS = num(summary?.concurrent_wall_time_s);
  if (!summary || wallS === undefined) return 'no summary.concurrent_wall_time_s';
  const agents: AgentRecord[] = [];
  let mismatches = 0;
  const stamps: string[] = [];
  for (const role of AGENT_ROLES) {
    const r = rustAgent(role, d[role], target, endpoints, outputs);
    if (!r) return `no usable "${role}" agent (execution_time_s and result are required)`;
    agents.push(r.agent);
    mismatches += r.mismatches;
    if (r.at) stamps.push(r.at);
  }
  const wallMs = wallS * 1000;
  const original: Record<string, unknown> = { summary };
  for (const role of AGENT_ROLES) {
    const a = obj(d[role]);
    const res = obj(a?.result);
    original[role] = { label: str(obj(a?.config)?.label), agent_type: str(res?.agent_type), execution_time_s: num(a?.execution_time_s), aggregate_metrics: res?.aggregate_metrics };
  }
  const record: RunRecord = {
    run: target.run,
    variant: target.variant,
    repetition: target.repetition,
    warmup: false,
    valid: true,
    status: 'ok',
    startedAt: stamps.sort()[0] ?? '',
    wallMs,
    calls: [],
    agents,
    multiAgent: recomputeMultiAgent(agents, wallMs),
    original,
  };
  const contention = summary.resource_contention_detected;
  return {
    record,
    stored: { efficiency: num(summary.efficiency_percent) ?? null, speedup: num(summary.concurrency_speedup) ?? null, contention: typeof contention === 'boolean' ? contention : null },
    throughputMismatches: mismatches,
  };
}
