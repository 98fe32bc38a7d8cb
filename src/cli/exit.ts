// Exit codes of PRODUCT.md §8 and §11.5, one place.
import { ChimeraError, type ErrorCode } from '../core/errors';

export const EXIT = {
  ok: 0,
  runsFailed: 1,
  badInput: 2,
  unavailable: 3,
  /** `gate`: the CI of the change straddles the margin; more runs would decide. */
  inconclusive: 4,
  interrupted: 130,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  E_BAD_INPUT: EXIT.badInput,
  E_BAD_JSON: EXIT.badInput,
  E_BAD_TR_ID: EXIT.badInput,
  E_NOT_FOUND: EXIT.badInput,
  E_NOT_WRITABLE: EXIT.badInput,
  E_UNTRUSTED: EXIT.badInput,
  E_OUTSIDE_WORKSPACE: EXIT.badInput,
  E_UNREACHABLE: EXIT.unavailable,
  E_MODEL_NOT_FOUND: EXIT.unavailable,
  E_ABORTED: EXIT.interrupted,
};

/** Exit code for an error that escaped a command. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof ChimeraError) return BY_CODE[e.code] ?? EXIT.runsFailed;
  return EXIT.runsFailed;
}

/** Print an error for a person on stderr: what, where, what to do. */
export function reportError(e: unknown): void {
  if (e instanceof ChimeraError) process.stderr.write(`chimeraforge: ${e.describe()}\n`);
  else process.stderr.write(`chimeraforge: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
}
