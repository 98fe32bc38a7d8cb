// What every recorded call of the proxy shares, whatever its wire (Ollama NDJSON or OpenAI server-sent
// events): the response bytes as they pass (cut into lines when streamed, kept up to a bound when not),
// the arrival times of the chunks that carried a token, and the part of the CallRecord built from them.
import { StringDecoder } from 'node:string_decoder';
import type { CallRecord, CallStatus, ClientTimings, OllamaOptions, ServerFields } from '../../types';
import type { ErrorCode } from '../../errors';
import { deriveCallMetrics } from '../../metrics/callMetrics';
import type { RequestFacts } from './callObserver';

/** Non-streamed and error bodies are kept for parsing up to this size; a larger body is passed on, not parsed. */
const MAX_KEPT_BODY = 16 << 20;

export class ResponseTap {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private kept: Buffer[] = [];
  private keptBytes = 0;
  status: number | null = null;
  headersMs: number | null = null;
  /** A 2xx/3xx answer of the streamed content type: its lines go to onLine as they arrive. */
  streamed = false;

  constructor(private readonly sendAtMs: number, private readonly streamType: string, private readonly onLine: (line: string, atMs: number) => void) {}

  onHeaders(status: number, contentType: string | undefined, atMs: number): void {
    this.status = status;
    this.headersMs = atMs - this.sendAtMs;
    this.streamed = status < 400 && (contentType ?? '').includes(this.streamType);
  }

  onChunk(chunk: Buffer, atMs: number): void {
    if (!this.streamed) {
      if (this.keptBytes + chunk.length <= MAX_KEPT_BODY) this.kept.push(chunk);
      this.keptBytes += chunk.length;
      return;
    }
    this.partial += this.decoder.write(chunk);
    let nl: number;
    while ((nl = this.partial.indexOf('\n')) >= 0) {
      this.onLine(this.partial.slice(0, nl), atMs);
      this.partial = this.partial.slice(nl + 1);
    }
  }

  /** The response ended: a last line without a newline is a line too. */
  end(atMs: number): void {
    if (!this.streamed) return;
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.trim()) this.onLine(rest, atMs);
  }

  /** The kept body as text; null when it was larger than the bound (passed on, not parsed). */
  body(): string | null {
    return this.keptBytes > MAX_KEPT_BODY ? null : Buffer.concat(this.kept).toString('utf8');
  }

  release(): void {
    this.kept = [];
  }
}

/** Arrival times (ms after send) of the chunks that carried a token: the raw data of ttft, ITL and the client rates. */
export class TokenTimes {
  readonly chunkMs: number[] = [];
  firstTokenMs: number | null = null;
  firstAnswerMs: number | null = null;

  /** One chunk with a token at `t`; `answer` = it carried answer text (not only thinking). Returns the count so far. */
  note(t: number, answer: boolean): number {
    this.chunkMs.push(t);
    this.firstTokenMs ??= t;
    if (answer) this.firstAnswerMs ??= t;
    return this.chunkMs.length;
  }

  timings(facts: RequestFacts, headersMs: number | null, endAtMs: number): ClientTimings {
    return {
      sendOffsetMs: facts.sendAtMs - facts.runStartMs,
      headersMs,
      firstTokenMs: this.firstTokenMs,
      firstAnswerMs: this.firstAnswerMs,
      endMs: endAtMs - facts.sendAtMs,
      chunkMs: this.chunkMs,
    };
  }
}

/** The parts of a proxied request every record has. */
export interface ProxiedRequest { model: string; options: OllamaOptions; stream: boolean; promptChars: number | undefined }

/** The CallRecord of a proxied call from what was seen; `via` names the route in the error message. */
export function proxiedRecord(facts: RequestFacts, req: ProxiedRequest, seen: {
  stage: string; server: ServerFields | null; client: ClientTimings; textChars: number; problem: { code: ErrorCode; detail: string } | null; generatedTokens?: number | null; via?: string;
}): CallRecord {
  const status: CallStatus = seen.problem === null ? 'ok' : 'failed';
  const record: CallRecord = {
    stage: seen.stage,
    endpoint: facts.endpointName,
    url: facts.url,
    model: req.model,
    api: facts.api,
    options: req.options,
    stream: req.stream,
    startedAt: facts.startedAt,
    status,
    server: seen.server,
    client: seen.client,
    metrics: deriveCallMetrics(seen.server, seen.client, { networkMs: facts.networkMs ?? null, coldThresholdMs: facts.coldThresholdMs, generatedTokens: seen.generatedTokens ?? null }),
    textChars: seen.textChars,
    ...(req.promptChars !== undefined ? { promptChars: req.promptChars } : {}),
  };
  if (seen.problem) record.error = { code: seen.problem.code, message: `${seen.problem.detail} — endpoint '${facts.endpointName}' (${facts.url}${seen.via ?? ''}), model '${req.model}' (recorded by the proxy)` };
  return record;
}

/** The message of an error answer: Ollama's `{"error": "…"}`, OpenAI's `{"error": {"message": "…"}}`, else the body text. */
export function httpErrorMessage(body: string, status: number): string {
  try {
    const v = JSON.parse(body) as { error?: unknown };
    if (typeof v.error === 'string') return v.error;
    if (v.error && typeof v.error === 'object' && typeof (v.error as { message?: unknown }).message === 'string') return (v.error as { message: string }).message;
  } catch {
    // a plain-text error body is its own message
  }
  return body.trim() || `HTTP ${status}`;
}
