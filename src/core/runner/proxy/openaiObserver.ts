// Builds the CallRecord of one OpenAI-compatible request (/v1/chat/completions, /v1/completions) that a
// program sends through the recording proxy: programs written against an OpenAI SDK call these, not
// /api/chat (OLLAMA.md §2.7). Ollama translates them to its own handlers, so the call is the same work;
// what differs is the wire: server-sent events (`data: {…}` … `data: [DONE]`), `choices[0].delta`,
// `usage` instead of the timing fields. Client timings are measured exactly as for native calls (ttft =
// the first SSE event carrying text); server durations are not in the answer, so they are null, never 0.
import type { CallRecord, OllamaOptions, OpenAiCallFacts, OpenAiPath } from '../../types';
import type { ErrorCode } from '../../errors';
import { classifyHttpStatus } from '../../ollama/classify';
import type { RequestFacts } from './callObserver';
import { httpErrorMessage, proxiedRecord, ResponseTap, TokenTimes, type ProxiedRequest } from './responseTap';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OpenAI request fields → the Ollama options Ollama's middleware (openai.go) sets from them. */
const OPTION_OF: [string, string][] = [['max_tokens', 'num_predict'], ['max_completion_tokens', 'num_predict'], ['temperature', 'temperature'],
  ['top_p', 'top_p'], ['seed', 'seed'], ['frequency_penalty', 'frequency_penalty'], ['presence_penalty', 'presence_penalty']];

function parseOpenAiRequest(path: OpenAiPath, body: Buffer): ProxiedRequest {
  let b: Obj = {};
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    if (isObj(v)) b = v;
  } catch {
    // Not JSON: the server answers 400; the record keeps what is known.
  }
  const options: OllamaOptions = {};
  for (const [from, to] of OPTION_OF) if (typeof b[from] === 'number') options[to] = b[from];
  if (typeof b.stop === 'string') options.stop = [b.stop];
  else if (Array.isArray(b.stop)) options.stop = b.stop;
  let promptChars: number | undefined;
  if (path === '/v1/completions' && typeof b.prompt === 'string') promptChars = b.prompt.length;
  if (path === '/v1/chat/completions' && Array.isArray(b.messages)) {
    promptChars = b.messages.reduce((n: number, m: unknown) => n + (isObj(m) && typeof m.content === 'string' ? m.content.length : 0), 0);
  }
  // OpenAI's API answers in one body unless the request says "stream": true (the opposite of Ollama's).
  return { model: typeof b.model === 'string' ? b.model : '', options, stream: b.stream === true, promptChars };
}

/** Answer and reasoning text of one choice (chat: delta / message; completions: text). */
function textOf(choice: Obj): { text: string; reasoning: string } {
  const m = isObj(choice.delta) ? choice.delta : isObj(choice.message) ? choice.message : null;
  const text = typeof choice.text === 'string' ? choice.text : typeof m?.content === 'string' ? m.content : '';
  return { text, reasoning: typeof m?.reasoning === 'string' ? m.reasoning : '' };
}

function errorText(o: Obj): string | null {
  if (typeof o.error === 'string') return o.error;
  if (isObj(o.error)) return typeof o.error.message === 'string' ? o.error.message : JSON.stringify(o.error);
  return null;
}

export class OpenAiObserver {
  private readonly req: ProxiedRequest;
  private readonly tap: ResponseTap;
  private readonly times = new TokenTimes();
  private textChars = 0;
  private reasoningChars = 0;
  private finishReason: string | null = null;
  private usage: OpenAiCallFacts['usage'] = null;
  private sawDoneMarker = false;
  private errorEvent: string | null = null;
  private malformed = false;
  record: CallRecord | null = null;

  constructor(private readonly path: OpenAiPath, private readonly facts: RequestFacts) {
    this.req = parseOpenAiRequest(path, facts.body);
    this.tap = new ResponseTap(facts.sendAtMs, 'text/event-stream', (l, at) => this.sseLine(l, at));
  }

  onHeaders(status: number, contentType: string | undefined, atMs: number): void {
    this.tap.onHeaders(status, contentType, atMs);
  }

  /** One response chunk as it was forwarded; called after the bytes went on to the program. */
  onChunk(chunk: Buffer, atMs: number): void {
    this.tap.onChunk(chunk, atMs);
  }

  /** One SSE line: only `data:` lines carry events (blank lines separate them; comments and other fields are skipped). */
  private sseLine(raw: string, atMs: number): void {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      this.sawDoneMarker = true;
      return;
    }
    let o: unknown;
    try {
      o = JSON.parse(data);
    } catch {
      this.malformed = true;
      return;
    }
    if (!isObj(o)) {
      this.malformed = true;
      return;
    }
    this.event(o, atMs - this.facts.sendAtMs);
  }

  /** One answer object: an SSE event, or the whole body of a non-streamed answer (`at` null: no token timing). */
  private event(o: Obj, at: number | null): void {
    const err = errorText(o);
    if (err !== null) {
      this.errorEvent ??= err;
      return;
    }
    if (isObj(o.usage)) this.usage = { prompt_tokens: Number(o.usage.prompt_tokens ?? 0), completion_tokens: Number(o.usage.completion_tokens ?? 0) };
    const choice = Array.isArray(o.choices) && isObj(o.choices[0]) ? o.choices[0] : null;
    if (!choice) return;
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    const { text, reasoning } = textOf(choice);
    this.textChars += text.length;
    this.reasoningChars += reasoning.length;
    if (at === null || (text === '' && reasoning === '')) return;
    const n = this.times.note(at, text !== '');
    this.facts.onContent?.(this.stage(), n, at);
  }

  /** Completes the record; `failure` is what the proxy saw go wrong on the connections. */
  finish(endAtMs: number, failure: { code: ErrorCode; detail: string } | null): CallRecord {
    if (this.record) return this.record;
    this.tap.end(endAtMs);
    const problem = failure ?? this.responseProblem();
    const record = proxiedRecord(this.facts, this.req, {
      // The answer carries no durations (load, prompt eval, eval): unknown, not zero.
      stage: this.stage(), server: null, client: this.times.timings(this.facts, this.tap.headersMs, endAtMs), textChars: this.textChars, problem,
      generatedTokens: this.usage?.completion_tokens ?? null, via: this.path,
    });
    record.openai = { path: this.path, finish_reason: this.finishReason, usage: this.usage };
    if (this.reasoningChars > 0) record.thinkingChars = this.reasoningChars;
    this.record = record;
    this.tap.release();
    return record;
  }

  private stage(): string {
    return this.facts.stageHeader || `call${this.facts.ordinal}`;
  }

  /** What the complete answer says went wrong, if anything. */
  private responseProblem(): { code: ErrorCode; detail: string } | null {
    const status = this.tap.status;
    if (status === null) return { code: 'E_UNREACHABLE', detail: 'no response' };
    if (status >= 400) return classifyHttpStatus(status, httpErrorMessage(this.tap.body() ?? '', status));
    if (this.tap.streamed) {
      if (this.errorEvent !== null) return { code: 'E_MIDSTREAM', detail: `error event inside the stream (HTTP 200): ${this.errorEvent}` };
      if (this.malformed) return { code: 'E_MALFORMED', detail: 'the server sent an event that is not JSON' };
      if (!this.sawDoneMarker) return { code: 'E_NO_DONE', detail: 'the stream ended without data: [DONE]' };
      return null;
    }
    const body = this.tap.body();
    if (body === null) return null;
    let o: unknown;
    try {
      o = JSON.parse(body);
    } catch {
      o = null;
    }
    if (!isObj(o)) return { code: 'E_MALFORMED', detail: 'the server sent a body that is not a JSON object' };
    this.event(o, null);
    if (this.errorEvent !== null) return { code: 'E_MIDSTREAM', detail: `error in a 200 response: ${this.errorEvent}` };
    return null;
  }
}
