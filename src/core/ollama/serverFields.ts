// Raw server fields of a final chunk, exactly as sent (ns). Ollama omits zero-valued fields
// (omitempty), so an absent field is 0, not missing data.
import type { ServerFields } from '../types';

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function serverFieldsOf(final: object): ServerFields {
  const f = final as Record<string, unknown>;
  return {
    total_duration: num(f.total_duration),
    load_duration: num(f.load_duration),
    prompt_eval_count: num(f.prompt_eval_count),
    prompt_eval_duration: num(f.prompt_eval_duration),
    eval_count: num(f.eval_count),
    eval_duration: num(f.eval_duration),
    done_reason: typeof f.done_reason === 'string' && f.done_reason !== '' ? f.done_reason : null,
  };
}
