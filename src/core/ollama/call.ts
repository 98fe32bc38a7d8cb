// One generate/chat call through ollama-js, recorded for the runner: client timestamps, raw server
// fields, text and derived metrics. A failed call is a record (status failed/cancelled + typed
// error), never an exception, so the runner keeps what was measured.
import type { ChatRequest, ChatResponse, GenerateRequest, GenerateResponse, Message } from 'ollama';
import type { CallRecord, CallStatus, ClientTimings, FormatSetting, OllamaOptions, ServerFields, ThinkSetting } from '../types';
import { deriveCallMetrics } from '../metrics/callMetrics';
import type { GatewayClient } from './client';
import { classifyFailure, type Classified, type FailureFacts } from './classify';
import { RequestGuard } from './guard';
import { serverFieldsOf } from './serverFields';
import { checkJson } from './jsonCheck';

export interface CallInput {
  client: GatewayClient;
  /** Stage name for the record (e.g. "analysis", "report", "prompt"). */
  stage?: string;
  model: string;
  api: 'generate' | 'chat';
  /** generate: the prompt (and optional system prompt). */
  prompt?: string;
  system?: string;
  /** chat: the conversation. */
  messages?: Message[];
  /** Sent as given; {} or undefined sends no options key at all (Ollama defaults). */
  options?: OllamaOptions;
  /** keep_alive: seconds or a Go duration string; omitted when undefined. */
  keepAlive?: number | string;
  /** Ollama's `think` (thinking models); omitted when undefined (the server's default: thinking models think). */
  think?: ThinkSetting;
  /** Ollama's `format`: "json" or a JSON schema (grammar-constrained output); omitted when undefined. */
  format?: FormatSetting;
  stream?: boolean;
  /** Silence limit (ms): see guard.ts for the exact E_TIMEOUT rule. */
  timeoutMs: number;
  /** Send → first answer byte limit (ms); absent = timeoutMs (guard.ts). */
  firstByteTimeoutMs?: number;
  signal?: AbortSignal;
  /** Monotonic time (clock.now()) the run started; sendOffsetMs is relative to it. */
  runStartMs: number;
  /** Network round-trip estimate for queue_ms (see probe.estimateRtt). */
  networkMs?: number | null;
  coldThresholdMs?: number;
  /** Live-view hook: content chunks so far, ms since send. Called once per content chunk; keep it cheap. */
  onChunk?: (tokensSoFar: number, elapsedMs: number) => void;
}


export interface CallResult {
  record: CallRecord;
  /** The answer (response / message.content), never the reasoning. */
  text: string;
  /** The reasoning of a thinking model (thinking / message.thinking), kept apart from the answer; '' when none. */
  thinking: string;
}

/** A wrapper so an error thrown by the caller's onChunk is rethrown, not classified as a wire failure. */
class CallbackError {
  constructor(readonly error: unknown) {}
}

type Final = GenerateResponse | ChatResponse;

/** What a call has received so far; kept when it fails midway. */
class Progress {
  readonly chunkMs: number[] = [];
  text = '';
  thinking = '';
  firstTokenMs: number | null = null;
  firstAnswerMs: number | null = null;
  final: Final | null = null;
  /** Messages ollama-js yielded (compared with the lines seen on the wire). */
  messages = 0;
}

function generateRequest(input: CallInput): GenerateRequest {
  const req: GenerateRequest = { model: input.model, prompt: input.prompt ?? '' };
  if (input.system !== undefined) req.system = input.system;
  return withCommon(req, input);
}

function chatRequest(input: CallInput): ChatRequest {
  return withCommon<ChatRequest>({ model: input.model, messages: input.messages ?? [] }, input);
}

function withCommon<T extends GenerateRequest | ChatRequest>(req: T, input: CallInput): T {
  if (input.options && Object.keys(input.options).length > 0) req.options = input.options as T['options'];
  if (input.keepAlive !== undefined) req.keep_alive = input.keepAlive;
  if (input.think !== undefined) req.think = input.think;
  if (input.format !== undefined) req.format = input.format;
  return req;
}

async function consumeStream(input: CallInput, p: Progress, sendAtOf: () => number): Promise<void> {
  const { ollama } = input.client;
  const now = input.client.clock.now;
  const it: AsyncIterable<Final> = input.api === 'generate'
    ? await ollama.generate({ ...generateRequest(input), stream: true })
    : await ollama.chat({ ...chatRequest(input), stream: true });
  const sendAt = sendAtOf();
  const isGenerate = input.api === 'generate';
  for await (const part of it) {
    p.messages++;
    const piece = isGenerate ? (part as GenerateResponse).response : (part as ChatResponse).message?.content;
    const thinking = isGenerate ? (part as GenerateResponse).thinking : (part as ChatResponse).message?.thinking;
    // A generated token shows as content or, for thinking models, as thinking: both count for timing.
    if (piece || thinking) {
      const t = now() - sendAt;
      p.chunkMs.push(t);
      if (p.firstTokenMs === null) p.firstTokenMs = t;
      if (piece) {
        if (p.firstAnswerMs === null) p.firstAnswerMs = t;
        p.text += piece;
      }
      if (thinking) p.thinking += thinking;
      if (input.onChunk) {
        try {
          input.onChunk(p.chunkMs.length, t);
        } catch (e) {
          throw new CallbackError(e);
        }
      }
    }
    if (part.done) p.final = part;
  }
}

async function fetchWhole(input: CallInput, p: Progress): Promise<Classified | null> {
  const { ollama } = input.client;
  const res: Final = input.api === 'generate'
    ? await ollama.generate({ ...generateRequest(input), stream: false })
    : await ollama.chat({ ...chatRequest(input), stream: false });
  p.messages = 1;
  const errorField = (res as { error?: unknown }).error;
  if (typeof errorField === 'string') return { code: 'E_MIDSTREAM', detail: `error in a 200 response: ${errorField}` };
  p.text = input.api === 'generate' ? (res as GenerateResponse).response ?? '' : (res as ChatResponse).message?.content ?? '';
  p.thinking = (input.api === 'generate' ? (res as GenerateResponse).thinking : (res as ChatResponse).message?.thinking) ?? '';
  if (res.done !== true) return { code: 'E_NO_DONE', detail: 'the response is not marked done:true' };
  p.final = res;
  return null;
}

export async function callModel(input: CallInput): Promise<CallResult> {
  const { client } = input;
  if (input.api !== 'generate' && input.api !== 'chat') throw new TypeError(`callModel: api must be generate or chat, got ${String(input.api)}`);
  const stream = input.stream ?? true;
  const now = client.clock.now;
  const guard = new RequestGuard(client, { timeoutMs: input.timeoutMs, ...(input.firstByteTimeoutMs !== undefined ? { firstByteTimeoutMs: input.firstByteTimeoutMs } : {}), signal: input.signal, ndjson: stream });
  const st = guard.state;
  const startedAt = client.clock.isoNow();
  const callStart = now();
  const sendAtOf = (): number => st.sendAt ?? callStart;
  const p = new Progress();
  let failure: Classified | null = null;

  try {
    // One microtask hop before sending: calls started together (a multi-agent barrier) all finish their
    // set-up before the first fetch, so their sends are back to back and no call's TTFT clock runs while
    // the others set up (bench: start skew and TTFT at 8–16 streams).
    await null;
    if (guard.cancelled) throw new DOMException('cancelled before sending', 'AbortError');
    if (stream) {
      await guard.run(() => consumeStream(input, p, sendAtOf));
      // ollama-js skips a line it cannot parse (with a console warning): lines seen > messages parsed.
      if (st.scanner.lines > p.messages) failure = classifyFailure(undefined, factsOf(guard, p, true));
    } else {
      failure = await guard.run(() => fetchWhole(input, p));
    }
  } catch (e) {
    if (e instanceof CallbackError) {
      guard.abort('cancel');
      guard.dispose();
      throw e.error;
    }
    failure = classifyFailure(e, factsOf(guard, p, false));
  }
  const end = now();
  guard.dispose();

  const sendAt = sendAtOf();
  const server: ServerFields | null = p.final ? serverFieldsOf(p.final) : null;
  const timings: ClientTimings = {
    sendOffsetMs: sendAt - input.runStartMs,
    headersMs: st.headersAt !== null ? st.headersAt - sendAt : null,
    firstTokenMs: p.firstTokenMs,
    firstAnswerMs: p.firstAnswerMs,
    endMs: end - sendAt,
    chunkMs: p.chunkMs,
  };
  const status: CallStatus = failure === null ? 'ok' : failure.code === 'E_ABORTED' ? 'cancelled' : 'failed';
  const record: CallRecord = {
    stage: input.stage ?? input.api,
    endpoint: client.name,
    url: client.url,
    model: input.model,
    api: input.api,
    options: input.options ?? {},
    startedAt,
    status,
    server,
    client: timings,
    metrics: deriveCallMetrics(server, timings, { networkMs: input.networkMs, coldThresholdMs: input.coldThresholdMs }),
    textChars: p.text.length,
    ...(p.thinking.length > 0 ? { thinkingChars: p.thinking.length } : {}),
    ...(input.think !== undefined ? { think: input.think } : {}),
    ...(input.format !== undefined ? { format: input.format } : {}),
    promptChars: input.api === 'generate' ? (input.prompt ?? '').length : (input.messages ?? []).reduce((n, m) => n + (m.content?.length ?? 0), 0),
  };
  if (failure) record.error = { code: failure.code, message: `${failure.detail} — endpoint '${client.name}' (${client.url}), model '${input.model}'` };
  // Structured output asked: whether the answer is what was asked for (only a finished answer can be judged).
  else if (input.format !== undefined) Object.assign(record, checkJson(p.text, input.format));
  return { record, text: p.text, thinking: p.thinking };
}

function factsOf(guard: RequestGuard, p: Progress, clean: boolean): FailureFacts {
  const st = guard.state;
  return {
    abortKind: clean ? null : guard.abortKind,
    timeoutMs: guard.timeoutMs,
    ...(guard.timedOutBeforeFirstByte ? { firstByteTimeoutMs: guard.firstByteTimeoutMs } : {}),
    status: st.status,
    httpMessage: st.httpMessage,
    fetchFailed: st.fetchFailed,
    bodyError: st.bodyError,
    bodyEnded: st.bodyEnded,
    errorLine: st.scanner.errorLine,
    malformed: st.scanner.malformed,
    sawDone: p.final !== null,
    messages: p.messages,
    lines: st.scanner.lines,
  };
}
