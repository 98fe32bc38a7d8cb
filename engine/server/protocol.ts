// Request parsing with Ollama's rules and error texts (OLLAMA.md §1.5, §1.6, §1.8).
import { keepAliveMs, OLLAMA_DEFAULT_KEEP_ALIVE_MS, parseGoDuration } from '../../src/core/ollama/duration';

/** An error answered as `{"error": message}` with an HTTP status, like Ollama's handlers do. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export const BUSY_MESSAGE = 'server busy, please try again.  maximum pending requests exceeded';

export const FOREVER_MS = Number.POSITIVE_INFINITY;
export const DEFAULT_KEEP_ALIVE_MS = OLLAMA_DEFAULT_KEEP_ALIVE_MS;

/**
 * keep_alive as Ollama's api.Duration decodes it (src/core/ollama/duration.ts, the one Go-duration parser):
 * a number is whole seconds, a string goes through time.ParseDuration (so "300" without a unit is a 400
 * for the whole request with Go's text), negative = forever. undefined = not sent.
 */
export function parseKeepAlive(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const parsed = parseGoDuration(v);
    if ('error' in parsed) throw new HttpError(400, parsed.error);
  } else if (typeof v !== 'number') {
    throw new HttpError(400, `Unsupported type: '${Array.isArray(v) ? '[]interface {}' : typeof v === 'boolean' ? 'bool' : 'map[string]interface {}'}'`);
  }
  // a JSON number is always finite, and the string was parsed above: never null here
  return keepAliveMs(v)!;
}

type OptionType = 'integer' | 'float' | 'boolean' | 'string' | 'strings';
const OPTION_TYPES: Record<string, OptionType> = {
  num_ctx: 'integer', num_batch: 'integer', num_gpu: 'integer', main_gpu: 'integer', num_thread: 'integer',
  draft_num_predict: 'integer', num_keep: 'integer', seed: 'integer', num_predict: 'integer', top_k: 'integer',
  repeat_last_n: 'integer', paced_tokens: 'integer', think_tokens: 'integer',
  top_p: 'float', min_p: 'float', typical_p: 'float', temperature: 'float', repeat_penalty: 'float',
  presence_penalty: 'float', frequency_penalty: 'float', paced_ttft_ms: 'float', paced_tps: 'float', paced_prefill_ms_per_token: 'float',
  use_mmap: 'boolean', use_mlock: 'boolean', numa: 'boolean', low_vram: 'boolean', f16_kv: 'boolean', penalize_newline: 'boolean',
  stop: 'strings', paced_tool: 'string',
};

/** Validated request options; unknown keys are dropped (Ollama logs and ignores them). */
export interface RequestOptions {
  num_ctx?: number; num_batch?: number; num_gpu?: number; num_thread?: number; use_mmap?: boolean;
  seed?: number; num_predict?: number; top_k?: number; top_p?: number; min_p?: number; temperature?: number;
  repeat_penalty?: number; repeat_last_n?: number; stop?: string[];
  paced_ttft_ms?: number; paced_tps?: number; paced_tokens?: number;
  [key: string]: unknown;
}

export function parseOptions(v: unknown): RequestOptions {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, 'json: cannot unmarshal options into Go struct field of type map[string]interface {}');
  const out: RequestOptions = {};
  for (const [key, val] of Object.entries(v as Record<string, unknown>)) {
    const type = OPTION_TYPES[key];
    if (type === undefined || val === null) continue;
    if (type === 'integer') {
      if (typeof val !== 'number') throw new HttpError(400, `option "${key}" must be of type integer`);
      out[key] = Math.trunc(val); // Go decodes JSON numbers as float64 and truncates into int fields
    } else if (type === 'float') {
      if (typeof val !== 'number') throw new HttpError(400, `option "${key}" must be of type float32`);
      out[key] = val;
    } else if (type === 'boolean') {
      if (typeof val !== 'boolean') throw new HttpError(400, `option "${key}" must be of type boolean`);
      out[key] = val;
    } else if (type === 'string') {
      if (typeof val !== 'string') throw new HttpError(400, `option "${key}" must be of type string`);
      out[key] = val;
    } else {
      if (!Array.isArray(val) || val.some((s) => typeof s !== 'string')) throw new HttpError(400, `option "${key}" must be of an array of strings`);
      out[key] = val;
    }
  }
  return out;
}

/**
 * Runner (load-time) options: a change reloads the model, as Ollama's needsReload (server/sched.go) compares
 * api.Runner. num_gpu < 0 (auto) matches any runner. use_mlock and low_vram are not load-time options any
 * more (Ollama ignores them with a warning), so they never reload.
 */
export interface RunnerOptions { num_ctx: number; num_batch: number; num_gpu: number; main_gpu: number; num_thread: number; use_mmap: boolean; draft_num_predict: number }

export const DEFAULT_NUM_CTX = 4096;

export function runnerOptions(o: RequestOptions): RunnerOptions {
  return {
    num_ctx: o.num_ctx !== undefined && o.num_ctx > 0 ? o.num_ctx : DEFAULT_NUM_CTX,
    num_batch: o.num_batch !== undefined && o.num_batch > 0 ? o.num_batch : 512,
    num_gpu: o.num_gpu ?? -1,
    main_gpu: typeof o.main_gpu === 'number' ? o.main_gpu : 0,
    num_thread: o.num_thread ?? 0,
    use_mmap: o.use_mmap ?? true,
    draft_num_predict: typeof o.draft_num_predict === 'number' ? o.draft_num_predict : 0,
  };
}

export function sameRunner(loaded: RunnerOptions, want: RunnerOptions): boolean {
  return loaded.num_ctx === want.num_ctx && loaded.num_batch === want.num_batch && loaded.num_thread === want.num_thread
    && loaded.use_mmap === want.use_mmap && (want.num_gpu < 0 || loaded.num_gpu === want.num_gpu)
    && loaded.main_gpu === want.main_gpu && loaded.draft_num_predict === want.draft_num_predict;
}

/** RFC 3339 with microseconds, like Go's time.Time JSON. */
export function isoMicros(epochMs: number = performance.timeOrigin + performance.now()): string {
  const whole = Math.floor(epochMs);
  const micros = Math.min(999, Math.round((epochMs - whole) * 1000));
  return new Date(whole).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

export const msToNs = (ms: number): number => Math.round(ms * 1e6);
