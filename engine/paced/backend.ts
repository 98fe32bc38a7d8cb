// The paced backend: pure JS, tokens on an exact schedule, reported durations equal to the schedule.
// It is the ground truth for measuring the harness, not a model; its models say so (format "paced").
//
// Schedule of one request (t = the moment it holds a slot; n tokens, rate r tok/s, ttft T ms):
//   token i (0-based) is written at t + T + i·1000/r;  the done line at once after the last token
//   (t + T + (n−1)·1000/r), as Ollama sends it.
//   T = ttftMs + prefillMsPerToken · (prompt tokens not served from the slot's prompt cache);
//   prompt_eval_duration = T;  prompt_eval_count = cached + new;  prompt_eval_cached_count = cached;  eval_count = n;  eval_duration = (n−1)/r s: the Go runner times first token →
//   last token, so eval_count/eval_duration = r·n/(n−1) (what `ollama run --verbose` prints), 0 for n ≤ 1;
//   load_duration = loadMs on a cold request, else 0 (absent, like Ollama's omitempty);
//   total_duration = request arrival → slot held (measured: parsing, load, waiting) + T + (n−1)/r s.
// Client view: TTFT = T (+ load + slot wait), every inter-token gap = 1000/r ms.
import { createHash } from 'node:crypto';
import { capabilitiesOf, type Backend, type GenerateRequest, type GenerateResult, type ModelEntry, type Runner, type RunnerBehaviour } from '../server/backend';
import { sleep } from '../server/backend';
import type { RunnerOptions } from '../server/protocol';
import type { PacedConfig } from '../config';
import { SlotTokens } from '../server/promptCache';
import { jsonPieces, pacedJson } from './structured';
import { sleepUntil } from './clock';

const WORDS = ['the', 'paced', 'engine', 'writes', 'tokens', 'on', 'an', 'exact', 'schedule', 'for', 'measuring', 'a',
  'harness', 'with', 'known', 'timing', 'every', 'word', 'is', 'one', 'token', 'and', 'arrives', 'right', 'on', 'time'];
const NOMINAL_SIZE = 1 << 20;

/** The effective schedule of one request: engine settings, overridden by paced_* options and num_predict. */
export interface PacedSchedule { ttftMs: number; prefillMsPerToken: number; tps: number; tokens: number; truncated: boolean }

/** `thinkTokens` thinking tokens come first; num_predict caps thinking and answer together (eval_count counts both). */
export function pacedSchedule(cfg: PacedConfig, o: GenerateRequest['options'], thinkTokens = 0): PacedSchedule {
  const ttftMs = o.paced_ttft_ms !== undefined && o.paced_ttft_ms >= 0 ? o.paced_ttft_ms : cfg.ttftMs;
  const perToken = typeof o.paced_prefill_ms_per_token === 'number' && o.paced_prefill_ms_per_token >= 0 ? o.paced_prefill_ms_per_token : (cfg.prefillMsPerToken ?? 0);
  const tps = o.paced_tps !== undefined && o.paced_tps > 0 ? o.paced_tps : cfg.tokensPerSec;
  const planned = (o.paced_tokens !== undefined && o.paced_tokens >= 0 ? o.paced_tokens : cfg.tokens) + thinkTokens;
  const limit = o.num_predict !== undefined && o.num_predict >= 0 ? o.num_predict : Number.POSITIVE_INFINITY;
  return { ttftMs, prefillMsPerToken: perToken, tps, tokens: Math.min(planned, limit), truncated: limit < planned };
}

/** eval_duration of n paced tokens: the n−1 intervals between the first and the last (0 for n ≤ 1). */
export function pacedEvalNs(tokens: number, tps: number): number {
  return Math.round((Math.max(0, tokens - 1) / tps) * 1e9);
}

/** Deterministic text: the same prompt and seed give the same words. */
export function pacedToken(prompt: string, seed: number, i: number): string {
  const h = createHash('sha256').update(`${seed}\u0000${prompt}`).digest().readUInt32LE(0);
  const word = WORDS[(h + i * 7) % WORDS.length];
  return i === 0 ? word : ` ${word}`;
}

/** A paced model's tokens: the whitespace-separated words of the text. */
export function pacedTokens(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

export function pacedPromptTokens(prompt: string): number {
  return Math.max(1, pacedTokens(prompt).length);
}

class PacedRunner implements Runner {
  readonly sizeBytes = NOMINAL_SIZE;
  private readonly cache: SlotTokens<string>;

  constructor(readonly contextLength: number, parallel: number, private readonly cfg: () => PacedConfig, private readonly behaviour: () => RunnerBehaviour) {
    this.cache = new SlotTokens(parallel);
  }

  cachedPrefix(slot: number, prompt: string): number {
    return this.behaviour().promptCache ? this.cache.reusable(slot, pacedTokens(prompt)) : 0;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const start = performance.now();
    const seed = req.options.seed ?? 0;
    // Structured output: the answer is a JSON text matching the schema, one piece per token.
    const pieces = req.structured ? jsonPieces(pacedJson(req.structured.schema, (i) => pacedToken(req.prompt, seed, i).trim(),
      pacedSchedule(this.cfg(), req.options).tokens)) : null;
    const s = pacedSchedule(this.cfg(), pieces ? { ...req.options, paced_tokens: pieces.length } : req.options, req.thinkTokens);
    const answerKind = req.structured?.kind ?? 'content';
    const promptTokens = pacedTokens(req.prompt);
    const promptCount = Math.max(1, promptTokens.length);
    const cacheOn = this.behaviour().promptCache;
    const cached = cacheOn ? this.cachedPrefix(req.slot, req.prompt) : 0;
    // The slot's state now holds this prompt, then each generated token (as a KV cache would).
    this.cache.set(req.slot, cacheOn ? promptTokens : []);
    const ttftMs = s.ttftMs + s.prefillMsPerToken * (promptCount - cached);
    const interval = 1000 / s.tps;
    const context: number[] = [];
    for (let i = 0; i < s.tokens; i++) {
      await sleepUntil(start + ttftMs + i * interval, req.signal);
      const thinking = i < req.thinkTokens;
      const k = i - req.thinkTokens;
      const piece = thinking ? pacedToken(`thinking about: ${req.prompt}`, seed, i) : pieces ? pieces[k] : pacedToken(req.prompt, seed, k);
      await req.onToken(piece, thinking ? 'thinking' : answerKind);
      if (cacheOn) this.cache.push(req.slot, piece.trim());
      context.push(i);
    }
    if (s.tokens === 0) await sleepUntil(start + ttftMs, req.signal);
    return {
      doneReason: s.truncated ? 'length' : 'stop',
      promptEvalCount: promptCount,
      ...(cacheOn ? { promptCachedCount: cached } : {}),
      promptEvalNs: Math.round(ttftMs * 1e6),
      evalCount: s.tokens,
      evalNs: pacedEvalNs(s.tokens, s.tps),
      context,
      scheduled: true,
    };
  }

  async dispose(): Promise<void> {}
}

export class PacedBackend implements Backend {
  readonly kind = 'paced' as const;
  private readonly entries: ModelEntry[];

  constructor(names: string[], private readonly cfg: () => PacedConfig, private readonly behaviour: () => RunnerBehaviour) {
    const modifiedAt = new Date().toISOString();
    this.entries = names.map((name) => ({
      name,
      size: NOMINAL_SIZE,
      digest: createHash('sha256').update(`chimeraforge-paced:${name}`).digest('hex'),
      modifiedAt,
      details: { parent_model: '', format: 'paced', family: 'paced', families: ['paced'], parameter_size: '0', quantization_level: 'none' },
      modelInfo: { 'general.architecture': 'paced', 'general.name': `${name} (chimeraforge paced engine)` },
      capabilities: capabilitiesOf(name),
    }));
  }

  models(): ModelEntry[] {
    return this.entries;
  }

  scheduledLoadMs(): number {
    return this.cfg().loadMs ?? 0;
  }

  async load(_entry: ModelEntry, opts: RunnerOptions, parallel: number, signal: AbortSignal): Promise<Runner> {
    const loadMs = this.cfg().loadMs ?? 0;
    if (loadMs > 0) await sleep(loadMs, signal);
    return new PacedRunner(opts.num_ctx, parallel, this.cfg, this.behaviour);
  }

  async dispose(): Promise<void> {}
}
