// Synthetic records for the statistics tests: real RunRecord/CallRecord shapes, values chosen by each test.
import type { AgentRecord, CallRecord, CallStatus, CommandRunMetrics, MultiAgentRunMetrics, RunRecord, RunStatus } from '../../../src/core/types.js';

// Seeded data: numpy 2.4.6 default_rng(42): a = round(normal(100, 3, 8), 2), b = round(normal(104, 5, 7), 2).
export const SEEDED_A = [100.91, 96.88, 102.25, 102.82, 94.15, 96.09, 100.38, 99.05];
export const SEEDED_B = [103.92, 99.73, 108.4, 107.89, 104.33, 109.64, 106.34];

export interface CallSpec {
  stage?: string;
  /** Server decode rate; eval_duration is derived from it and evalCount. */
  tps: number;
  evalCount?: number;
  ttftMs?: number;
  e2eMs?: number;
  status?: CallStatus;
}

export function makeCall(s: CallSpec): CallRecord {
  const evalCount = s.evalCount ?? 100;
  const evalNs = Math.round((evalCount / s.tps) * 1e9);
  const ttft = s.ttftMs ?? 50;
  const e2e = s.e2eMs ?? ttft + (evalCount / s.tps) * 1000;
  const status = s.status ?? 'ok';
  return {
    stage: s.stage ?? 'generate',
    endpoint: 'default',
    url: 'http://127.0.0.1:11434',
    model: 'tiny:latest',
    api: 'generate',
    options: {},
    startedAt: '2026-01-01T00:00:00.000Z',
    status,
    server: status === 'ok'
      ? { total_duration: evalNs + 1e6, load_duration: 0, prompt_eval_count: 10, prompt_eval_duration: 1e6, eval_count: evalCount, eval_duration: evalNs, done_reason: 'stop' }
      : null,
    client: { sendOffsetMs: 0, headersMs: 5, firstTokenMs: ttft, endMs: e2e, chunkMs: [] },
    metrics: status === 'ok'
      ? {
        ttft_ms: ttft, ttft_answer_ms: ttft, server_ttft_ms: 1, queue_ms: null, decode_tps: s.tps, client_decode_tps: (evalCount - 1) / ((e2e - ttft) / 1000),
        tpot_ms: (e2e - ttft) / (evalCount - 1), itl_ms: null, e2e_ms: e2e, load_ms: 0, prompt_eval_ms: 1, prompt_tps: 10000,
        prompt_cached_tokens: null, server_residual_ms: 0, cold: false, decode_low_precision: evalCount < 8,
      }
      : null,
    textChars: 400,
  };
}

export interface RunSpec {
  run: number;
  variant: string;
  calls?: CallSpec[];
  warmup?: boolean;
  valid?: boolean;
  status?: RunStatus;
  wallMs?: number;
  stages?: Record<string, number>;
  agents?: AgentRecord[];
  multiAgent?: Partial<MultiAgentRunMetrics>;
  soloAgent?: string;
  command?: Partial<CommandRunMetrics>;
}

export function makeRun(s: RunSpec): RunRecord {
  const r: RunRecord = {
    run: s.run,
    variant: s.variant,
    repetition: s.run,
    warmup: s.warmup ?? false,
    valid: s.valid ?? true,
    status: s.status ?? 'ok',
    startedAt: '2026-01-01T00:00:00.000Z',
    wallMs: s.wallMs ?? 1000,
    calls: (s.calls ?? []).map(makeCall),
  };
  if (r.valid === false) r.invalidReason = 'test';
  if (s.stages) r.stages = s.stages;
  if (s.agents) r.agents = s.agents;
  if (s.soloAgent) r.soloAgent = s.soloAgent;
  if (s.multiAgent) {
    r.multiAgent = {
      concurrent_wall_ms: 2000, overlap_efficiency: 95, speedup_vs_sequential: null, aggregate_tps: null, jain_fairness: null,
      slowdown_vs_solo: null, ttft_inflation: null, start_skew_ms: 1, contention: false, ...s.multiAgent,
    };
  }
  if (s.command) {
    r.command = { argv: ['agent'], exitCode: 0, signal: null, startup_ms: null, process_wall_ms: 0, peak_rss_mb: null, cpu_ms: null, stdoutTail: '', stderrTail: '', ...s.command };
  }
  return r;
}

export function makeAgent(name: string, wallMs: number, calls: CallSpec[], status: RunStatus = 'ok'): AgentRecord {
  return { name, endpoint: 'default', options: {}, startOffsetMs: 0, wallMs, status, calls: calls.map(makeCall) };
}
