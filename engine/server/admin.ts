// Who may use the test-only control routes. Any web page can POST to a loopback port (a "simple" request
// needs no CORS preflight), so the routes take two checks: a per-process token that only the process
// that started the engine knows (engine/api.ts passes it in the environment; it is never printed), and
// no `Origin` header (browsers send one on every cross-origin POST and fetch; the harness never does).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './protocol';

/** Environment variable through which engine/api.ts hands the engine its admin token. */
export const ADMIN_TOKEN_ENV = 'CHIMERAFORGE_ENGINE_ADMIN_TOKEN';
/** Request header that carries the token. */
export const ADMIN_TOKEN_HEADER = 'x-chimeraforge-admin-token';

/** A fresh token for one engine process (256 random bits, hex). */
export function newAdminToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The token this process accepts: the one its parent gave (then removed from the environment so nothing
 * the engine starts inherits it), else a random one nobody knows — a hand-started engine has no control routes.
 */
export function takeAdminToken(env: NodeJS.ProcessEnv): string {
  const given = env[ADMIN_TOKEN_ENV];
  delete env[ADMIN_TOKEN_ENV];
  return given !== undefined && given.length >= 32 ? given : newAdminToken();
}

/** Throws 403 unless the request carries the token and no Origin header. */
export function checkAdmin(req: IncomingMessage, token: string): void {
  if (req.headers.origin !== undefined) {
    throw new HttpError(403, `control route ${req.url ?? ''} refuses requests with an Origin header (browser pages may not reconfigure the engine)`);
  }
  const got = req.headers[ADMIN_TOKEN_HEADER];
  const given = Buffer.from(typeof got === 'string' ? got : '', 'utf8');
  const want = Buffer.from(token, 'utf8');
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new HttpError(403, `control route ${req.url ?? ''} needs this engine's admin token (header ${ADMIN_TOKEN_HEADER}); only the process that started the engine (engine/api.ts startEngine) has it`);
  }
}
