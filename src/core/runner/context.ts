// What one run gets from the runner: its clients (one per endpoint, per run — ollama-js' abort() aborts
// all streams of a client), the cancel signal, the TR writer for outputs, and a `call` helper that
// applies the experiment's timeout, keep_alive and the declared retry policy and reports progress.
import type { Message } from 'ollama';
import { callModel, type CallResult } from '../ollama/call';
import { createGatewayClient, type GatewayClient } from '../ollama/client';
import type { NormalizedExperiment } from '../experiment/types';
import type { PlannedRun } from '../experiment/plan';
import type { Clock, Logger } from '../ports';
import type { FailedAttempt, FormatSetting, OllamaOptions } from '../types';
import { newCachePrefix, prefixGenerate, prefixMessages } from './promptCache';
import { variantOf } from './kinds/variant';
import type { RunnerEvent, TokenBatcher } from './events';
import type { ValidityRules } from './validity';

/** Where generated texts go (the TR writer in real runs). */
export interface OutputSink {
  /** The reference a call records (outputs.jsonl#name), or undefined when the keep policy drops it. */
  writeOutput(name: string, text: string): string | undefined;
  /** A folder under outputs/ for a run's own files; absolute path. */
  outputDir(name: string): string;
}

export interface CallRequest {
  endpoint: string;
  model: string;
  stage: string;
  prompt?: string;
  messages?: Message[];
  system?: string;
  options: OllamaOptions;
  /** Agent name in multi-agent runs (live views, output file names). */
  agent?: string;
  /** A workflow step's own `format`; wins over the variant's. */
  format?: FormatSetting;
}

export class RunContext {
  private readonly clients = new Map<string, GatewayClient>();
  readonly runStartMs: number;

  constructor(
    readonly x: NormalizedExperiment,
    readonly planned: PlannedRun,
    readonly signal: AbortSignal,
    readonly clock: Clock,
    readonly log: Logger,
    readonly outputs: OutputSink,
    private readonly batcher: TokenBatcher | null,
    private readonly networkMs: Record<string, number | null>,
    private readonly fetchImpl?: typeof fetch,
  ) {
    this.runStartMs = clock.now();
  }

  /** The experiment's validity settings, for the kinds' guards (validity.ts). */
  validityRules(): ValidityRules {
    return { minOutputTokens: this.x.minOutputTokens };
  }

  client(endpoint: string): GatewayClient {
    let c = this.clients.get(endpoint);
    if (!c) {
      c = createGatewayClient({ url: this.x.endpoints[endpoint], name: endpoint, clock: this.clock, ...(this.fetchImpl ? { fetch: this.fetchImpl } : {}) });
      this.clients.set(endpoint, c);
    }
    return c;
  }

  /** One LLM call, retried (bounded, declared) only on 503 busy / connection refused before any data. */
  async call(req: CallRequest): Promise<CallResult> {
    const key = `${this.planned.index}/${req.agent ?? ''}/${req.stage}`;
    const v = variantOf(this);
    const format = req.format ?? v.format;
    const failed: FailedAttempt[] = [];
    for (;;) {
      // promptCache "cold": a fresh prefix per attempt, so not even a retry reuses the failed attempt's prompt.
      const prefix = v.promptCache === 'cold' ? newCachePrefix() : null;
      const result = await callModel({
        client: this.client(req.endpoint),
        stage: req.stage,
        model: req.model,
        api: this.x.api,
        ...this.promptOf(req, prefix),
        options: req.options,
        ...(v.think !== undefined ? { think: v.think } : {}),
        ...(format !== undefined ? { format } : {}),
        ...(this.x.keepAlive !== undefined ? { keepAlive: this.x.keepAlive } : {}),
        stream: this.x.stream,
        timeoutMs: this.x.timeoutMs,
        firstByteTimeoutMs: this.x.firstByteTimeoutMs,
        signal: this.signal,
        runStartMs: this.runStartMs,
        networkMs: this.networkMs[req.endpoint] ?? null,
        coldThresholdMs: this.x.coldThresholdMs,
        ...(this.batcher ? { onChunk: this.progressHook(key, req) } : {}),
      });
      if (prefix !== null) result.record.cachePrefix = prefix;
      this.batcher?.end(key);
      this.callFinished(result, req);
      const code = result.record.error?.code;
      const retryable = (code === 'E_BUSY' || code === 'E_UNREACHABLE') && result.record.client.firstTokenMs === null;
      if (!retryable || failed.length >= this.x.retry.attempts || this.signal.aborted) {
        if (failed.length > 0) {
          result.record.retries = failed.length;
          result.record.attempts = failed;
        }
        return result;
      }
      // The failed attempt stays in the record: retries under load are the saturation signal.
      failed.push(result.record);
      this.log.warn(`${req.stage}: ${result.record.error?.message}; retry ${failed.length} of ${this.x.retry.attempts} in ${this.x.retry.delayMs} ms`);
      await sleep(this.x.retry.delayMs, this.signal);
    }
  }

  /** Saves a thinking model's reasoning apart from the answer (outputs.jsonl#<stem>_thinking.txt, kept per outputTexts like the answers) and records where. */
  saveThinking(result: CallResult, stem: string): void {
    const ref = result.thinking.length > 0 ? this.outputs.writeOutput(`${stem}_thinking.txt`, result.thinking) : undefined;
    if (ref) result.record.thinkingFile = ref;
  }

  /** The prompt as sent: chat messages or generate prompt/system, with the cold-cache prefix when there is one. */
  private promptOf(req: CallRequest, prefix: string | null): { messages: Message[] } | { prompt: string; system?: string } {
    if (this.x.api === 'chat') {
      const messages: Message[] = req.messages ?? [...(req.system ? [{ role: 'system', content: req.system }] : []), { role: 'user', content: req.prompt ?? '' }];
      return { messages: prefix === null ? messages : prefixMessages(messages, prefix) };
    }
    const system = req.system ? req.system : undefined;
    if (prefix === null) return { prompt: req.prompt ?? '', ...(system !== undefined ? { system } : {}) };
    return prefixGenerate(req.prompt ?? '', system, prefix);
  }

  private callFinished({ record }: CallResult, req: CallRequest): void {
    if (!this.batcher) return;
    this.batcher.emit({
      type: 'call-finished', run: this.planned.index, variant: this.planned.variant, ...(req.agent ? { agent: req.agent } : {}), stage: req.stage,
      status: record.status, ttft_ms: record.metrics?.ttft_ms ?? null, decode_tps: record.metrics?.decode_tps ?? null,
      e2e_ms: record.client.endMs, sendOffsetMs: record.client.sendOffsetMs, warmup: this.planned.warmup,
    });
  }

  /**
   * Live progress for calls the runner does not make itself (a command run's proxied calls):
   * (stage, content chunks so far, ms since that call was sent). Null when nobody is watching.
   */
  liveProgress(): ((stage: string, chunks: number, elapsedMs: number) => void) | null {
    if (!this.batcher) return null;
    const b = this.batcher;
    const first = new Map<string, number>();
    const { index, variant } = this.planned;
    return (stage, chunks, elapsedMs) => {
      const key = `${index}//${stage}`;
      if (!first.has(key)) first.set(key, elapsedMs);
      b.update(key, index, variant, undefined, stage, chunks, elapsedMs, first.get(key)!);
    };
  }

  private progressHook(key: string, req: CallRequest): (tokens: number, elapsedMs: number) => void {
    let first: number | null = null;
    const b = this.batcher!;
    const { index, variant } = this.planned;
    return (tokens, elapsedMs) => {
      if (first === null) first = elapsedMs;
      b.update(key, index, variant, req.agent, req.stage, tokens, elapsedMs, first);
    };
  }

  /** Passes a rare event (not token progress) to live views; dropped when nobody is watching. */
  emit(e: RunnerEvent): void {
    this.batcher?.emit(e);
  }

  /**
   * The same run without live token progress and call events: a capacity run has hundreds of calls in
   * flight, whose per-call events would flood the views (it reports its own capacity-progress instead).
   */
  quiet(redirect?: { endpoints: Record<string, string>; networkMs: number | null }): RunContext {
    if (!redirect) return new RunContext(this.x, this.planned, this.signal, this.clock, this.log, this.outputs, null, this.networkMs, this.fetchImpl);
    // Requests to these endpoint names go to other URLs (a managed server), with that server's network estimate.
    const x = { ...this.x, endpoints: { ...this.x.endpoints, ...redirect.endpoints } };
    const networkMs = { ...this.networkMs, ...Object.fromEntries(Object.keys(redirect.endpoints).map((n) => [n, redirect.networkMs])) };
    return new RunContext(x, this.planned, this.signal, this.clock, this.log, this.outputs, null, networkMs, this.fetchImpl);
  }

  dispose(): void {
    for (const c of this.clients.values()) c.abort();
    this.clients.clear();
  }
}

/** Resolves after `ms`, or early (without throwing) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
