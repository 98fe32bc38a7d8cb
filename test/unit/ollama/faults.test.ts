// Every fault the engine can inject maps to its typed error code; a line split across TCP writes
// is reassembled. One fault-mode engine, reconfigured per case through its test control route.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { EngineHandle, FaultKind } from '../../../engine/api';
import type { ErrorCode } from '../../../src/core/errors';
import { callModel, type CallInput } from '../../../src/core/ollama/call';
import { createGatewayClient, type GatewayClient } from '../../../src/core/ollama/client';
import { EnginePool, clientFor } from './engineHarness';

const TOKENS = 8;

/** A port nothing listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('gateway × fault engine: typed errors', function () {
  this.timeout(60_000);
  const pool = new EnginePool();
  let engine: EngineHandle;
  let client: GatewayClient;

  before(async () => {
    engine = await pool.start({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 400, tokens: TOKENS } });
    client = clientFor(engine);
  });
  after(() => pool.stopAll());

  const base = (over: Partial<CallInput> = {}): CallInput => ({
    client, model: 'tiny', api: 'generate', prompt: 'fault me', timeoutMs: 5_000, runStartMs: client.clock.now(), options: { seed: 7 }, ...over,
  });

  async function withFault(kind: FaultKind, extra: { stallMs?: number; atToken?: number } = {}): Promise<void> {
    await engine.configure({ mode: 'fault', fault: { kind, ...extra } });
  }

  const table: { kind: FaultKind; stream: boolean; code: ErrorCode; partial: boolean; message?: RegExp; timeoutMs?: number; extra?: { stallMs?: number; atToken?: number } }[] = [
    { kind: 'http404', stream: true, code: 'E_MODEL_NOT_FOUND', partial: false, message: /HTTP 404: model 'tiny(:latest)?' not found/ },
    { kind: 'http404', stream: false, code: 'E_MODEL_NOT_FOUND', partial: false },
    { kind: 'http500', stream: true, code: 'E_SERVER', partial: false, message: /HTTP 500: llama runner process has terminated/ },
    { kind: 'http500', stream: false, code: 'E_SERVER', partial: false, message: /HTTP 500/ },
    { kind: 'http503', stream: true, code: 'E_BUSY', partial: false, message: /HTTP 503: server busy/ },
    { kind: 'http503', stream: false, code: 'E_BUSY', partial: false },
    { kind: 'midstream', stream: true, code: 'E_MIDSTREAM', partial: true, message: /injected mid-stream fault/ },
    { kind: 'reset', stream: true, code: 'E_RESET', partial: true },
    { kind: 'stall', stream: true, code: 'E_TIMEOUT', partial: true, timeoutMs: 300, extra: { stallMs: 5_000 }, message: /stalled: nothing received for 300 ms/ },
    { kind: 'stall', stream: false, code: 'E_TIMEOUT', partial: false, timeoutMs: 300, extra: { stallMs: 5_000 } },
    { kind: 'nodone', stream: true, code: 'E_NO_DONE', partial: true },
    { kind: 'nodone', stream: false, code: 'E_NO_DONE', partial: false },
    { kind: 'malformed', stream: true, code: 'E_MALFORMED', partial: true },
    { kind: 'malformed', stream: false, code: 'E_MALFORMED', partial: false },
  ];
  for (const t of table) {
    it(`${t.kind} (${t.stream ? 'streamed' : 'not streamed'}) → ${t.code}`, async () => {
      await withFault(t.kind, t.extra);
      const { record, text } = await callModel(base({ stream: t.stream, ...(t.timeoutMs ? { timeoutMs: t.timeoutMs } : {}) }));
      assert.equal(record.status, 'failed');
      assert.equal(record.error?.code, t.code, record.error?.message);
      assert.match(record.error!.message, new RegExp(`endpoint 'default' \\(${engine.url.replace(/[.]/g, '\\.')}\\), model 'tiny'`));
      if (t.message) assert.match(record.error!.message, t.message);
      assert.equal(record.server, null);
      if (t.partial) {
        // Tokens that arrived before the fault are kept, with their timings.
        assert.ok(record.client.chunkMs.length >= 1 && record.client.chunkMs.length < TOKENS, `chunks ${record.client.chunkMs.length}`);
        assert.ok(text.length > 0);
        assert.equal(record.metrics?.ttft_ms, record.client.firstTokenMs);
      }
      if (t.kind === 'stall') assert.ok(record.client.endMs >= 300 && record.client.endMs < 3_000, `gave up after ${record.client.endMs} ms`);
      const stats = await engine.stats();
      assert.ok((stats.faultsByKind[t.kind] ?? 0) >= 1, 'the engine really injected the fault');
    });
  }

  it('split: lines cut across TCP writes are reassembled into the same text as unsplit', async () => {
    await engine.configure({ mode: 'paced', fault: null });
    for (const api of ['generate', 'chat'] as const) {
      const over: Partial<CallInput> = api === 'chat' ? { api, messages: [{ role: 'user', content: 'fault me' }] } : {};
      const plain = await callModel(base(over));
      await withFault('split');
      const split = await callModel(base(over));
      await engine.configure({ mode: 'paced', fault: null });
      assert.equal(split.record.status, 'ok', JSON.stringify(split.record.error));
      assert.equal(split.text, plain.text);
      assert.equal(split.record.client.chunkMs.length, TOKENS);
      assert.equal(split.record.server?.eval_count, plain.record.server?.eval_count);
      assert.equal(split.record.server?.done_reason, plain.record.server?.done_reason);
    }
  });

  it('a fault after N good requests: the good ones pass, the next fails', async () => {
    await engine.configure({ mode: 'fault', fault: { kind: 'http500', afterGood: 2, count: 1 } });
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) codes.push((await callModel(base())).record.error?.code);
    assert.deepEqual(codes, [undefined, undefined, 'E_SERVER', undefined]);
  });

  it('a non-Ollama URL (404 text body) → E_SERVER, and ollama-js prints nothing to stdout', async () => {
    const { getVersion } = await import('../../../src/core/ollama/endpoint');
    const wrong = createGatewayClient({ url: `${engine.url}/not-ollama`, name: 'wrong' });
    const written: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      await assert.rejects(getVersion(wrong), (e: unknown) => {
        assert.ok(e instanceof Error && (e as { code?: string }).code === 'E_SERVER');
        assert.match(e.message, /version failed for endpoint 'wrong'.*HTTP 404/);
        return true;
      });
    } finally {
      process.stdout.write = orig;
    }
    assert.deepEqual(written, []);
  });

  it('an unknown host name → E_UNREACHABLE (DNS)', async () => {
    const dns = createGatewayClient({ url: 'http://no-such-host.invalid:11434', name: 'dns' });
    const { record } = await callModel(base({ client: dns }));
    assert.equal(record.error?.code, 'E_UNREACHABLE');
    assert.match(record.error!.message, /ENOTFOUND|EAI_AGAIN/);
  });

  it('an unreachable port → E_UNREACHABLE quickly, no server fields', async () => {
    const port = await deadPort();
    const dead = createGatewayClient({ url: `http://127.0.0.1:${port}`, name: 'b' });
    const { record } = await callModel(base({ client: dead }));
    assert.equal(record.status, 'failed');
    assert.equal(record.error?.code, 'E_UNREACHABLE');
    assert.match(record.error!.message, /ECONNREFUSED/);
    assert.match(record.error!.message, new RegExp(`endpoint 'b' \\(http://127\\.0\\.0\\.1:${port}\\)`));
    assert.equal(record.client.headersMs, null);
    const { getVersion } = await import('../../../src/core/ollama/endpoint');
    await assert.rejects(getVersion(dead), (e: unknown) => {
      assert.ok(e instanceof Error && (e as { code?: string }).code === 'E_UNREACHABLE');
      assert.equal(e.message, `endpoint 'b' (http://127.0.0.1:${port}) is not reachable: no response (ECONNREFUSED)`);
      assert.equal((e as { hint?: string }).hint, `start the server: \`ollama serve\` (OLLAMA_HOST=127.0.0.1:${port} for this address) or the embedded engine: \`chimeraforge engine --port ${port}\`; check the URL of endpoint 'b'`);
      return true;
    });
  });
});
