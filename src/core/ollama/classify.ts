// Maps a failed request to a stable error code from facts observed on the wire and error types
// (HTTP status, our own abort reasons, SyntaxError, socket error codes) — never from message text.
import type { ErrorCode } from '../errors';

/** What went on with one request, as recorded by WireState and the caller. */
export interface FailureFacts {
  /** Why we aborted it ourselves, if we did. */
  abortKind: 'timeout' | 'cancel' | null;
  timeoutMs: number;
  /** The timeout that fired was the first-byte limit (firstByteTimeoutMs), not the silence between chunks. */
  firstByteTimeoutMs?: number | null;
  /** HTTP status once headers arrived, else null. */
  status: number | null;
  httpMessage: string | null;
  /** fetch rejected before any response. */
  fetchFailed: boolean;
  /** The body stream failed after headers. */
  bodyError: boolean;
  bodyEnded: boolean;
  errorLine: boolean;
  malformed: boolean;
  /** A done:true message was received. */
  sawDone: boolean;
  /** Valid messages the parser yielded vs complete lines the scanner saw (a gap = a skipped line). */
  messages: number;
  lines: number;
}

export interface Classified {
  code: ErrorCode;
  /** What happened, without the where (the caller adds endpoint and model). */
  detail: string;
  /** HTTP status for E_MODEL_NOT_FOUND / E_BUSY / E_SERVER answers. */
  status?: number;
}

/** Network error codes meaning "nothing answered at that address". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'EADDRNOTAVAIL',
]);

/** The first `code` string along an error's cause chain (undici nests the socket error). */
export function causeCode(e: unknown): string | null {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/** ollama-js' ResponseError is not exported; it is recognised by its name and numeric status. */
export function responseStatus(e: unknown): number | null {
  if (e instanceof Error && e.name === 'ResponseError') {
    const s = (e as { status_code?: unknown }).status_code;
    if (typeof s === 'number') return s;
  }
  return null;
}

function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export function classifyHttpStatus(status: number, message: string): Classified {
  if (status === 404) return { code: 'E_MODEL_NOT_FOUND', detail: `HTTP 404: ${message}`, status };
  if (status === 503) return { code: 'E_BUSY', detail: `HTTP 503: ${message}`, status };
  return { code: 'E_SERVER', detail: `HTTP ${status}: ${message}`, status };
}

export function classifyFailure(e: unknown, f: FailureFacts): Classified {
  if (f.abortKind === 'timeout' && typeof f.firstByteTimeoutMs === 'number') {
    return { code: 'E_TIMEOUT', detail: `no answer byte within ${f.firstByteTimeoutMs} ms of sending (firstByteTimeoutMs: covers a model load and the prefill)` };
  }
  if (f.abortKind === 'timeout') {
    const what = f.status === null ? 'no response' : 'the stream stalled';
    return { code: 'E_TIMEOUT', detail: `${what}: nothing received for ${f.timeoutMs} ms (timeoutMs)` };
  }
  if (f.abortKind === 'cancel') return { code: 'E_ABORTED', detail: 'cancelled' };
  const status = f.status ?? responseStatus(e);
  if (status !== null && status >= 400) {
    const message = f.httpMessage ?? (e instanceof Error ? e.message : String(e));
    return classifyHttpStatus(status, message);
  }
  if (f.malformed || e instanceof SyntaxError) return { code: 'E_MALFORMED', detail: 'the server sent a line that is not JSON' };
  if (f.errorLine) {
    const message = e instanceof Error ? e.message : String(e);
    return { code: 'E_MIDSTREAM', detail: `error inside the stream (HTTP 200): ${message}` };
  }
  if (isAbortError(e)) return { code: 'E_ABORTED', detail: 'aborted' };
  if (f.fetchFailed || f.status === null) {
    const code = causeCode(e);
    if (e instanceof TypeError || (code !== null && UNREACHABLE_CODES.has(code))) {
      return { code: 'E_UNREACHABLE', detail: `no response${code ? ` (${code})` : ''}` };
    }
    return { code: 'E_INTERNAL', detail: e instanceof Error ? e.message : String(e) };
  }
  if (f.bodyError) {
    const code = causeCode(e);
    return { code: 'E_RESET', detail: `the connection broke mid-response${code ? ` (${code})` : ''}` };
  }
  // Clean end of body: a line the parser skipped, or no done line.
  if (f.lines > f.messages) return { code: 'E_MALFORMED', detail: 'the server sent a line that is not JSON' };
  if (!f.sawDone) return { code: 'E_NO_DONE', detail: 'the stream ended without a done:true line' };
  return { code: 'E_INTERNAL', detail: e instanceof Error ? e.message : String(e) };
}
