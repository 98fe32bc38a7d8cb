// Run-level multi-agent metrics (PRODUCT.md §2.2). overlap_efficiency reproduces the original program's
// "parallel efficiency" (it measures overlap, not gain); speedup_vs_sequential uses solo runs of the same
// agents measured in the same experiment, so a single-slot endpoint shows ~1× even at ~100% overlap.
import type { AgentRecord, CallRecord, MultiAgentRunMetrics } from '../../types';
import type { ContentionRuleName } from '../../experiment/types';

export interface SoloMeasure { wallMs: number; ttftMs: number | null }

function okCalls(calls: CallRecord[]): CallRecord[] {
  return calls.filter((c) => c.status === 'ok' && c.server);
}

/** Σ eval_count / Σ eval_duration of an agent's calls, tokens/s (null without decoded tokens). */
export function weightedTps(calls: CallRecord[]): number | null {
  let tokens = 0;
  let ns = 0;
  for (const c of okCalls(calls)) {
    tokens += c.server!.eval_count;
    ns += c.server!.eval_duration;
  }
  return ns > 0 ? tokens / (ns / 1e9) : null;
}

export function meanTtft(calls: CallRecord[]): number | null {
  const v = calls.map((c) => c.metrics?.ttft_ms).filter((x): x is number => typeof x === 'number');
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** Jain's fairness index (Σx)² / (n·Σx²): 1 = perfectly even, 1/n = one agent gets everything. */
export function jainIndex(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const sum = xs.reduce((a, b) => a + b, 0);
  const sq = xs.reduce((a, b) => a + b * b, 0);
  return sq > 0 ? (sum * sum) / (xs.length * sq) : null;
}

/**
 * The ttft-above-solo rule: true as soon as one agent's mean TTFT exceeds threshold × its solo TTFT;
 * false only when every agent's ratio is known and none does; null (undecided) otherwise — a missing or
 * failed solo run is not evidence of "no contention".
 */
function ttftAboveSolo(agents: AgentRecord[], solo: Map<string, SoloMeasure> | null, threshold: number): boolean | null {
  let unknown = false;
  for (const a of agents) {
    const t = meanTtft(a.calls);
    const s = solo?.get(a.name)?.ttftMs ?? null;
    if (t === null || s === null || !(s > 0)) unknown = true;
    else if (t / s > threshold) return true;
  }
  return unknown ? null : false;
}

export function multiAgentMetrics(
  agents: AgentRecord[],
  concurrentWallMs: number,
  solo: Map<string, SoloMeasure> | null,
  rule: { rule: ContentionRuleName; threshold: number },
): MultiAgentRunMetrics {
  const n = agents.length;
  const sumWall = agents.reduce((s, a) => s + a.wallMs, 0);
  const overlapSpeedup = concurrentWallMs > 0 ? sumWall / concurrentWallMs : 1;
  const haveSolo = solo !== null && agents.every((a) => solo.has(a.name));
  const speedup = haveSolo && concurrentWallMs > 0 ? agents.reduce((s, a) => s + solo.get(a.name)!.wallMs, 0) / concurrentWallMs : null;
  const tokens = agents.reduce((s, a) => s + okCalls(a.calls).reduce((t, c) => t + c.server!.eval_count, 0), 0);
  const perAgentTps = agents.map((a) => weightedTps(a.calls)).filter((x): x is number => x !== null);
  const slowdown = haveSolo ? Object.fromEntries(agents.map((a) => [a.name, a.wallMs / solo.get(a.name)!.wallMs])) : null;
  const inflation = haveSolo
    ? Object.fromEntries(agents.flatMap((a) => {
        const t = meanTtft(a.calls);
        const s = solo.get(a.name)!.ttftMs;
        return t !== null && s !== null && s > 0 ? [[a.name, t / s]] : [];
      }))
    : null;
  const firstSends = agents.map((a) => a.calls[0]?.client.sendOffsetMs).filter((x): x is number => typeof x === 'number');
  let contention: boolean | null;
  if (rule.rule === 'overlap-speedup-below') contention = overlapSpeedup < rule.threshold;
  else if (rule.rule === 'speedup-below') contention = speedup === null ? null : speedup < rule.threshold;
  else contention = ttftAboveSolo(agents, solo, rule.threshold);
  return {
    concurrent_wall_ms: concurrentWallMs,
    overlap_efficiency: (overlapSpeedup / n) * 100,
    speedup_vs_sequential: speedup,
    aggregate_tps: concurrentWallMs > 0 ? tokens / (concurrentWallMs / 1000) : null,
    jain_fairness: perAgentTps.length === n ? jainIndex(perAgentTps) : null,
    slowdown_vs_solo: slowdown,
    ttft_inflation: inflation && Object.keys(inflation).length ? inflation : null,
    start_skew_ms: firstSends.length > 1 ? Math.max(...firstSends) - Math.min(...firstSends) : 0,
    contention,
  };
}
