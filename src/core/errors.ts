// Errors carry a stable `code`; callers branch on the code, never on message text.
// Messages say what happened, where (file, JSON path, endpoint, model) and what to do.

export type ErrorCode =
  // input
  | 'E_BAD_INPUT'            // bad arguments or an experiment file that does not validate
  | 'E_BAD_JSON'             // a file that is not JSON
  | 'E_BAD_TR_ID'            // a TR id that is not TR<n>[_v<k>]
  | 'E_NOT_FOUND'            // a TR directory, file or variant that does not exist
  | 'E_NOT_WRITABLE'         // the reports directory cannot be written
  | 'E_UNTRUSTED'            // a command experiment in an untrusted workspace
  | 'E_OUTSIDE_WORKSPACE'    // a file an experiment names resolves outside the workspace (Workspace Trust)
  // endpoints (gateway)
  | 'E_UNREACHABLE'          // connection refused / DNS / reset before a response
  | 'E_MODEL_NOT_FOUND'      // 404 model 'x' not found
  | 'E_SERVER'               // non-2xx other than 404/503, with the server's message
  | 'E_BUSY'                 // 503 server busy
  | 'E_MIDSTREAM'            // {"error": ...} line inside a 200 stream
  | 'E_NO_DONE'              // the stream ended without a done:true line
  | 'E_MALFORMED'            // a stream line that is not JSON
  | 'E_TIMEOUT'              // per-call timeout, including a stalled stream
  | 'E_ABORTED'              // cancelled by the user
  | 'E_RESET'                // the connection was reset mid-response
  // runs
  | 'E_COMMAND'              // an external implementation exited non-zero or could not start
  | 'E_INTERNAL';

export class ChimeraError extends Error {
  readonly code: ErrorCode;
  /** Where it happened: a file, JSON path, endpoint URL or model, when known. */
  readonly where?: string;
  /** What the user can do about it. */
  readonly hint?: string;
  /** HTTP status when the error came from an endpoint. */
  readonly status?: number;
  readonly details?: readonly string[];

  constructor(code: ErrorCode, message: string, opts: { where?: string; hint?: string; status?: number; details?: readonly string[]; cause?: unknown } = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'ChimeraError';
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
    this.status = opts.status;
    this.details = opts.details;
  }

  /** One readable block: message, location, details, what to do. */
  describe(): string {
    const lines = [this.message];
    if (this.where) lines.push(`  where: ${this.where}`);
    for (const d of this.details ?? []) lines.push(`  - ${d}`);
    if (this.hint) lines.push(`  what to do: ${this.hint}`);
    return lines.join('\n');
  }
}

export function isChimeraError(e: unknown, code?: ErrorCode): e is ChimeraError {
  return e instanceof ChimeraError && (code === undefined || e.code === code);
}

/** The message of anything thrown, for records and logs. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
