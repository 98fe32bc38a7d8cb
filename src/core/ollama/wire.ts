// What one request did on the wire, observed through the fetch injected into ollama-js.
// ollama-js reports mid-stream errors, missing done lines and skipped non-JSON lines as plain
// Errors or console warnings; the gateway classifies failures from these facts instead.
import { LineScanner } from './lineScan';

/** Facts about one request, filled in by the observing fetch and read by the classifier. */
export class WireState {
  readonly scanner = new LineScanner();
  sendAt: number | null = null;
  headersAt: number | null = null;
  /** HTTP status once headers arrived. */
  status: number | null = null;
  /** The server's error message for a non-2xx answer. */
  httpMessage: string | null = null;
  /** Monotonic time the first body byte arrived (null until then): ends the first-byte wait. */
  firstByteAt: number | null = null;
  /** Monotonic time of the last thing received (or of the send): the stall watchdog reads it. */
  lastActivity: number;
  bodyEnded = false;
  /** Reading the body failed (reset, abort) after headers arrived. */
  bodyError = false;
  /** fetch itself rejected: no response at all. */
  fetchFailed = false;
  fetchError: unknown = undefined;

  constructor(
    readonly now: () => number,
    /** Aborts this request only (timeout or the caller's cancel); other calls of the client go on. */
    readonly signal: AbortSignal,
    /** Scan the body as NDJSON (streamed calls); plain JSON bodies are only timed. */
    readonly ndjson: boolean,
  ) {
    this.lastActivity = now();
  }
}

/** Thrown into the body stream when a line cannot be JSON, so ollama-js stops before parsing it. */
export class MalformedLineError extends Error {
  constructor() {
    super('a stream line is not a JSON object');
    this.name = 'MalformedLineError';
  }
}

/**
 * The request being sent. ollama-js (pinned) calls the injected fetch synchronously inside generate/chat/
 * show/list/ps/version, so a slot set around the synchronous part of `fn` reaches it; test/unit/ollama/
 * syncFetch.test.ts holds ollama-js to that. An AsyncLocalStorage did the same but enabled promise hooks
 * for the whole process: ~10% more CPU on every promise of every streamed token (bench/README.md).
 */
let sending: WireState | null = null;

export function withWire<T>(state: WireState, fn: () => Promise<T>): Promise<T> {
  const outer = sending;
  sending = state;
  try {
    return fn();
  } finally {
    sending = outer;
  }
}

/** Wraps a fetch so that requests made inside `withWire` are observed and individually abortable. */
export function observingFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const st = sending;
    // One fetch per slot: a second fetch in the same synchronous stretch is not this request's.
    sending = null;
    if (!st) return normalizeError(await inner(input, init)).then((r) => r.res);
    const signal = init?.signal ? AbortSignal.any([init.signal, st.signal]) : st.signal;
    st.sendAt = st.now();
    st.lastActivity = st.sendAt;
    let res: Response;
    try {
      res = await inner(input, { ...init, signal });
    } catch (e) {
      st.fetchFailed = true;
      st.fetchError = e;
      throw e;
    }
    st.headersAt = st.now();
    st.lastActivity = st.headersAt;
    st.status = res.status;
    if (res.status >= 400) {
      const { res: normalized, message } = await normalizeError(res);
      st.httpMessage = message;
      return normalized;
    }
    if (!res.body) return res;
    if (st.ndjson) return tapReader(res, st);
    return new Response(observeBody(res.body, st), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/**
 * Error bodies become `{"error": message}` JSON: ollama-js prints to stdout while reading a
 * non-JSON error body (gin's "404 page not found"), which would corrupt `--json` output.
 */
async function normalizeError(res: Response): Promise<{ res: Response; message: string }> {
  if (res.status < 400) return { res, message: '' };
  let text = '';
  try {
    text = await res.text();
  } catch {
    text = '';
  }
  let message = text.trim();
  if (res.headers.get('content-type')?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string') message = (parsed as { error: string }).error;
    } catch {
      // not JSON after all: keep the text
    }
  }
  if (!message) message = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  const body = JSON.stringify({ error: message });
  return { message, res: new Response(body, { status: res.status, statusText: res.statusText, headers: { 'content-type': 'application/json' } }) };
}

/**
 * Streamed bodies: ollama-js reads them with body.getReader(), so the reader's read() is tapped —
 * one .then per chunk instead of a second stream layer (this path runs once per token).
 */
function tapReader(res: Response, st: WireState): Response {
  const body = res.body!;
  const getReader = body.getReader.bind(body) as () => ReadableStreamDefaultReader<Uint8Array>;
  Object.defineProperty(body, 'getReader', {
    configurable: true,
    value: () => {
      const reader = getReader();
      const read = reader.read.bind(reader);
      let malformedSeen = false;
      const seen = (r: Awaited<ReturnType<typeof read>>): Awaited<ReturnType<typeof read>> => {
        st.lastActivity = st.now();
        if (!r.done && st.firstByteAt === null && r.value.length > 0) st.firstByteAt = st.lastActivity;
        if (r.done) {
          st.bodyEnded = true;
          if (!st.scanner.end()) throw new MalformedLineError();
        } else if (!st.scanner.push(r.value)) {
          // Deliver the good lines that came before the malformed one in this chunk (they are
          // measured data), then fail on the next read.
          malformedSeen = true;
          return { done: false, value: r.value.subarray(0, st.scanner.badLineStart) };
        }
        return r;
      };
      const failed = (e: unknown): never => {
        st.bodyError = true;
        throw e;
      };
      reader.read = () => {
        if (malformedSeen) {
          void reader.cancel().catch(() => undefined);
          return Promise.reject(new MalformedLineError());
        }
        return read().then(seen, failed);
      };
      return reader;
    },
  });
  return res;
}

/** Plain JSON bodies: passed through unchanged (pull-based, no buffering) while noting activity. */
function observeBody(body: ReadableStream<Uint8Array>, st: WireState): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let r: Awaited<ReturnType<typeof reader.read>>;
        try {
          r = await reader.read();
        } catch (e) {
          st.bodyError = true;
          throw e;
        }
        st.lastActivity = st.now();
        if (!r.done && st.firstByteAt === null && r.value.length > 0) st.firstByteAt = st.lastActivity;
        if (r.done) {
          st.bodyEnded = true;
          controller.close();
          return;
        }
        controller.enqueue(r.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
