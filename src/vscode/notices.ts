// The last error each command showed, kept so the API (and the tests through it) can read what the
// user was told without scraping notifications.
import { ChimeraError, errorMessage, type ErrorCode } from '../core/errors';

export interface Notice {
  readonly command: string;
  /** The ChimeraError code, or undefined for an unexpected error. */
  readonly code: ErrorCode | undefined;
  /** ChimeraError.describe(): message, where, every detail line, what to do. */
  readonly text: string;
  readonly at: number;
}

/** The one-line notification text: the message, then where and every detail, then what to do. */
export function noticeLine(e: unknown): string {
  if (!(e instanceof ChimeraError)) return errorMessage(e);
  const parts = [e.message];
  if (e.details && e.details.length > 0) parts.push(e.details.join('; '));
  if (e.hint) parts.push(`What to do: ${e.hint}`);
  return parts.join(' — ');
}

export class Notices {
  private readonly list: Notice[] = [];

  record(command: string, e: unknown): Notice {
    const n: Notice = {
      command,
      code: e instanceof ChimeraError ? e.code : undefined,
      text: e instanceof ChimeraError ? e.describe() : errorMessage(e),
      at: Date.now(),
    };
    this.list.push(n);
    if (this.list.length > 50) this.list.shift();
    return n;
  }

  /** The newest notice, optionally of one command. */
  last(command?: string): Notice | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) if (!command || this.list[i].command === command) return this.list[i];
    return undefined;
  }
}
