// Calls a program reports itself: JSON lines on stdout of the form {"chimeraforge":"call", …}
// (docs/IMPLEMENTATIONS.md). Used when the program cannot be pointed at the recording proxy; the
// proxy's records win when both exist. Times in a report are the program's own, relative to its send.
import type { ErrorCode } from '../../errors';
import { deriveCallMetrics } from '../../metrics/callMetrics';
import { serverFieldsOf } from '../../ollama/serverFields';
import type { CallRecord, ClientTimings, OllamaOptions } from '../../types';

/** Error codes a report may name; anything else is recorded as E_SERVER. */
const REPORTABLE_CODES: readonly ErrorCode[] = ['E_UNREACHABLE', 'E_MODEL_NOT_FOUND', 'E_SERVER', 'E_BUSY', 'E_MIDSTREAM', 'E_NO_DONE', 'E_MALFORMED', 'E_TIMEOUT', 'E_ABORTED', 'E_RESET'];

export interface SelfReportContext {
  endpointName: string;
  url: string;
  runStartMs: number;
  coldThresholdMs?: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

/**
 * The CallRecord of one stdout line, or null when the line is not a self-report. A line that says
 * "chimeraforge":"call" but lacks model or end_ms yields a string: why it was not accepted.
 */
export function parseSelfReport(line: string, readAtMs: number, ctx: SelfReportContext, ordinal: number): CallRecord | string | null {
  const t = line.trim();
  if (!t.startsWith('{') || !t.includes('"chimeraforge"')) return null;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || (v as { chimeraforge?: unknown }).chimeraforge !== 'call') return null;
  const o = v as Record<string, unknown>;
  const endMs = num(o.end_ms);
  if (typeof o.model !== 'string' || endMs === null) return 'a {"chimeraforge":"call"} line needs "model" (string) and "end_ms" (number ≥ 0)';
  const api = o.api === 'chat' ? 'chat' : 'generate';
  const final = o.final && typeof o.final === 'object' ? serverFieldsOf(o.final) : null;
  const firstTokenMs = num(o.first_token_ms);
  const chunkMs = Array.isArray(o.chunk_ms) ? o.chunk_ms.filter((x): x is number => num(x) !== null) : firstTokenMs !== null ? [firstTokenMs] : [];
  const timings: ClientTimings = {
    // The program's send time on our clock is estimated from when its report arrived.
    sendOffsetMs: readAtMs - endMs - ctx.runStartMs,
    headersMs: num(o.headers_ms),
    firstTokenMs,
    firstAnswerMs: num(o.first_answer_ms),
    endMs,
    chunkMs,
  };
  const failed = o.status === 'failed' || (typeof o.error === 'string' && o.error.length > 0);
  const record: CallRecord = {
    stage: typeof o.stage === 'string' && o.stage ? o.stage : `call${ordinal}`,
    endpoint: ctx.endpointName,
    url: ctx.url,
    model: o.model,
    api,
    options: o.options && typeof o.options === 'object' && !Array.isArray(o.options) ? (o.options as OllamaOptions) : {},
    ...(typeof o.stream === 'boolean' ? { stream: o.stream } : {}),
    startedAt: typeof o.started_at === 'string' ? o.started_at : new Date(Date.now() - endMs).toISOString(),
    status: failed ? 'failed' : 'ok',
    server: final,
    client: timings,
    metrics: deriveCallMetrics(final, timings, { coldThresholdMs: ctx.coldThresholdMs }),
    // text_chars is optional: unknown stays null, and emptiness is then judged by eval_count alone.
    textChars: num(o.text_chars),
    ...(num(o.prompt_chars) !== null ? { promptChars: num(o.prompt_chars)! } : {}),
  };
  if (failed) {
    const code = REPORTABLE_CODES.find((c) => c === o.error_code) ?? 'E_SERVER';
    record.error = { code, message: `${typeof o.error === 'string' ? o.error : 'the program reported a failed call'} (reported by the program)` };
  }
  return record;
}
