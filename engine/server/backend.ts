// What a generation backend (llama.cpp or paced) gives the shared scheduler and HTTP layer.
import type { RequestOptions, RunnerOptions } from './protocol';
import type { Structured } from './structured';

export interface ModelDetails {
  parent_model: string;
  format: string;
  family: string;
  families: string[];
  parameter_size: string;
  quantization_level: string;
}

export interface ModelEntry {
  name: string;
  size: number;
  digest: string;
  modifiedAt: string;
  details: ModelDetails;
  /** Flattened GGUF metadata for /api/show's model_info. */
  modelInfo: Record<string, unknown>;
  /** /api/show capabilities: "completion", "tools" (every model answers tools), plus "thinking" for a thinking variant. */
  capabilities: string[];
}

/** What a generated piece of text is: reasoning (Ollama's `thinking` fields) or the answer. */
export type PieceKind = 'thinking' | 'content' | 'tool';

/**
 * A thinking variant is a served name whose base ends in `-think` (`tiny-think`, `mid-think:latest`): the
 * same model, with /api/show capability "thinking" and thinking tokens before the answer.
 */
export function isThinkingVariant(name: string): boolean {
  return name.slice(name.lastIndexOf('/') + 1).split(':')[0].endsWith('-think');
}

export function capabilitiesOf(name: string): string[] {
  return isThinkingVariant(name) ? ['completion', 'tools', 'thinking'] : ['completion', 'tools'];
}

export interface GenerateRequest {
  prompt: string;
  options: RequestOptions;
  /** The slot (0..parallel-1) this request holds. */
  slot: number;
  signal: AbortSignal;
  /** Called for each piece of text, in order; awaited (it may pace or inject faults). */
  onToken: (text: string, kind: PieceKind) => Promise<void>;
  /** The first this-many generated tokens are thinking (0: no thinking); they count in eval_count and num_predict. */
  thinkTokens: number;
  /** After thinking, output constrained to a JSON schema (format, or a tool call); undefined = free text. */
  structured?: Structured;
}

/** Engine-wide behaviours a runner reads at each request (they can change at run time). */
export interface RunnerBehaviour {
  /** Reuse the longest common token prefix of the slot's previous prompt (Ollama's KV cache). */
  promptCache: boolean;
}

export interface GenerateResult {
  doneReason: 'stop' | 'length';
  /** Prompt tokens, cached + newly evaluated (Ollama's prompt_eval_count). */
  promptEvalCount: number;
  /** Prompt tokens served from the slot's cache; undefined when the prompt cache is off (field left out). */
  promptCachedCount?: number;
  /** Time evaluating the new (uncached) prompt tokens only. */
  promptEvalNs: number;
  evalCount: number;
  evalNs: number;
  /** Prompt + generated token ids (generate's `context` field). */
  context: number[];
  /** True when the durations are a schedule (paced), not measurements: total_duration is then their sum. */
  scheduled?: boolean;
}

export interface Runner {
  readonly sizeBytes: number;
  readonly contextLength: number;
  generate(req: GenerateRequest): Promise<GenerateResult>;
  /** Prompt tokens slot `slot` could serve from its cache (ranks free slots). */
  cachedPrefix(slot: number, prompt: string): number;
  dispose(): Promise<void>;
}

export interface Backend {
  readonly kind: 'llama' | 'paced';
  models(): ModelEntry[];
  load(entry: ModelEntry, opts: RunnerOptions, parallel: number, signal: AbortSignal): Promise<Runner>;
  /** The load_duration to report for a cold load when it is scheduled rather than measured (paced). */
  scheduledLoadMs?(): number;
  dispose(): Promise<void>;
}

/** Human-readable parameter count, Ollama style ("141.12K", "3.65M", "1.2B"). */
export function parameterSize(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  return `${(n / 1e3).toFixed(2)}K`;
}

/** Resolves after ms, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Math.max(0, ms));
    const onAbort = (): void => { clearTimeout(t); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
