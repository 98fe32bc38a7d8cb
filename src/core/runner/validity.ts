// Validity guards (PRODUCT.md §3, §11.1–11.2): a call can succeed on the wire and still not be a fair
// measurement. Invalid runs are kept in runs.jsonl, excluded from statistics, counted and shown with the reason.
//
// A natural stop (the model ended its answer, done_reason "stop", before num_predict) is valid: maxTokens
// is a cap, not a request, and real models end short answers long before it. Natural stops are counted
// and shown per variant (stats/outputs.ts); only an experiment's own `minOutputTokens` makes a short
// output invalid.
import type { CallRecord } from '../types';

/** Rough characters per token used only to notice a prompt much longer than what the server evaluated. */
export const CHARS_PER_TOKEN_ESTIMATE = 4;

/** The experiment's settings the guards read. */
export interface ValidityRules {
  /** Outputs with fewer generated tokens (eval_count) are invalid; null = no minimum. */
  minOutputTokens: number | null;
}

export const NO_RULES: ValidityRules = { minOutputTokens: null };

/**
 * Why a prompt looks truncated to the context length `numCtx` (from `source`), or null. Calls with num_ctx
 * are checked by the kinds as they run; calls without it after the run, from /api/ps (contextLength.ts).
 */
export function truncatedReason(call: CallRecord, numCtx: number | null, source: string): string | null {
  if (numCtx === null || call.promptChars === undefined || !call.server) return null;
  const s = call.server;
  const estimated = call.promptChars / CHARS_PER_TOKEN_ESTIMATE;
  // Ollama silently keeps only the tail of a prompt longer than the context: the evaluated count is then
  // pinned near the context length while the prompt was clearly longer.
  if (estimated > numCtx && s.prompt_eval_count < estimated * 0.75 && s.prompt_eval_count >= numCtx * 0.5) {
    return `prompt truncated: ${call.stage} prompt of ~${Math.round(estimated)} tokens (${call.promptChars} chars) but prompt_eval_count ${s.prompt_eval_count} with ${source} ${numCtx}`;
  }
  return null;
}

/** Why a successful call is not a valid measurement, or null when it is. */
export function callInvalidReason(call: CallRecord, rules: ValidityRules = NO_RULES): string | null {
  if (call.status === 'ok' && call.openai && !call.server) return openAiInvalidReason(call, rules);
  if (call.status !== 'ok' || !call.server) return null;
  const s = call.server;
  // A thinking model can spend its whole budget reasoning: the answer is empty, which later workflow
  // steps would receive as nothing (PRODUCT.md §11.2: its own reason, not "empty output").
  if (call.textChars === 0 && (call.thinkingChars ?? 0) > 0) {
    return `budget spent thinking: ${call.stage} generated ${s.eval_count} tokens of reasoning and no answer (done_reason ${s.done_reason ?? 'none'})`;
  }
  if (s.eval_count === 0 || call.textChars === 0) return `empty output: ${call.stage} returned no tokens (done_reason ${s.done_reason ?? 'none'})`;
  if (rules.minOutputTokens !== null && s.eval_count < rules.minOutputTokens) {
    return `output too short: ${call.stage} generated ${s.eval_count} tokens, below minOutputTokens ${rules.minOutputTokens} (done_reason ${s.done_reason ?? 'none'})`;
  }
  const numCtx = typeof call.options.num_ctx === 'number' ? call.options.num_ctx : null;
  return truncatedReason(call, numCtx, 'num_ctx');
}

/**
 * The same guards for a call to Ollama's OpenAI-compatible API (recorded by the proxy): its answer has
 * usage and finish_reason instead of Ollama's final chunk. A tool-call answer has no text by design.
 */
function openAiInvalidReason(call: CallRecord, rules: ValidityRules): string | null {
  const o = call.openai!;
  const tokens = o.usage?.completion_tokens ?? null;
  const why = `(finish_reason ${o.finish_reason ?? 'none'})`;
  if (o.finish_reason === 'tool_calls') return null;
  if (call.textChars === 0 && (call.thinkingChars ?? 0) > 0) return `budget spent thinking: ${call.stage} generated ${tokens ?? 'an unknown number of'} tokens of reasoning and no answer ${why}`;
  if (call.textChars === 0 || tokens === 0) return `empty output: ${call.stage} returned no tokens ${why}`;
  if (rules.minOutputTokens !== null && tokens !== null && tokens < rules.minOutputTokens) {
    return `output too short: ${call.stage} generated ${tokens} tokens, below minOutputTokens ${rules.minOutputTokens} ${why}`;
  }
  return null;
}

/** The first invalid reason among calls (all must be valid for the run to be). */
export function firstInvalidReason(calls: CallRecord[], rules: ValidityRules = NO_RULES): string | null {
  for (const c of calls) {
    const r = callInvalidReason(c, rules);
    if (r) return r;
  }
  return null;
}
