// Validity guards (PRODUCT.md §3): a call can succeed on the wire and still not be a fair measurement.
// Invalid runs are kept in runs.jsonl, excluded from statistics, counted and shown with the reason.
import type { CallRecord, OllamaOptions } from '../types';

/** A length request is "far" from met below this share of num_predict (with a natural stop). */
export const EARLY_EOS_SHARE = 0.25;
/** Rough characters per token used only to notice a prompt much longer than what the server evaluated. */
export const CHARS_PER_TOKEN_ESTIMATE = 4;

/** Why a successful call is not a valid measurement, or null when it is. */
export function callInvalidReason(call: CallRecord, options: OllamaOptions): string | null {
  if (call.status !== 'ok' || !call.server) return null;
  const s = call.server;
  if (s.eval_count === 0 || call.textChars === 0) return `empty output: ${call.stage} returned no tokens (done_reason ${s.done_reason ?? 'none'})`;
  const requested = typeof options.num_predict === 'number' && options.num_predict > 0 ? options.num_predict : null;
  if (requested !== null && s.done_reason === 'stop' && s.eval_count < requested * EARLY_EOS_SHARE) {
    return `early EOS: ${call.stage} stopped after ${s.eval_count} of ${requested} requested tokens`;
  }
  const numCtx = typeof options.num_ctx === 'number' ? options.num_ctx : null;
  if (numCtx !== null && call.promptChars !== undefined) {
    const estimated = call.promptChars / CHARS_PER_TOKEN_ESTIMATE;
    // Ollama silently keeps only the tail of a prompt longer than num_ctx: the evaluated count is then
    // pinned near num_ctx while the prompt was clearly longer.
    if (estimated > numCtx && s.prompt_eval_count < estimated * 0.75 && s.prompt_eval_count >= numCtx * 0.5) {
      return `prompt truncated: ${call.stage} prompt of ~${Math.round(estimated)} tokens (${call.promptChars} chars) but prompt_eval_count ${s.prompt_eval_count} with num_ctx ${numCtx}`;
    }
  }
  return null;
}

/** The first invalid reason among calls (all must be valid for the run to be). */
export function firstInvalidReason(calls: CallRecord[], optionsOf: (c: CallRecord) => OllamaOptions): string | null {
  for (const c of calls) {
    const r = callInvalidReason(c, optionsOf(c));
    if (r) return r;
  }
  return null;
}
