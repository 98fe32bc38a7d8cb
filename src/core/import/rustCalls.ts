// The Rust agents' per-call records (SingleRunMetrics, milliseconds) mapped into our CallRecord: server
// durations back to nanoseconds, the client-measured streaming TTFT and elapsed time into client timings.
import { deriveCallMetrics } from '../metrics/callMetrics';
import type { CallRecord, OllamaOptions, ServerFields } from '../types';
import { num, obj, str } from './scan';

const NS_PER_MS = 1e6;

export interface CallContext {
  endpoint: string;
  url: string;
  model: string;
  options: OllamaOptions;
  startedAt: string;
  /** ms from the run's (agent's) start to this call's send, from the workflow breakdown. */
  sendOffsetMs: number;
  /** Name of the saved response text under outputs/, when it was saved. */
  outputFile?: string;
}

/**
 * One Rust `llm_calls[]` entry. The Rust agent streamed (`stream:true`): `ttft_ms` is client-side (send →
 * first non-empty chunk) and `total_duration_ms` is client elapsed (send → end of stream), NOT Ollama's
 * total_duration, which it did not keep (stored as 0, like any absent server field); prompt_eval_count
 * was not kept either (0).
 */
export function rustCall(raw: unknown, ctx: CallContext): CallRecord | null {
  const c = obj(raw);
  const m = obj(c?.metrics);
  if (!c || !m) return null;
  const ms = (k: string): number => num(m[k]) ?? 0;
  const server: ServerFields = {
    total_duration: 0,
    load_duration: Math.round(ms('load_duration_ms') * NS_PER_MS),
    prompt_eval_count: 0,
    prompt_eval_duration: Math.round(ms('prompt_eval_duration_ms') * NS_PER_MS),
    eval_count: ms('tokens_generated'),
    eval_duration: Math.round(ms('eval_duration_ms') * NS_PER_MS),
    done_reason: null,
  };
  const ttft = num(m.ttft_ms) ?? null;
  const client = { sendOffsetMs: ctx.sendOffsetMs, headersMs: null, firstTokenMs: ttft, endMs: ms('total_duration_ms'), chunkMs: [] };
  const response = str(c.response) ?? '';
  const prompt = str(c.prompt);
  const call: CallRecord = {
    stage: str(c.stage) ?? 'call',
    endpoint: ctx.endpoint,
    url: ctx.url,
    model: ctx.model,
    api: 'generate',
    options: ctx.options,
    startedAt: ctx.startedAt,
    status: 'ok',
    server,
    client,
    metrics: deriveCallMetrics(server, client),
    textChars: response.length,
    stream: true,
  };
  if (server.eval_count === 0 && server.eval_duration === 0) {
    // No counters at all: the stream ended without its done line. The original averaged it in as 0 tok/s.
    call.status = 'failed';
    call.error = { code: 'E_NO_DONE', message: 'no tokens and no server counters stored: the stream ended without a done line (the original counted it as 0 tok/s)' };
  }
  if (prompt !== undefined) call.promptChars = prompt.length;
  if (ctx.outputFile) call.outputFile = ctx.outputFile;
  return call;
}

/** Stage durations (ms) from a Rust `workflow` block {ingest,analysis,report,total}_seconds. */
export function rustStages(workflow: unknown): Record<string, number> | undefined {
  const w = obj(workflow);
  if (!w) return undefined;
  const out: Record<string, number> = {};
  for (const k of ['ingest', 'analysis', 'report', 'total']) {
    const v = num(w[`${k}_seconds`]);
    if (v !== undefined) out[k] = v * 1000;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Send offsets of the analysis and report calls within an agent's workflow: after ingest, after analysis. */
export function stageOffsets(stages: Record<string, number> | undefined): Record<string, number> {
  const ingest = stages?.ingest ?? 0;
  return { analysis: ingest, report: ingest + (stages?.analysis ?? 0) };
}

/** Count of calls whose stored throughput differs from eval_count/eval_duration recomputed from its fields. */
export function throughputMismatches(raws: unknown[], calls: CallRecord[]): number {
  let n = 0;
  raws.forEach((raw, i) => {
    const stored = num(obj(obj(raw)?.metrics)?.throughput_tokens_per_sec);
    const ours = calls[i]?.metrics?.decode_tps ?? null;
    if (stored !== undefined && ours !== null && Math.abs(stored - ours) > 1e-6 * Math.max(1, Math.abs(stored))) n++;
  });
  return n;
}
