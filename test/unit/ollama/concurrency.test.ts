// Several calls on one client at once (multi-agent on one endpoint): each call is cancelled or
// timed out on its own, and a call waiting for the engine's only slot shows it in queue_ms.
import assert from 'node:assert/strict';
import type { EngineHandle } from '../../../engine/api';
import { callModel, type CallInput } from '../../../src/core/ollama/call';
import type { GatewayClient } from '../../../src/core/ollama/client';
import { estimateRtt } from '../../../src/core/ollama/probe';
import { EnginePool, clientFor } from './engineHarness';

const TTFT_MS = 30;
const TPS = 100;
const TOKENS = 20; // 30 ms + 200 ms per request

describe('gateway: concurrent calls on one client', function () {
  this.timeout(60_000);
  const pool = new EnginePool();
  let engine: EngineHandle;
  let client: GatewayClient;

  before(async () => {
    engine = await pool.start({ mode: 'paced', parallel: 1, paced: { ttftMs: TTFT_MS, tokensPerSec: TPS, tokens: TOKENS } });
    client = clientFor(engine);
  });
  after(() => pool.stopAll());

  const base = (over: Partial<CallInput> = {}): CallInput => ({ client, model: 'tiny', api: 'generate', prompt: 'p', timeoutMs: 10_000, runStartMs: client.clock.now(), ...over });

  it('a call waiting for the only slot: the wait is in queue_ms, not in server_ttft_ms', async () => {
    await callModel(base());
    const rtt = await estimateRtt(client);
    const runStartMs = client.clock.now();
    const [first, second] = await Promise.all([callModel(base({ networkMs: rtt, runStartMs })), callModel(base({ networkMs: rtt, runStartMs }))]);
    const [early, late] = first.record.metrics!.ttft_ms! < second.record.metrics!.ttft_ms! ? [first, second] : [second, first];
    for (const r of [early, late]) {
      assert.equal(r.record.status, 'ok');
      assert.equal(r.record.metrics!.server_ttft_ms, TTFT_MS);
    }
    const serviceMs = TTFT_MS + ((TOKENS - 1) / TPS) * 1000; // the done line follows the last token at once
    const lateQueue = late.record.metrics!.queue_ms!;
    // The engine reports the slot wait only inside total_duration (like Ollama): the server's truth.
    const s = late.record.server!;
    const serverWaitMs = (s.total_duration - s.load_duration - s.prompt_eval_duration - s.eval_duration) / 1e6;
    assert.ok(early.record.metrics!.queue_ms! < serviceMs / 2, `the first call did not wait for a slot: ${early.record.metrics!.queue_ms} ms`);
    assert.ok(serverWaitMs > serviceMs - 20, `the second call waited ${serverWaitMs} ms for the slot, the first needed ${serviceMs} ms`);
    // queue_ms also holds any delay before the server's handler ran (load on this machine): it is at
    // least the server-side wait, and matches the wait the client saw (first call's end − own send).
    assert.ok(lateQueue > serverWaitMs - 20, `client-derived queue_ms ${lateQueue} vs server-side slot wait ${serverWaitMs} ms`);
    const clientWaitMs = early.record.client.sendOffsetMs + early.record.client.endMs - late.record.client.sendOffsetMs;
    assert.ok(Math.abs(lateQueue - clientWaitMs) < 20, `queue_ms ${lateQueue} vs the slot's release ${clientWaitMs} ms after this call's send`);
  });

  it('cancelling one call leaves the other call of the same client running', async () => {
    const parallel = await pool.start({ mode: 'paced', parallel: 2, paced: { ttftMs: TTFT_MS, tokensPerSec: TPS, tokens: TOKENS } });
    const c2 = clientFor(parallel);
    const ac = new AbortController();
    const cancelled = callModel({ ...base(), client: c2, signal: ac.signal, onChunk: (n) => { if (n === 3) ac.abort(); } });
    const kept = callModel({ ...base(), client: c2 });
    const [x, y] = await Promise.all([cancelled, kept]);
    assert.equal(x.record.error?.code, 'E_ABORTED');
    assert.equal(y.record.status, 'ok');
    assert.equal(y.record.client.chunkMs.length, TOKENS);
  });

  it('a timeout of one call leaves the other call of the same client running', async () => {
    await engine.configure({ mode: 'paced' });
    // The second call starts once the first holds the only slot: it gets no byte for ~200 ms.
    const later: { call?: ReturnType<typeof callModel> } = {};
    const x = await callModel(base({ onChunk: (n) => { if (n === 1) later.call = callModel(base({ timeoutMs: 100 })); } }));
    assert.ok(later.call, 'the second call started while the first held the slot');
    const y = await later.call;
    assert.equal(x.record.status, 'ok');
    assert.equal(y.record.error?.code, 'E_TIMEOUT');
  });
});
