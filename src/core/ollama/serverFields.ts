// Raw server fields of a final chunk, exactly as sent (ns). Ollama omits zero-valued fields
// (omitempty), so an absent field is 0, not missing data — except prompt_eval_cached_count, which older
// servers never send: it is kept only when present.
import type { ServerFields } from '../types';

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function serverFieldsOf(final: object): ServerFields {
  const f = final as Record<string, unknown>;
  const out: ServerFields = {
    total_duration: num(f.total_duration),
    load_duration: num(f.load_duration),
    prompt_eval_count: num(f.prompt_eval_count),
    prompt_eval_duration: num(f.prompt_eval_duration),
    eval_count: num(f.eval_count),
    eval_duration: num(f.eval_duration),
    done_reason: typeof f.done_reason === 'string' && f.done_reason !== '' ? f.done_reason : null,
  };
  // Kept only when sent: servers that predate the field say nothing about the cache (unknown, not 0).
  if (typeof f.prompt_eval_cached_count === 'number' && Number.isFinite(f.prompt_eval_cached_count)) out.prompt_eval_cached_count = f.prompt_eval_cached_count;
  return out;
}
