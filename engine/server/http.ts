// The HTTP server: routes of the Ollama API subset plus the test-only control routes under /_chimeraforge/.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { validateConfig } from '../config';
import { isChimeraError } from '../../src/core/errors';
import { ENGINE_VERSION, ps, pull, show, tags } from './info';
import { checkAdmin } from './admin';
import { handleInference } from './inference';
import { handleOpenAi } from './openai';
import { HttpError } from './protocol';
import { parseInference } from './request';
import type { EngineState } from './state';
import { sendError, sendJson } from './writer';

/** Test control, not part of the Ollama API: change mode/paced/fault at run time, read counters (token only, see admin.ts). */
export const ADMIN_CONFIG = '/_chimeraforge/config';
export const ADMIN_STATS = '/_chimeraforge/stats';

const MAX_BODY = 32 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new HttpError(413, 'request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.trim() === '') throw new HttpError(400, 'missing request body');
  try {
    return JSON.parse(raw) as unknown;
  } catch (e) {
    throw new HttpError(400, e instanceof Error ? e.message : String(e));
  }
}

async function route(state: EngineState, req: IncomingMessage, res: ServerResponse, t0: number, adminToken: string): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://engine').pathname;
  const method = req.method ?? 'GET';
  if (path === ADMIN_CONFIG || path === ADMIN_STATS) checkAdmin(req, adminToken);
  const get = method === 'GET' || method === 'HEAD';
  if (path === '/' && get) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Ollama is running');
    return;
  }
  if (path === '/api/version' && get) return sendJson(res, 200, { version: ENGINE_VERSION });
  if (path === '/api/tags' && get) return sendJson(res, 200, await tags(state));
  if (path === '/api/ps' && get) return sendJson(res, 200, await ps(state));
  if (path === '/api/show' && method === 'POST') return sendJson(res, 200, await show(state, await jsonBody(req)));
  if (path === '/api/pull' && method === 'POST') return sendJson(res, 200, await pull(state, await jsonBody(req)));
  if ((path === '/api/generate' || path === '/api/chat') && method === 'POST') {
    const r = parseInference(path === '/api/chat' ? 'chat' : 'generate', await jsonBody(req));
    state.inference++;
    state.inFlight++;
    try {
      await handleInference(state, res, r, t0);
    } finally {
      state.inFlight--;
    }
    return;
  }
  if ((path === '/v1/chat/completions' || path === '/v1/completions') && method === 'POST') {
    const host = req.socket.localAddress ?? '127.0.0.1';
    const self = `http://${host.includes(':') ? `[${host}]` : host}:${req.socket.localPort}`;
    return handleOpenAi(path === '/v1/chat/completions' ? 'chat' : 'completions', await jsonBody(req), self, res, req);
  }
  if (path === ADMIN_STATS && method === 'GET') return sendJson(res, 200, await state.stats());
  if (path === ADMIN_CONFIG && method === 'POST') {
    state.configure(validateConfig(await jsonBody(req)));
    state.log(`reconfigured: mode ${state.cfg.mode}${state.cfg.fault ? `, fault ${state.cfg.fault.kind}` : ''}`);
    return sendJson(res, 200, { mode: state.cfg.mode, paced: state.cfg.paced, fault: state.cfg.fault, maxQueue: state.cfg.maxQueue });
  }
  const known = ['/', '/api/version', '/api/tags', '/api/ps', '/api/show', '/api/pull', '/api/generate', '/api/chat', '/v1/chat/completions', '/v1/completions', ADMIN_STATS, ADMIN_CONFIG];
  if (known.includes(path)) {
    res.writeHead(405, { 'Content-Type': 'text/plain' });
    res.end('405 method not allowed');
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('404 page not found');
}

/** `adminToken`: what the control routes require (admin.ts takeAdminToken). */
export function createEngineServer(state: EngineState, adminToken: string): Server {
  const server = createServer((req, res) => {
    const t0 = performance.now();
    state.requests++;
    route(state, req, res, t0, adminToken).catch((e: unknown) => {
      if (e instanceof HttpError) {
        if (e.status === 499) {
          if (!res.destroyed && !res.headersSent) sendError(res, 499, e.message);
          return;
        }
        return sendError(res, e.status, e.message);
      }
      if (isChimeraError(e, 'E_BAD_INPUT')) return sendError(res, 400, e.message);
      state.log(`internal error on ${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      sendError(res, 500, e instanceof Error ? e.message : String(e));
    });
  });
  // Streams may pause for long (stall faults, long generations): no server-side timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 5_000;
  return server;
}
