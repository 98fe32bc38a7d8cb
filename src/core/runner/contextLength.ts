// The context length behind the prompt-truncation check (PRODUCT.md §11.2, OLLAMA.md §2.7). A call that
// sets num_ctx uses it; one that does not gets whatever context Ollama picked (by VRAM, or
// OLLAMA_CONTEXT_LENGTH), which only /api/ps tells: `context_length` of the loaded model. /api/ps is read
// right after the run, never between its calls, so the run's timings are not touched. Every ok call
// records where its value came from; an unknown one says why.
import { sameModel } from '../ollama/endpoint';
import type { CallRecord, ContextLengthSource, RunRecord } from '../types';
import type { PsAfterRun } from './resources';
import { truncatedReason } from './validity';

/** Where a call's context length came from: the request's num_ctx, /api/ps after the run, or unknown with the reason. */
export function callContextLength(call: CallRecord, ps: PsAfterRun | null): ContextLengthSource {
  const numCtx = call.options.num_ctx;
  if (typeof numCtx === 'number' && numCtx > 0) return { value: numCtx, source: 'options.num_ctx' };
  const at = ps?.get(call.endpoint);
  if (!at) return { value: null, source: 'unknown', reason: `/api/ps of endpoint '${call.endpoint}' was not read after the run` };
  if (!Array.isArray(at)) return { value: null, source: 'unknown', reason: `/api/ps of endpoint '${call.endpoint}' failed after the run: ${at.error}` };
  const loaded = at.find((m) => sameModel(m.name, call.model));
  if (!loaded) return { value: null, source: 'unknown', reason: `${call.model} was no longer loaded on '${call.endpoint}' when /api/ps was read after the run (keep_alive 0 or expired, or evicted)` };
  if (loaded.context_length === null) return { value: null, source: 'unknown', reason: `/api/ps of '${call.endpoint}' has no context_length for ${call.model} (older Ollama)` };
  return { value: loaded.context_length, source: '/api/ps' };
}

function okCalls(run: RunRecord): CallRecord[] {
  return [...run.calls, ...(run.agents ?? []).flatMap((a) => a.calls)].filter((c) => c.status === 'ok');
}

/** Whether some ok call did not set num_ctx, so /api/ps must be read after the run for the check. */
export function needsServerContextLength(run: RunRecord): boolean {
  return okCalls(run).some((c) => !(typeof c.options.num_ctx === 'number' && c.options.num_ctx > 0));
}

/**
 * Records each ok call's context length and its source, and marks a run invalid when a call that did
 * not set num_ctx had its prompt truncated to the context /api/ps reports (the kinds already checked
 * calls with num_ctx while the run ran).
 */
export function applyContextLengths(run: RunRecord, ps: PsAfterRun | null): void {
  let reason: string | null = null;
  for (const c of okCalls(run)) {
    c.contextLength = callContextLength(c, ps);
    if (c.contextLength.source === '/api/ps') reason ??= truncatedReason(c, c.contextLength.value, 'the server\'s context length (/api/ps, num_ctx not set)');
  }
  if (reason !== null && run.status === 'ok' && run.valid) {
    run.valid = false;
    run.invalidReason = reason;
  }
}
