// One loaded model on llama.cpp: a context with one sequence per slot, generation with real timings.
import { LlamaGrammarEvaluationState, TokenBias, type LlamaContext, type LlamaContextSequence, type LlamaGrammar, type LlamaModel, type Token } from 'node-llama-cpp';
import { buildVocab } from '../gguf/vocab';
import { HttpError } from '../server/protocol';
import { JSON_ANSWER, type OutputFormat } from '../server/structured';
import type { GenerateRequest, GenerateResult, Runner, RunnerBehaviour } from '../server/backend';
import { reusableTokens } from '../server/promptCache';
import { StopFilter } from './stops';

const msToNs = (ms: number): number => Math.round(ms * 1e6);

// The id of `"` in the generated vocabulary (engine/gguf/vocab.ts).
const QUOTE = buildVocab().tokens.indexOf('"');

export class LlamaRunner implements Runner {
  private readonly sequences: LlamaContextSequence[];
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly model: LlamaModel, private readonly context: LlamaContext, readonly contextLength: number, private readonly fileSize: number,
    private readonly behaviour: () => RunnerBehaviour) {
    this.sequences = Array.from({ length: context.totalSequences }, () => context.getSequence());
  }

  private promptTokens(text: string): Token[] {
    const bos = this.model.tokens.bos;
    return [...(bos !== null ? [bos] : []), ...this.model.tokenize(text)];
  }

  /**
   * llama.cpp grammar of a format (cached per schema): node-llama-cpp's JSON-schema grammar. "json" is decoded
   * under the schema {"answer": string} (JSON_ANSWER): under the generic JSON grammar Ollama uses, this
   * random-weight model adds keys until num_predict and never closes the object.
   */
  private grammarFor(format: OutputFormat): Promise<LlamaGrammar> {
    const key = JSON.stringify(format);
    let g = this.grammars.get(key);
    if (!g) {
      g = (this.model.llama.createGrammarForJsonSchema((format === 'json' ? JSON_ANSWER : format) as never) as Promise<LlamaGrammar>)
        .catch((e: unknown) => { throw new HttpError(500, `invalid JSON schema in format: ${e instanceof Error ? e.message : String(e)}`); });
      g.catch(() => this.grammars.delete(key));
      this.grammars.set(key, g);
    }
    return g;
  }

  cachedPrefix(slot: number, prompt: string): number {
    if (!this.behaviour().promptCache) return 0;
    return reusableTokens(this.sequences[slot].contextTokens, this.promptTokens(prompt));
  }

  get sizeBytes(): number {
    return this.fileSize + this.context.stateSize;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const seq = this.sequences[req.slot];
    const o = req.options;
    const bos = this.model.tokens.bos;
    let prompt: Token[] = this.promptTokens(req.prompt);
    const room = Math.min(seq.contextSize, this.contextLength);
    // Like Ollama, an over-long prompt is truncated (keeping its end); prompt_eval_count shows it.
    if (prompt.length > room - 1) prompt = [...(bos !== null ? [bos] : []), ...prompt.slice(prompt.length - Math.floor(room / 2))];
    // Prompt cache (as Ollama's runner): keep the sequence's state up to the longest common prefix with
    // this prompt (never the whole prompt: one token is evaluated for logits) and evaluate only the rest.
    // Off: a fresh sequence per request.
    const cacheOn = this.behaviour().promptCache;
    const cached = cacheOn ? reusableTokens(seq.contextTokens, prompt) : 0;
    if (cached === 0) await seq.clearHistory();
    else if (seq.nextTokenIndex > cached) await seq.eraseContextTokenRanges([{ start: cached, end: seq.nextTokenIndex }]);
    const numPredict = o.num_predict !== undefined && o.num_predict >= 0 ? o.num_predict : Number.POSITIVE_INFINITY;
    const stops = new StopFilter(o.stop ?? []);
    const out: Token[] = [];
    let flushedTo = 0;
    let doneReason: 'stop' | 'length' = 'length';
    // Structured output: grammar-constrained decoding after the thinking tokens, as Ollama does for `format`.
    const grammar = req.structured ? new LlamaGrammarEvaluationState({ model: this.model, grammar: await this.grammarFor(req.structured.schema) }) : undefined;
    const answerKind = req.structured?.kind ?? 'content';
    // The generated model's habit under constrained decoding: it likes to close a string when the grammar
    // allows it, so its JSON strings stay short (random weights otherwise write hundreds of characters).
    const closing = grammar ? TokenBias.for(this.model).set(QUOTE as Token, { logit: 8 }) : undefined;
    const t0 = performance.now();
    let tFirst: number | null = null;
    if (numPredict > 0) {
      const gen = seq.evaluate(prompt.slice(cached), {
        temperature: o.temperature ?? 0.8,
        topK: o.top_k ?? 40,
        topP: o.top_p ?? 0.9,
        minP: o.min_p ?? 0,
        seed: o.seed !== undefined && o.seed >= 0 ? o.seed : undefined,
        repeatPenalty: o.repeat_penalty !== undefined && o.repeat_penalty !== 1
          ? { penalty: o.repeat_penalty, punishTokens: () => [...prompt, ...out].slice(-(o.repeat_last_n ?? 64)) } : undefined,
        yieldEogToken: true,
        grammarEvaluationState: grammar ? () => (out.length >= req.thinkTokens ? grammar : undefined) : undefined,
        tokenBias: closing ? () => (out.length >= req.thinkTokens ? closing : TokenBias.for(this.model)) : undefined,
      });
      for await (const tok of gen) {
        tFirst ??= performance.now();
        if (req.signal.aborted) throw req.signal.reason;
        if (this.model.isEogToken(tok)) {
          doneReason = 'stop';
          break;
        }
        out.push(tok);
        // Byte tokens can end inside a UTF-8 character: send a piece only once it decodes whole.
        const piece = this.model.detokenize(out.slice(flushedTo), false, out.slice(Math.max(0, flushedTo - 8), flushedTo));
        if (!piece.endsWith('\uFFFD') && out.length <= req.thinkTokens) {
          // Thinking tokens go out as they come (stop strings apply to the answer).
          flushedTo = out.length;
          await req.onToken(piece, 'thinking');
        } else if (!piece.endsWith('\uFFFD') && answerKind === 'tool') {
          flushedTo = out.length;
          await req.onToken(piece, 'tool');
        } else if (!piece.endsWith('\uFFFD')) {
          flushedTo = out.length;
          const scan = stops.push(piece);
          if (scan.emit !== '') await req.onToken(scan.emit, answerKind);
          if (scan.stopped) {
            doneReason = 'stop';
            break;
          }
        }
        if (out.length >= numPredict || prompt.length + out.length >= room - 1) break;
      }
    }
    if (doneReason === 'length') {
      const tail = flushedTo < out.length ? stops.push(this.model.detokenize(out.slice(flushedTo), false, out.slice(Math.max(0, flushedTo - 8), flushedTo))) : null;
      const rest = (tail?.emit ?? '') + (tail?.stopped ? '' : stops.flush());
      if (tail?.stopped) doneReason = 'stop';
      if (rest !== '') await req.onToken(rest, out.length <= req.thinkTokens ? 'thinking' : answerKind);
    }
    const tEnd = performance.now();
    return {
      doneReason,
      promptEvalCount: prompt.length,
      ...(cacheOn ? { promptCachedCount: cached } : {}),
      promptEvalNs: msToNs((tFirst ?? tEnd) - t0),
      evalCount: out.length,
      evalNs: msToNs(tEnd - (tFirst ?? tEnd)),
      context: [...prompt, ...out].map(Number),
    };
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}
