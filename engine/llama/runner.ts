// One loaded model on llama.cpp: a context with one sequence per slot, generation with real timings.
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { GenerateRequest, GenerateResult, Runner, RunnerBehaviour } from '../server/backend';
import { reusableTokens } from '../server/promptCache';
import { StopFilter } from './stops';

const msToNs = (ms: number): number => Math.round(ms * 1e6);

export class LlamaRunner implements Runner {
  private readonly sequences: LlamaContextSequence[];

  constructor(private readonly model: LlamaModel, private readonly context: LlamaContext, readonly contextLength: number, private readonly fileSize: number,
    private readonly behaviour: () => RunnerBehaviour) {
    this.sequences = Array.from({ length: context.totalSequences }, () => context.getSequence());
  }

  private promptTokens(text: string): Token[] {
    const bos = this.model.tokens.bos;
    return [...(bos !== null ? [bos] : []), ...this.model.tokenize(text)];
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
        } else if (!piece.endsWith('\uFFFD')) {
          flushedTo = out.length;
          const scan = stops.push(piece);
          if (scan.emit !== '') await req.onToken(scan.emit, 'content');
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
      if (rest !== '') await req.onToken(rest, out.length <= req.thinkTokens ? 'thinking' : 'content');
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
