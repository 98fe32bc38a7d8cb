// Per-call derived metrics, exactly as PRODUCT.md §3 defines them. Inputs are the raw server
// fields (ns, absent zero fields already stored as 0) and the client's monotonic timings (ms).
import type { CallMetrics, ClientTimings, ServerFields } from '../types';
import { distributionOf, gapsOf } from './distribution';

/**
 * Default `cold` threshold on load_duration. A warm Ollama runner reports well under a few ms of
 * load_duration; loading even the engine's 0.5 MB model takes tens of ms. Configurable per experiment.
 */
export const DEFAULT_COLD_THRESHOLD_MS = 20;

export interface DeriveOptions {
  /** Network round-trip estimate (ms) used for queue_ms; queue_ms is null without it. */
  networkMs?: number | null;
  /** load_duration at or above this (ms) marks the call cold. */
  coldThresholdMs?: number;
}

const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;

/** count / (durationNs in s), or null when either is not positive (nothing to divide). */
function ratePerSecond(count: number, durationNs: number): number | null {
  return count > 0 && durationNs > 0 ? count / (durationNs / NS_PER_S) : null;
}

export function deriveCallMetrics(server: ServerFields | null, client: ClientTimings, opts: DeriveOptions = {}): CallMetrics {
  const coldThresholdMs = opts.coldThresholdMs ?? DEFAULT_COLD_THRESHOLD_MS;
  const first = client.firstTokenMs;
  const end = client.endMs;
  const ttft = first;

  const loadMs = server ? server.load_duration / NS_PER_MS : null;
  const promptEvalMs = server ? server.prompt_eval_duration / NS_PER_MS : null;
  const serverTtft = loadMs !== null && promptEvalMs !== null ? loadMs + promptEvalMs : null;
  const networkMs = opts.networkMs ?? null;
  const queue = ttft !== null && serverTtft !== null && networkMs !== null ? ttft - serverTtft - networkMs : null;

  const evalCount = server?.eval_count ?? 0;
  // Decode window on the client: first content chunk → end of stream.
  const decodeWindowMs = first !== null ? end - first : null;
  const e2eTps = server && evalCount > 0 && decodeWindowMs !== null && decodeWindowMs > 0 ? evalCount / (decodeWindowMs / 1000) : null;
  const tpot = server && evalCount >= 2 && decodeWindowMs !== null ? decodeWindowMs / (evalCount - 1) : null;

  return {
    ttft_ms: ttft,
    server_ttft_ms: serverTtft,
    queue_ms: queue,
    decode_tps: server ? ratePerSecond(server.eval_count, server.eval_duration) : null,
    e2e_tps: e2eTps,
    tpot_ms: tpot,
    itl_ms: distributionOf(gapsOf(client.chunkMs)),
    e2e_ms: end,
    load_ms: loadMs,
    prompt_eval_ms: promptEvalMs,
    prompt_tps: server ? ratePerSecond(server.prompt_eval_count, server.prompt_eval_duration) : null,
    cold: loadMs !== null ? loadMs >= coldThresholdMs : null,
  };
}
