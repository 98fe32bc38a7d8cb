// Builds the CallRecord of one /api/generate or /api/chat request seen by the recording proxy, from
// the request body and the response bytes as they pass through. All times are the proxy's clock, in ms
// after the request reached the proxy (for the program on the same host that is its send time).
import type { CallRecord, OllamaOptions, ServerFields } from '../../types';
import type { ErrorCode } from '../../errors';
import { serverFieldsOf } from '../../ollama/serverFields';
import { classifyHttpStatus } from '../../ollama/classify';
import { httpErrorMessage, proxiedRecord, ResponseTap, TokenTimes, type ProxiedRequest } from './responseTap';

/** Request header a program may set to name the stage of a call (e.g. "analysis"); optional. */
export const STAGE_HEADER = 'x-chimeraforge-stage';
export interface RequestFacts {
  api: 'generate' | 'chat';
  /** The request body as received (JSON text). */
  body: Buffer;
  stageHeader: string | null;
  /** Default stage name when the program gives none (call1, call2 … in order of arrival). */
  ordinal: number;
  startedAt: string;
  /** Clock time the request reached the proxy. */
  sendAtMs: number;
  runStartMs: number;
  endpointName: string;
  url: string;
  coldThresholdMs?: number;
  networkMs?: number | null;
  /** Live-view hook: content chunks so far and ms since send, once per content chunk; keep it cheap. */
  onContent?: (stage: string, chunks: number, elapsedMs: number) => void;
}

function parseRequest(facts: RequestFacts): ProxiedRequest {
  let b: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(facts.body.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) b = v as Record<string, unknown>;
  } catch {
    // Not JSON: the server will answer 400; the record keeps what is known.
  }
  const options = b.options && typeof b.options === 'object' && !Array.isArray(b.options) ? (b.options as OllamaOptions) : {};
  let promptChars: number | undefined;
  if (facts.api === 'generate' && typeof b.prompt === 'string') promptChars = b.prompt.length;
  if (facts.api === 'chat' && Array.isArray(b.messages)) {
    promptChars = b.messages.reduce((n: number, m: unknown) => n + (m && typeof (m as { content?: unknown }).content === 'string' ? (m as { content: string }).content.length : 0), 0);
  }
  // The Ollama server streams unless the body says "stream": false.
  return { model: typeof b.model === 'string' ? b.model : '', options, stream: b.stream !== false, promptChars };
}

/** Generated text of one response object (generate: response/thinking; chat: message.content/thinking). */
function contentOf(obj: Record<string, unknown>): { text: string; any: boolean } {
  const msg = obj.message && typeof obj.message === 'object' ? (obj.message as Record<string, unknown>) : null;
  const text = typeof obj.response === 'string' ? obj.response : typeof msg?.content === 'string' ? msg.content : '';
  const thinking = typeof obj.thinking === 'string' ? obj.thinking : typeof msg?.thinking === 'string' ? msg.thinking : '';
  return { text, any: text.length > 0 || thinking.length > 0 };
}

export class CallObserver {
  private readonly req: ProxiedRequest;
  private readonly tap: ResponseTap;
  private readonly times = new TokenTimes();
  private textChars = 0;
  private final: Record<string, unknown> | null = null;
  private errorLine: string | null = null;
  private malformed = false;
  record: CallRecord | null = null;

  constructor(private readonly facts: RequestFacts) {
    this.req = parseRequest(facts);
    this.tap = new ResponseTap(facts.sendAtMs, 'application/x-ndjson', (l, at) => this.line(l, at));
  }

  get model(): string {
    return this.req.model;
  }

  onHeaders(status: number, contentType: string | undefined, atMs: number): void {
    this.tap.onHeaders(status, contentType, atMs);
  }

  /** One response chunk as it was forwarded; called after the bytes went on to the program. */
  onChunk(chunk: Buffer, atMs: number): void {
    this.tap.onChunk(chunk, atMs);
  }

  private line(raw: string, atMs: number): void {
    const text = raw.trim();
    if (!text) return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      this.malformed = true;
      return;
    }
    if (!obj || typeof obj !== 'object') {
      this.malformed = true;
      return;
    }
    const o = obj as Record<string, unknown>;
    if (typeof o.error === 'string') {
      this.errorLine ??= o.error;
      return;
    }
    const c = contentOf(o);
    if (c.any) {
      const t = atMs - this.facts.sendAtMs;
      const n = this.times.note(t, c.text.length > 0);
      this.facts.onContent?.(this.stage(null), n, t);
    }
    this.textChars += c.text.length;
    if (o.done === true) this.final = o;
  }

  /**
   * Completes the record. `failure` is what the proxy saw go wrong on the connections (upstream
   * unreachable or reset, the program disconnecting); otherwise the outcome is read from the response.
   */
  finish(endAtMs: number, failure: { code: ErrorCode; detail: string } | null): CallRecord {
    if (this.record) return this.record;
    this.tap.end(endAtMs);
    const problem = failure ?? this.responseProblem();
    const server: ServerFields | null = this.final ? serverFieldsOf(this.final) : null;
    this.record = proxiedRecord(this.facts, this.req, {
      stage: this.stage(server?.done_reason ?? null), server, client: this.times.timings(this.facts, this.tap.headersMs, endAtMs), textChars: this.textChars, problem,
    });
    this.tap.release();
    return this.record;
  }

  /** The program's stage header, else load/unload for preload requests, else call<n>. */
  private stage(doneReason: string | null): string {
    return this.facts.stageHeader || (doneReason === 'load' || doneReason === 'unload' ? doneReason : `call${this.facts.ordinal}`);
  }

  /** What the complete response says went wrong, if anything. */
  private responseProblem(): { code: ErrorCode; detail: string } | null {
    const status = this.tap.status;
    if (status === null) return { code: 'E_UNREACHABLE', detail: 'no response' };
    if (status >= 400) return classifyHttpStatus(status, httpErrorMessage(this.tap.body() ?? '', status));
    if (!this.tap.streamed) return this.wholeBody();
    if (this.errorLine !== null) return { code: 'E_MIDSTREAM', detail: `error inside the stream (HTTP 200): ${this.errorLine}` };
    if (this.malformed) return { code: 'E_MALFORMED', detail: 'the server sent a line that is not JSON' };
    if (!this.final) return { code: 'E_NO_DONE', detail: 'the stream ended without a done:true line' };
    return null;
  }

  /** A non-streamed (application/json) answer: one object, the final one. */
  private wholeBody(): { code: ErrorCode; detail: string } | null {
    const body = this.tap.body();
    if (body === null) return null;
    let v: unknown;
    try {
      v = JSON.parse(body);
    } catch {
      return { code: 'E_MALFORMED', detail: 'the server sent a body that is not JSON' };
    }
    if (!v || typeof v !== 'object') return { code: 'E_MALFORMED', detail: 'the server sent a body that is not a JSON object' };
    const o = v as Record<string, unknown>;
    if (typeof o.error === 'string') return { code: 'E_MIDSTREAM', detail: `error in a 200 response: ${o.error}` };
    this.final = o;
    this.textChars = contentOf(o).text.length;
    return null;
  }
}
