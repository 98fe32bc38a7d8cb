// The recording proxy: a local pass-through endpoint in front of a real Ollama endpoint. Every request
// is forwarded as it comes (method, path, headers, body) and every response chunk is written back the
// moment it arrives — recording happens after the write, so the program sees the server's timing.
// /api/generate and /api/chat requests become CallRecords, and so do Ollama's OpenAI-compatible
// /v1/chat/completions and /v1/completions (openaiObserver.ts); other paths are only forwarded.
import { createServer, request as httpRequest, Agent as HttpAgent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Clock, Logger } from '../../ports';
import type { CallRecord } from '../../types';
import type { ErrorCode } from '../../errors';
import { causeCode } from '../../ollama/classify';
import { CallObserver, STAGE_HEADER } from './callObserver';
import { OpenAiObserver } from './openaiObserver';
import type { OpenAiPath } from '../../types';

/**
 * Connection-level headers: they describe one hop and must not be forwarded (RFC 9110 §7.6.1). Expect
 * too: node:http already answered the program's `100-continue`, so the body follows anyway.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'expect']);

export interface RecordingProxyOptions {
  /** The real endpoint's base URL (http or https, optionally with a path prefix). */
  target: string;
  /** Endpoint name from the experiment, written into each CallRecord. */
  endpointName: string;
  clock: Clock;
  /** Clock time the run started: sendOffsetMs of each call is relative to it. */
  runStartMs: number;
  coldThresholdMs?: number;
  networkMs?: number | null;
  log?: Logger;
  /** Live progress of each recorded call: its stage, content chunks so far, ms since the request arrived. */
  onContent?: (stage: string, chunks: number, elapsedMs: number) => void;
}

/** Raw header pairs without hop-by-hop headers (and without Host, which is set for the target). */
function forwardable(raw: string[], dropHost: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i].toLowerCase();
    if (HOP_BY_HOP.has(k) || (dropHost && k === 'host')) continue;
    out.push(raw[i], raw[i + 1]);
  }
  return out;
}

/** Which recorded call a request is: a native generate/chat, an OpenAI-compatible one, or null (only forwarded). */
function apiOf(method: string | undefined, path: string): { api: 'generate' | 'chat'; openai?: OpenAiPath } | null {
  if (method !== 'POST') return null;
  const p = path.split('?')[0].replace(/\/+$/, '');
  if (p === '/api/generate') return { api: 'generate' };
  if (p === '/api/chat') return { api: 'chat' };
  if (p === '/v1/chat/completions' || p === '/v1/completions') return { api: p === '/v1/completions' ? 'generate' : 'chat', openai: p };
  return null;
}

export class RecordingProxy {
  /** Clock time the first request (any path) reached the proxy; start-up is measured to it. */
  firstRequestAtMs: number | null = null;
  /** Requests received on any path. */
  requestCount = 0;
  private readonly observers: (CallObserver | OpenAiObserver)[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly target: URL;
  private readonly agent: HttpAgent;
  private readonly sockets = new Set<Socket>();
  private calls = 0;

  private constructor(private readonly opts: RecordingProxyOptions, private readonly server: Server, readonly url: string) {
    this.target = new URL(opts.target);
    this.agent = this.target.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  static start(opts: RecordingProxyOptions): Promise<RecordingProxy> {
    const server = createServer({ noDelay: true });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        const proxy = new RecordingProxy(opts, server, `http://127.0.0.1:${port}`);
        server.on('request', (req, res) => proxy.handle(req, res));
        server.on('connection', (s: Socket) => {
          proxy.sockets.add(s);
          s.once('close', () => proxy.sockets.delete(s));
        });
        resolve(proxy);
      });
    });
  }

  /** Calls recorded so far, in order of arrival (only finished ones). */
  records(): CallRecord[] {
    return this.observers.flatMap((o) => (o.record ? [o.record] : []));
  }

  /** Waits until every request in flight has finished (or `timeoutMs` passed). */
  async settle(timeoutMs = 2000): Promise<void> {
    if (this.inflight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Stops listening and drops every connection (in-flight requests end as disconnected). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
    this.agent.destroy();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const { clock } = this.opts;
    const arrivedAt = clock.now();
    this.firstRequestAtMs ??= arrivedAt;
    this.requestCount++;
    const path = req.url ?? '/';
    const api = apiOf(req.method, path);
    let observer: CallObserver | OpenAiObserver | null = null;
    const bodyParts: Buffer[] = [];
    let finished = false;
    let settleInflight: () => void = () => {};
    const inflight = new Promise<void>((r) => (settleInflight = r));
    this.inflight.add(inflight);

    const end = (failure: { code: ErrorCode; detail: string } | null): void => {
      if (finished) return;
      finished = true;
      observer?.finish(clock.now(), failure);
      this.inflight.delete(inflight);
      settleInflight();
    };

    const base = this.target.pathname.replace(/\/+$/, '');
    const send = this.target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send({
      protocol: this.target.protocol,
      hostname: this.target.hostname,
      port: this.target.port || (this.target.protocol === 'https:' ? 443 : 80),
      method: req.method,
      path: `${base}${path}`,
      headers: [...forwardable(req.rawHeaders, true), 'Host', this.target.host],
      agent: this.agent,
    });
    upstream.on('socket', (s: Socket) => s.setNoDelay(true));

    if (api) {
      req.on('data', (c: Buffer) => bodyParts.push(c));
      req.once('end', () => {
        const stageHeader = req.headers[STAGE_HEADER];
        const facts = {
          api: api.api, body: Buffer.concat(bodyParts), stageHeader: typeof stageHeader === 'string' ? stageHeader : null, ordinal: ++this.calls,
          startedAt: new Date(Date.now() - (clock.now() - arrivedAt)).toISOString(), sendAtMs: arrivedAt, runStartMs: this.opts.runStartMs,
          endpointName: this.opts.endpointName, url: this.opts.target, coldThresholdMs: this.opts.coldThresholdMs, networkMs: this.opts.networkMs,
          ...(this.opts.onContent ? { onContent: this.opts.onContent } : {}),
        };
        observer = api.openai ? new OpenAiObserver(api.openai, facts) : new CallObserver(facts);
        this.observers.push(observer);
      });
    }
    req.pipe(upstream);

    upstream.once('response', (up: IncomingMessage) => {
      const at = clock.now();
      observer?.onHeaders(up.statusCode ?? 0, up.headers['content-type'], at);
      res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardable(up.rawHeaders, false));
      res.flushHeaders();
      up.on('data', (chunk: Buffer) => {
        const ok = res.write(chunk);
        observer?.onChunk(chunk, clock.now());
        if (!ok) {
          up.pause();
          res.once('drain', () => up.resume());
        }
      });
      up.once('end', () => {
        res.end();
        end(null);
      });
      up.once('error', (e) => {
        // The server broke the response: break it for the program too, as a direct connection would.
        res.destroy();
        end({ code: 'E_RESET', detail: `the connection broke mid-response${causeCode(e) ? ` (${causeCode(e)})` : ''}` });
      });
    });

    upstream.once('error', (e) => {
      if (res.headersSent) return;
      const code = causeCode(e);
      const message = `chimeraforge proxy: the endpoint ${this.opts.target} did not answer${code ? ` (${code})` : ''}`;
      this.opts.log?.warn(message);
      if (!res.destroyed) {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: message }));
      }
      end({ code: 'E_UNREACHABLE', detail: `no response${code ? ` (${code})` : ''}` });
    });

    // The program went away before the response ended: stop the upstream request too.
    res.once('close', () => {
      if (res.writableFinished) return;
      upstream.destroy();
      end({ code: 'E_ABORTED', detail: 'the program closed the connection before the response ended' });
    });
  }
}
