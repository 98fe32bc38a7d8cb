// Per-call derived metrics, exactly as PRODUCT.md §3 / §11.2 define them. Inputs are the raw server
// fields (ns, absent zero fields already stored as 0) and the client's monotonic timings (ms).
import type { CallMetrics, ClientTimings, ServerFields } from '../types';
import { distributionOf, gapsOf } from './distribution';

/**
 * The one `cold` threshold on load_duration (ms), used by every reader and written into the definition
 * text. A warm Ollama runner reports well under a few ms of load_duration (scheduler bookkeeping); a real
 * model load takes hundreds of ms to minutes. 100 ms leaves room for a busy scheduler without missing a
 * load. An experiment may set its own `coldThresholdMs`; the definitions then state that value.
 */
export const DEFAULT_COLD_THRESHOLD_MS = 100;

/**
 * Decode rates of a call with fewer generated tokens than this are low-precision: Ollama's eval_duration
 * spans N−1 intervals (so eval_count/eval_duration reads N/(N−1) high, > 14% below 8 tokens) and a
 * client rate over 1–6 gaps is dominated by timer and scheduling jitter.
 */
export const LOW_PRECISION_EVAL_COUNT = 8;

export interface DeriveOptions {
  /** Network round-trip estimate (ms) used for queue_ms; queue_ms is null without it. */
  networkMs?: number | null;
  /** load_duration at or above this (ms) marks the call cold. */
  coldThresholdMs?: number;
  /** Generated tokens when there are no server fields: usage.completion_tokens of an OpenAI-compatible answer (Ollama fills it from eval_count). */
  generatedTokens?: number | null;
}

const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;

/** count / (durationNs in s), or null when either is not positive (nothing to divide). */
function ratePerSecond(count: number, durationNs: number): number | null {
  return count > 0 && durationNs > 0 ? count / (durationNs / NS_PER_S) : null;
}

/**
 * client_decode_tps from the arrival times (ms) of the chunks that carried a token: (n − 1) intervals
 * over last − first. Null below 2 chunks or when they arrived at the same instant. Also used for records
 * written before the metric existed (their chunk times are raw data), so old TRs get the same definition.
 */
export function clientDecodeTps(chunkMs: readonly number[]): number | null {
  const n = chunkMs.length;
  if (n < 2) return null;
  const spanMs = chunkMs[n - 1] - chunkMs[0];
  return spanMs > 0 ? (n - 1) / (spanMs / 1000) : null;
}

/** (total − load − prompt_eval − eval durations) / 1e6; null without server fields or a total. */
function serverResidualMs(s: ServerFields | null): number | null {
  if (!s || s.total_duration <= 0) return null;
  return (s.total_duration - s.load_duration - s.prompt_eval_duration - s.eval_duration) / NS_PER_MS;
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

  const evalCount = server?.eval_count ?? opts.generatedTokens ?? 0;
  // Decode window on the client: first token chunk → end of stream.
  const decodeWindowMs = first !== null ? end - first : null;
  const tpot = evalCount >= 2 && decodeWindowMs !== null ? decodeWindowMs / (evalCount - 1) : null;

  return {
    ttft_ms: ttft,
    ttft_answer_ms: client.firstAnswerMs ?? null,
    server_ttft_ms: serverTtft,
    queue_ms: queue,
    decode_tps: server ? ratePerSecond(server.eval_count, server.eval_duration) : null,
    client_decode_tps: clientDecodeTps(client.chunkMs),
    tpot_ms: tpot,
    itl_ms: distributionOf(gapsOf(client.chunkMs)),
    e2e_ms: end,
    load_ms: loadMs,
    prompt_eval_ms: promptEvalMs,
    prompt_tps: server ? ratePerSecond(server.prompt_eval_count, server.prompt_eval_duration) : null,
    prompt_cached_tokens: server?.prompt_eval_cached_count ?? null,
    server_residual_ms: serverResidualMs(server),
    cold: loadMs !== null ? loadMs >= coldThresholdMs : null,
    decode_low_precision: evalCount > 0 ? evalCount < LOW_PRECISION_EVAL_COUNT : null,
  };
}
