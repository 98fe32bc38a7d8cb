// OpenAI-compatible calls (/v1/chat/completions, /v1/completions) made by a command program go through the
// recording proxy and are recorded like native calls: client timings from the server-sent events (ttft =
// the first event with text), usage tokens, finish_reason; server durations null (the answer has none).
// Against the paced engine (its /v1 routes are Ollama's translation onto /api/chat and /api/generate), so
// the client metrics are checked against a known schedule.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { systemClock } from '../../../src/core/ports';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { RecordingProxy } from '../../../src/core/runner/proxy/recordingProxy';
import { callInvalidReason } from '../../../src/core/runner/validity';
import { readRunsSync } from '../../../src/core/store/read';
import type { CallRecord } from '../../../src/core/types';
import { rawRequest, tmp } from './helpers';

const PROGRAM = resolve(__dirname, '../../fixtures/programs/openai-client.mjs');
const T = 120;
const R = 20; // 50 ms between tokens
const N = 10;

describe('recording proxy: OpenAI-compatible calls of a command program (paced engine)', function () {
  this.timeout(120_000);
  let engine: EngineHandle;
  let calls: CallRecord[];

  before(async () => {
    engine = await startEngine({ mode: 'paced', paced: { ttftMs: T, tokensPerSec: R, tokens: N } });
    const ws = tmp('openai');
    const x = normalizeExperiment({
      title: 'openai client', kind: 'command', model: 'tiny:latest', endpoints: { default: engine.url }, repetitions: 1, warmup: 1,
      implementations: [{ name: 'openai', argv: [process.execPath, PROGRAM, '${endpoint}', '${model}'] }],
    }, { workspaceDir: ws });
    const r = await runExperiment(x, { reportsDir: join(ws, 'reports'), gpuSampling: false });
    const run = readRunsSync(r.trDir).runs.find((x) => !x.warmup)!;
    assert.equal(run.status, 'ok', `${run.error} ${run.command?.stderrTail}`);
    assert.equal(run.command?.callsSource, 'proxy');
    calls = run.calls;
  });
  after(() => engine?.stop());

  const byStage = (s: string): CallRecord => calls.find((c) => c.stage === s)!;

  it('records every /v1 call, none silently forwarded', () => {
    assert.deepEqual(calls.map((c) => [c.stage, c.api, c.openai?.path, c.stream, c.status]), [
      ['chat-stream', 'chat', '/v1/chat/completions', true, 'ok'],
      ['chat-once', 'chat', '/v1/chat/completions', false, 'ok'],
      ['completions-stream', 'generate', '/v1/completions', true, 'ok'],
      ['completions-once', 'generate', '/v1/completions', false, 'ok'],
    ]);
    for (const c of calls) {
      assert.equal(c.server, null, 'no durations in an OpenAI answer: unknown, not 0');
      assert.equal(c.model, 'tiny:latest');
      assert.ok((c.textChars ?? 0) > 0, 'the answer length is known');
    }
  });

  it('streamed: ttft from the first SSE event with text, one event per token, client_decode_tps = (n−1)/(last−first) ≈ r', () => {
    for (const c of [byStage('chat-stream'), byStage('completions-stream')]) {
      const t = c.client.chunkMs;
      assert.equal(t.length, N, `${c.stage}: one event per token`);
      // At least T (the engine never writes early); the engine's /v1 route adds a loopback hop onto /api, so the upper bound is loose.
      assert.ok(c.metrics!.ttft_ms! >= T && c.metrics!.ttft_ms! < T + 500, `${c.stage} ttft ${c.metrics!.ttft_ms}`);
      assert.equal(c.metrics!.ttft_ms, c.client.firstTokenMs);
      const want = (t.length - 1) / ((t[t.length - 1] - t[0]) / 1000);
      assert.ok(Math.abs(c.metrics!.client_decode_tps! - want) <= want * 1e-5);
      assert.ok(Math.abs(c.metrics!.client_decode_tps! - R) <= R * 0.2, `${c.stage} client_decode_tps ${c.metrics!.client_decode_tps}`);
      assert.equal(c.metrics!.itl_ms!.n, N - 1);
      assert.equal(c.openai!.finish_reason, 'stop');
    }
  });

  it('usage tokens as sent; tpot_ms from usage.completion_tokens when the stream carries usage, null (unknown) when it does not', () => {
    const withUsage = byStage('chat-stream');
    assert.equal(withUsage.openai!.usage!.completion_tokens, N);
    assert.ok(withUsage.openai!.usage!.prompt_tokens > 0);
    const wantTpot = (withUsage.client.endMs - withUsage.client.firstTokenMs!) / (N - 1);
    assert.ok(Math.abs(withUsage.metrics!.tpot_ms! - wantTpot) <= 0.002);
    // end − first also holds the /v1 route's last events after the final token (a loopback hop): 20% slack.
    assert.ok(Math.abs(withUsage.metrics!.tpot_ms! - 1000 / R) <= (1000 / R) * 0.2, `tpot ${withUsage.metrics!.tpot_ms}`);
    const without = byStage('completions-stream');
    assert.equal(without.openai!.usage, null);
    assert.equal(without.metrics!.tpot_ms, null);
  });

  it('not streamed: usage and finish_reason from the body, no token timings, the OpenAI fields mapped to Ollama options', () => {
    const once = byStage('chat-once');
    assert.deepEqual(once.options, { num_predict: 4 });
    assert.equal(once.openai!.usage!.completion_tokens, 4);
    assert.equal(once.openai!.finish_reason, 'length');
    assert.equal(once.metrics!.ttft_ms, null);
    assert.ok(once.metrics!.e2e_ms >= T);
    assert.deepEqual(byStage('completions-once').options, { temperature: 0 });
    assert.equal(byStage('completions-once').openai!.usage!.completion_tokens, N);
  });

  it('an OpenAI error answer is a failed call with the server\'s message', async () => {
    const proxy = await RecordingProxy.start({ target: engine.url, endpointName: 'default', clock: systemClock, runStartMs: performance.now() });
    try {
      const res = await rawRequest(`${proxy.url}/v1/chat/completions`, 'POST', JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'x' }], stream: true }));
      assert.equal(res.status, 404);
      await proxy.settle();
      const [c] = proxy.records();
      assert.equal(c.status, 'failed');
      assert.equal(c.error!.code, 'E_MODEL_NOT_FOUND');
      assert.match(c.error!.message, /model 'nope' not found/);
      assert.match(c.error!.message, /\/v1\/chat\/completions/);
    } finally {
      await proxy.close();
    }
  });
});

describe('validity of OpenAI-compatible calls (the guards of native calls, from usage and finish_reason)', () => {
  const call = (over: Partial<CallRecord>, openai: Partial<NonNullable<CallRecord['openai']>>): CallRecord => ({
    stage: 's', endpoint: 'default', url: 'http://x', model: 'm', api: 'chat', options: {}, startedAt: '', status: 'ok', server: null,
    client: { sendOffsetMs: 0, headersMs: 1, firstTokenMs: 1, endMs: 2, chunkMs: [1] }, metrics: null, textChars: 5,
    openai: { path: '/v1/chat/completions', finish_reason: 'stop', usage: { prompt_tokens: 3, completion_tokens: 6 }, ...openai }, ...over,
  });
  it('an answer with text is valid; no text is empty output; reasoning only is budget spent thinking; a tool call is valid', () => {
    assert.equal(callInvalidReason(call({}, {})), null);
    assert.equal(callInvalidReason(call({ textChars: 0 }, { usage: { prompt_tokens: 3, completion_tokens: 0 } })), 'empty output: s returned no tokens (finish_reason stop)');
    assert.equal(callInvalidReason(call({ textChars: 0, thinkingChars: 40 }, { finish_reason: 'length' })), 'budget spent thinking: s generated 6 tokens of reasoning and no answer (finish_reason length)');
    assert.equal(callInvalidReason(call({ textChars: 0 }, { finish_reason: 'tool_calls' })), null);
  });
  it('minOutputTokens from usage.completion_tokens; unknown usage never invalidates', () => {
    assert.equal(callInvalidReason(call({}, {}), { minOutputTokens: 10 }), 'output too short: s generated 6 tokens, below minOutputTokens 10 (finish_reason stop)');
    assert.equal(callInvalidReason(call({}, { usage: null }), { minOutputTokens: 10 }), null);
  });
});
