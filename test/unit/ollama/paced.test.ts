// The gateway against the engine's paced mode: tokens on an exact schedule are the ground truth
// for the client-side timings, and a slow schedule makes cancel and timeout observable.
import assert from 'node:assert/strict';
import type { EngineHandle } from '../../../engine/api';
import { callModel, type CallInput } from '../../../src/core/ollama/call';
import type { GatewayClient } from '../../../src/core/ollama/client';
import { checkHealth } from '../../../src/core/ollama/endpoint';
import { estimateRtt } from '../../../src/core/ollama/probe';
import { EnginePool, clientFor, median } from './engineHarness';

const TTFT_MS = 40;
const TPS = 200; // 5 ms between tokens
const TOKENS = 20;
// Server-reported decode rate: eval_count / eval_duration with eval_duration over the N−1 intervals
// between N tokens (the Go runner's timing, which the paced engine reproduces), so it reads TPS·N/(N−1).
const SERVER_DECODE_TPS = TOKENS / ((TOKENS - 1) / TPS);

describe('gateway × paced engine', function () {
  this.timeout(60_000);
  const pool = new EnginePool();
  let engine: EngineHandle;
  let client: GatewayClient;

  before(async () => {
    engine = await pool.start({ mode: 'paced', paced: { ttftMs: TTFT_MS, tokensPerSec: TPS, tokens: TOKENS } });
    client = clientFor(engine);
  });
  after(() => pool.stopAll());

  const base = (): CallInput => ({ client, model: 'tiny', api: 'generate', prompt: 'measure me', timeoutMs: 10_000, runStartMs: client.clock.now() });

  it('client ttft_ms is within 2 ms of the schedule; decode_tps is the server\'s N/(N−1)-biased rate (plumbing) (generate, streamed)', async () => {
    await callModel(base()); // opens the keep-alive connection and warms the JIT
    // The schedule starts when the server holds the request, so the client also sees one HTTP round
    // trip, sampled here (HEAD /) between the calls. Scheduler noise on this shared 2-core machine only
    // ever delays, so best-of-N against best-of-N shows the measurement's own bias.
    const rtt = await estimateRtt(client, { samples: 5 });
    const rtts: number[] = [];
    const ttfts: number[] = [];
    const queues: number[] = [];
    const itls: number[] = [];
    for (let i = 0; i < 11; i++) {
      rtts.push((await checkHealth(client, { method: 'HEAD' })).ms);
      const { record } = await callModel({ ...base(), networkMs: rtt });
      assert.equal(record.status, 'ok');
      assert.equal(record.server?.eval_count, TOKENS);
      assert.equal(record.server?.eval_duration, ((TOKENS - 1) / TPS) * 1e9);
      assert.equal(record.metrics?.decode_tps, SERVER_DECODE_TPS);
      assert.equal(record.server?.prompt_eval_duration, TTFT_MS * 1e6);
      assert.equal(record.metrics?.server_ttft_ms, TTFT_MS);
      assert.equal(record.client.chunkMs.length, TOKENS);
      ttfts.push(record.metrics!.ttft_ms!);
      queues.push(record.metrics!.queue_ms!);
      itls.push(record.metrics!.itl_ms!.p50);
    }
    const shown = ttfts.map((t) => t.toFixed(2)).join(', ');
    const best = Math.min(...ttfts);
    const bestRtt = Math.min(...rtts);
    assert.ok(best - TTFT_MS - bestRtt <= 2, `best ttft ${best} ms vs schedule ${TTFT_MS} ms + best round trip ${bestRtt} ms (${shown})`);
    assert.ok(ttfts.every((t) => t >= TTFT_MS), `no token can arrive before its deadline: ${shown}`);
    assert.ok(Math.min(...queues) <= 2, `queue_ms should be ≈0 with one request at a time: ${queues.join(', ')}`);
    assert.ok(median(ttfts) - TTFT_MS <= 25, `median ttft ${median(ttfts)} ms (${shown})`);
    assert.ok(Math.abs(median(itls) - 1000 / TPS) <= 2, `median ITL p50 ${median(itls)} ms, schedule ${1000 / TPS} ms`);
  });

  it('chat streams message.content with the same schedule', async () => {
    const { record, text } = await callModel({ ...base(), api: 'chat', messages: [{ role: 'user', content: 'measure me' }] });
    assert.equal(record.status, 'ok');
    assert.equal(record.api, 'chat');
    assert.equal(record.client.chunkMs.length, TOKENS);
    assert.equal(record.metrics?.decode_tps, SERVER_DECODE_TPS);
    assert.equal(text.split(' ').length, TOKENS);
    assert.equal(record.textChars, text.length);
  });

  it('non-streamed: server fields and text, no client token timings', async () => {
    const streamed = await callModel({ ...base(), options: { seed: 3 } });
    const whole = await callModel({ ...base(), options: { seed: 3 }, stream: false });
    assert.equal(whole.record.status, 'ok');
    assert.equal(whole.text, streamed.text);
    assert.equal(whole.record.server?.eval_count, TOKENS);
    assert.equal(whole.record.metrics?.decode_tps, SERVER_DECODE_TPS);
    assert.equal(whole.record.client.firstTokenMs, null);
    assert.deepEqual(whole.record.client.chunkMs, []);
    assert.ok(whole.record.client.endMs >= TTFT_MS + ((TOKENS - 1) / TPS) * 1000 - 1);
  });

  it('options are sent as given and recorded; {} sends none', async () => {
    const { record } = await callModel({ ...base(), options: { num_predict: 3 } });
    assert.deepEqual(record.options, { num_predict: 3 });
    assert.equal(record.server?.eval_count, 3);
    assert.equal(record.server?.done_reason, 'length');
    const none = await callModel({ ...base(), options: {} });
    assert.deepEqual(none.record.options, {});
    assert.equal(none.record.server?.eval_count, TOKENS);
  });

  it('onChunk sees every content chunk with a growing count', async () => {
    const seen: [number, number][] = [];
    const { record } = await callModel({ ...base(), onChunk: (n, ms) => seen.push([n, ms]) });
    assert.deepEqual(seen.map(([n]) => n), Array.from({ length: TOKENS }, (_, i) => i + 1));
    assert.deepEqual(seen.map(([, ms]) => ms), record.client.chunkMs);
  });

  it('an error thrown by onChunk is the caller\'s bug: rethrown, request aborted', async () => {
    const boom = new RangeError('callback bug');
    await assert.rejects(callModel({ ...base(), onChunk: (n) => { if (n === 2) throw boom; } }), (e) => e === boom);
  });

  it('cancel mid-stream → cancelled with E_ABORTED, the partial record kept', async () => {
    const ac = new AbortController();
    const { record, text } = await callModel({
      ...base(), options: { paced_tps: 50, paced_tokens: 200 }, signal: ac.signal,
      onChunk: (n) => { if (n === 5) ac.abort(); },
    });
    assert.equal(record.status, 'cancelled');
    assert.equal(record.error?.code, 'E_ABORTED');
    assert.equal(record.server, null);
    assert.ok(record.client.chunkMs.length >= 5 && record.client.chunkMs.length < 200);
    assert.ok(text.length > 0 && record.metrics?.ttft_ms !== null);
    assert.ok(record.client.endMs < 2000, `ended ${record.client.endMs} ms after send, not after the 4 s stream`);
  });

  it('a signal aborted before the call → cancelled without sending', async () => {
    const ac = new AbortController();
    ac.abort();
    const { record } = await callModel({ ...base(), signal: ac.signal });
    assert.equal(record.status, 'cancelled');
    assert.equal(record.error?.code, 'E_ABORTED');
    assert.equal(record.client.headersMs, null);
  });

  it('client.abort() cancels the calls of that client', async () => {
    const { createGatewayClient } = await import('../../../src/core/ollama/client');
    const own = createGatewayClient({ url: engine.url, name: 'own' });
    const pending = callModel({ ...base(), client: own, options: { paced_tps: 50, paced_tokens: 200 }, stream: false });
    setTimeout(() => own.abort(), 200);
    const { record } = await pending;
    assert.equal(record.error?.code, 'E_ABORTED');
    assert.ok(record.client.endMs < 2000);
  });

  it('slow first byte → E_TIMEOUT after timeoutMs of silence', async () => {
    const { record } = await callModel({ ...base(), options: { paced_ttft_ms: 3000 }, timeoutMs: 300 });
    assert.equal(record.status, 'failed');
    assert.equal(record.error?.code, 'E_TIMEOUT');
    assert.equal(record.client.headersMs, null);
    assert.ok(record.client.endMs >= 300 && record.client.endMs < 1500, `failed after ${record.client.endMs} ms`);
  });

  it('a slow but steady stream longer than timeoutMs does not time out', async () => {
    // 30 tokens at 20 tok/s = 1.5 s in total, 50 ms gaps, limit 400 ms of silence.
    const { record } = await callModel({ ...base(), options: { paced_tps: 20, paced_tokens: 30, paced_ttft_ms: 100 }, timeoutMs: 400 });
    assert.equal(record.status, 'ok', JSON.stringify(record.error));
    assert.ok(record.client.endMs > 1000);
  });

  it('sendOffsetMs places the call on the run timeline', async () => {
    const runStartMs = client.clock.now();
    await new Promise((r) => setTimeout(r, 50));
    const { record } = await callModel({ ...base(), runStartMs });
    assert.ok(record.client.sendOffsetMs >= 49 && record.client.sendOffsetMs < 1000, String(record.client.sendOffsetMs));
  });
});
