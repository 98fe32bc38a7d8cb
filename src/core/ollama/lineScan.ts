// A cheap observer of an NDJSON byte stream, run on every chunk before ollama-js parses it.
// ollama-js turns a mid-stream {"error"} line and a missing done line into plain Errors and skips
// non-JSON lines with a console warning, so the gateway learns what happened on the wire here:
// no decoding, no JSON.parse — a few byte compares per line, and lines split across chunks work.

const NL = 0x0a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
/** `{"error"` — how Ollama (Go's encoder) starts an error object. */
const ERROR_PREFIX = Uint8Array.from([0x7b, 0x22, 0x65, 0x72, 0x72, 0x6f, 0x72, 0x22]);

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d;
}

export class LineScanner {
  /** Complete non-empty lines seen so far. */
  lines = 0;
  /** A line began with {"error". */
  errorLine = false;
  /** A line that cannot be a JSON object (does not start with { or end with }). */
  malformed = false;
  /** After push() returned false: offset in that chunk where the malformed line's bytes begin (the good lines before it can still be delivered). */
  badLineStart = 0;

  private started = false;
  private first = 0;
  private last = 0;
  /** Bytes of ERROR_PREFIX matched in the current line; -1 once it differs. */
  private prefixPos = 0;

  /** Feeds one chunk. Returns false when a malformed line ended in it (scanning stops there; see badLineStart). */
  push(chunk: Uint8Array): boolean {
    let start = 0;
    const n = chunk.length;
    while (start < n) {
      const nl = chunk.indexOf(NL, start);
      const end = nl === -1 ? n : nl;
      if (end > start) this.segment(chunk, start, end);
      if (nl === -1) break;
      if (!this.endLine()) {
        this.badLineStart = start;
        return false;
      }
      start = nl + 1;
    }
    return true;
  }

  /** End of stream: a last line without a newline counts too. Returns false if it is malformed. */
  end(): boolean {
    return this.endLine();
  }

  private segment(chunk: Uint8Array, s: number, e: number): void {
    let i = s;
    if (!this.started) {
      while (i < e && isSpace(chunk[i])) i++;
      if (i === e) return;
      this.started = true;
      this.first = chunk[i];
    }
    while (this.prefixPos >= 0 && this.prefixPos < ERROR_PREFIX.length && i < e) {
      if (chunk[i] !== ERROR_PREFIX[this.prefixPos]) {
        this.prefixPos = -1;
        break;
      }
      this.prefixPos++;
      i++;
    }
    let j = e - 1;
    while (j >= s && isSpace(chunk[j])) j--;
    if (j >= s) this.last = chunk[j];
  }

  private endLine(): boolean {
    if (!this.started) return true;
    this.lines++;
    if (this.prefixPos === ERROR_PREFIX.length) this.errorLine = true;
    const ok = this.first === LBRACE && this.last === RBRACE;
    if (!ok) this.malformed = true;
    this.started = false;
    this.prefixPos = 0;
    this.first = 0;
    this.last = 0;
    return ok;
  }
}
