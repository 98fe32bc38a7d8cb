import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { systemClock } from '../../../src/core/ports';
import { RecordingProxy } from '../../../src/core/runner/proxy/recordingProxy';
import { rawRequest } from './helpers';

/** Ollama fields that differ between two identical requests (wall clock and measured durations). */
const VOLATILE = new Set(['created_at', 'total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration', 'context']);
const stable = (body: Buffer): unknown[] =>
  body.toString('utf8').split('\n').filter((l) => l.trim()).map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !VOLATILE.has(k))));

const FIXED_LINES = [
  '{"model":"m","created_at":"2026-01-01T00:00:00Z","response":"Hel","done":false}\n',
  '{"model":"m","created_at":"2026-01-01T00:00:00Z","response":"lo","done":false}\n',
  '{"model":"m","created_at":"2026-01-01T00:00:00Z","response":"","done":true,"done_reason":"stop","total_duration":9000000,"load_duration":1000000,"prompt_eval_count":5,"prompt_eval_duration":2000000,"eval_count":2,"eval_duration":4000000}\n',
];

/**
 * Fake upstream (no real server sends fixed bytes on a fixed schedule): three NDJSON chunks 150 ms
 * apart with a custom header, so byte equality and chunk-by-chunk forwarding can be asserted exactly.
 */
function fixedBytesUpstream(): Promise<{ server: Server; url: string; lastChunkAt: () => number }> {
  let last = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'X-Upstream': 'fixed' });
      res.flushHeaders();
      FIXED_LINES.forEach((line, i) => setTimeout(() => {
        res.write(line);
        if (i === FIXED_LINES.length - 1) {
          last = performance.now();
          res.end();
        }
      }, 150 * (i + 1)));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lastChunkAt: () => last })));
}

describe('recording proxy', function () {
  this.timeout(120_000);
  let engine: EngineHandle;
  const proxies: RecordingProxy[] = [];
  const open = async (target: string): Promise<RecordingProxy> => {
    const p = await RecordingProxy.start({ target, endpointName: 'default', clock: systemClock, runStartMs: performance.now() });
    proxies.push(p);
    return p;
  };

  before(async () => {
    // The same request is sent twice (direct, then through the proxy) and the bodies compared: without the
    // prompt cache the second is not a cache hit, so prompt_eval_cached_count does not differ.
    engine = await startEngine({ mode: 'llama', parallel: 1, promptCache: false });
  });
  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await engine?.stop();
  });
  afterEach(async () => {
    await engine.configure({ mode: 'llama', fault: null });
  });

  it('passes bytes and headers through unchanged, chunk by chunk, and records the timings', async () => {
    const up = await fixedBytesUpstream();
    try {
      const proxy = await open(up.url);
      const body = JSON.stringify({ model: 'm', prompt: 'hi', options: { num_predict: 2, temperature: 0 } });
      const direct = await rawRequest(`${up.url}/api/generate`, 'POST', body);
      const via = await rawRequest(`${proxy.url}/api/generate`, 'POST', body, { 'X-Chimeraforge-Stage': 'analysis' });
      assert.equal(via.body.toString('utf8'), FIXED_LINES.join(''));
      assert.deepEqual(via.body, direct.body);
      assert.equal(via.status, 200);
      assert.equal(via.headers['x-upstream'], 'fixed');
      assert.equal(via.headers['content-type'], 'application/x-ndjson');
      // Not buffered: the program had the first line before the upstream even wrote the last one.
      assert.equal(via.chunkAt.length, 3);
      assert.ok(via.chunkAt[0] < up.lastChunkAt(), 'first chunk forwarded before the last was sent');

      const [rec] = proxy.records();
      assert.equal(proxy.records().length, 1);
      assert.equal(rec.stage, 'analysis');
      assert.equal(rec.model, 'm');
      assert.equal(rec.api, 'generate');
      assert.equal(rec.stream, true);
      assert.deepEqual(rec.options, { num_predict: 2, temperature: 0 });
      assert.equal(rec.status, 'ok');
      assert.equal(rec.textChars, 5);
      assert.equal(rec.promptChars, 2);
      assert.deepEqual(rec.server, { total_duration: 9e6, load_duration: 1e6, prompt_eval_count: 5, prompt_eval_duration: 2e6, eval_count: 2, eval_duration: 4e6, done_reason: 'stop' });
      const c = rec.client;
      assert.equal(c.chunkMs.length, 2);
      assert.ok(c.headersMs !== null && c.firstTokenMs !== null);
      assert.ok(c.headersMs <= c.firstTokenMs && c.firstTokenMs === c.chunkMs[0] && c.chunkMs[1] <= c.endMs);
      // The fixed schedule: first content ~150 ms after the request, second ~150 ms later.
      assert.ok(c.firstTokenMs >= 140, `first token at ${c.firstTokenMs} ms`);
      assert.ok(c.chunkMs[1] - c.chunkMs[0] >= 140, `gap ${c.chunkMs[1] - c.chunkMs[0]} ms`);
      assert.equal(rec.metrics?.decode_tps, 500);
      assert.equal(rec.metrics?.server_ttft_ms, 3);
    } finally {
      await new Promise((r) => up.server.close(r));
    }
  });

  it('gives the same response as a direct request to the real engine, and records it', async () => {
    const proxy = await open(engine.url);
    const body = JSON.stringify({ model: 'tiny:latest', prompt: 'Why is the sky blue?', options: { seed: 7, num_predict: 12, temperature: 0.8 } });
    const direct = await rawRequest(`${engine.url}/api/generate`, 'POST', body);
    const via = await rawRequest(`${proxy.url}/api/generate`, 'POST', body);
    assert.equal(via.status, 200);
    assert.deepEqual(stable(via.body), stable(direct.body));
    const lines = stable(via.body) as { response: string; done: boolean }[];
    const text = lines.map((l) => l.response).join('');
    const [rec] = proxy.records();
    assert.equal(rec.stage, 'call1');
    assert.equal(rec.status, 'ok');
    assert.equal(rec.textChars, text.length);
    assert.equal(rec.server?.eval_count, 12);
    assert.equal(rec.client.chunkMs.length, lines.filter((l) => l.response).length);
    assert.ok(rec.metrics?.decode_tps !== null && rec.metrics!.decode_tps! > 0);
    assert.ok(proxy.firstRequestAtMs !== null);
  });

  it('forwards other paths without recording them, and records non-streamed chat calls', async () => {
    const proxy = await open(engine.url);
    const tagsDirect = await rawRequest(`${engine.url}/api/tags`, 'GET');
    const tagsVia = await rawRequest(`${proxy.url}/api/tags`, 'GET');
    assert.equal(tagsVia.status, 200);
    assert.deepEqual(JSON.parse(tagsVia.body.toString()), JSON.parse(tagsDirect.body.toString()));
    assert.equal(proxy.records().length, 0);
    assert.equal(proxy.requestCount, 1);

    const chat = await rawRequest(`${proxy.url}/api/chat`, 'POST', JSON.stringify({ model: 'tiny:latest', stream: false, messages: [{ role: 'user', content: 'hello there' }], options: { num_predict: 8 } }));
    const answer = JSON.parse(chat.body.toString()) as { message: { content: string } };
    const [rec] = proxy.records();
    assert.equal(rec.api, 'chat');
    assert.equal(rec.stream, false);
    assert.equal(rec.status, 'ok');
    assert.equal(rec.client.firstTokenMs, null);
    assert.equal(rec.textChars, answer.message.content.length);
    assert.equal(rec.server?.eval_count, 8);
    assert.equal(rec.promptChars, 11);
  });

  it('records concurrent calls separately, with live progress per call', async () => {
    const progress: Record<string, number[]> = {};
    const proxy = await RecordingProxy.start({ target: engine.url, endpointName: 'default', clock: systemClock, runStartMs: performance.now(), onContent: (stage, chunks) => (progress[stage] ??= []).push(chunks) });
    proxies.push(proxy);
    const send = (stage: string, n: number): Promise<unknown> => rawRequest(`${proxy.url}/api/generate`, 'POST', JSON.stringify({ model: 'tiny:latest', prompt: `p ${stage}`, options: { num_predict: n } }), { 'X-Chimeraforge-Stage': stage });
    await Promise.all([send('a', 5), send('b', 7), send('c', 9)]);
    const recs = proxy.records();
    assert.equal(recs.length, 3);
    const byStage = Object.fromEntries(recs.map((r) => [r.stage, r]));
    assert.deepEqual(Object.keys(byStage).sort(), ['a', 'b', 'c']);
    assert.deepEqual(['a', 'b', 'c'].map((s) => byStage[s].server?.eval_count), [5, 7, 9]);
    assert.ok(recs.every((r) => r.status === 'ok' && r.client.chunkMs.length > 0));
    for (const r of recs) assert.deepEqual(progress[r.stage], r.client.chunkMs.map((_, i) => i + 1));
  });

  it('records a mid-stream error as failed and still passes the error line on', async () => {
    await engine.configure({ mode: 'fault', fault: { kind: 'midstream', atToken: 3 } });
    const proxy = await open(engine.url);
    const via = await rawRequest(`${proxy.url}/api/generate`, 'POST', JSON.stringify({ model: 'tiny:latest', prompt: 'x' }));
    const lines = via.body.toString().trim().split('\n').map((l) => JSON.parse(l) as { error?: string });
    assert.equal(typeof lines[lines.length - 1].error, 'string');
    const [rec] = proxy.records();
    assert.equal(rec.status, 'failed');
    assert.equal(rec.error?.code, 'E_MIDSTREAM');
    assert.equal(rec.client.chunkMs.length, 3);
    assert.equal(rec.server, null);
  });

  it('records HTTP errors, an unreachable endpoint and a program that hangs up early', async () => {
    const proxy = await open(engine.url);
    const missing = await rawRequest(`${proxy.url}/api/generate`, 'POST', JSON.stringify({ model: 'nope:latest', prompt: 'x' }));
    assert.equal(missing.status, 404);
    assert.equal(proxy.records()[0].error?.code, 'E_MODEL_NOT_FOUND');

    await engine.configure({ mode: 'paced', paced: { ttftMs: 20, tokensPerSec: 20, tokens: 200 } });
    await rawRequest(`${proxy.url}/api/generate`, 'POST', JSON.stringify({ model: 'tiny:latest', prompt: 'x' }), {}, 2);
    await proxy.settle(5000);
    const hung = proxy.records()[1];
    assert.equal(hung.status, 'failed');
    assert.equal(hung.error?.code, 'E_ABORTED');
    // The proxy is still usable afterwards.
    await engine.configure({ mode: 'llama' });
    const again = await rawRequest(`${proxy.url}/api/generate`, 'POST', JSON.stringify({ model: 'tiny:latest', prompt: 'x', options: { num_predict: 3 } }));
    assert.equal(again.status, 200);
    assert.equal(proxy.records()[2].status, 'ok');

    const dead = await open('http://127.0.0.1:9');
    const r = await rawRequest(`${dead.url}/api/generate`, 'POST', JSON.stringify({ model: 'tiny:latest', prompt: 'x' }));
    assert.equal(r.status, 502);
    assert.match((JSON.parse(r.body.toString()) as { error: string }).error, /did not answer/);
    assert.equal(dead.records()[0].error?.code, 'E_UNREACHABLE');
  });
});
