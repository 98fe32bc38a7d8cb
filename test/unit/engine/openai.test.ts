// Ollama's OpenAI-compatible routes, served as Ollama does (its own chat/generate handlers underneath):
// shapes, usage, SSE streaming on the paced schedule, tool calls, errors.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { ensureEngineBundle } from './helpers';

interface Sse { status: number; contentType: string | null; events: { at: number; data: string }[] }

/** POSTs JSON and reads a server-sent-event stream, time-stamping each `data:` event on arrival. */
async function postSse(url: string, body: unknown): Promise<Sse> {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  const events: Sse['events'] = [];
  let buf = '';
  const decoder = new TextDecoder();
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(part, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      events.push({ at: performance.now() - t0, data: buf.slice(0, i).replace(/^data: /, '') });
      buf = buf.slice(i + 2);
    }
  }
  return { status: res.status, contentType: res.headers.get('content-type'), events };
}

const TTFT = 40;
const TPS = 50;
const N = 5;

describe('engine OpenAI-compatible routes (paced)', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'paced', paced: { ttftMs: TTFT, tokensPerSec: TPS, tokens: N } });
  });
  after(async () => { await e?.stop(); });

  it('/v1/chat/completions, not streamed: choices[0].message, finish_reason, usage from the Ollama counts', async () => {
    const r = await fetch(`${e.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: 'hi there' }], max_tokens: 3 }) });
    assert.equal(r.status, 200);
    const o = (await r.json()) as { object: string; choices: { message: { role: string; content: string }; finish_reason: string }[]; usage: Record<string, number> };
    assert.equal(o.object, 'chat.completion');
    assert.equal(o.choices[0].message.role, 'assistant');
    assert.equal(o.choices[0].message.content.split(' ').length, 3, 'max_tokens → num_predict');
    assert.equal(o.choices[0].finish_reason, 'length');
    assert.deepEqual(o.usage, { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 }, 'words of <|user|> hi there <|assistant|>, and 3');
  });

  it('streamed: SSE chunks on the paced schedule, a finish chunk, usage when asked, then [DONE]', async () => {
    const s = await postSse(`${e.url}/v1/chat/completions`, { model: 'tiny', messages: [{ role: 'user', content: 'go' }], stream: true, stream_options: { include_usage: true } });
    assert.equal(s.status, 200);
    assert.equal(s.contentType, 'text/event-stream');
    assert.equal(s.events.at(-1)?.data, '[DONE]');
    const chunks = s.events.slice(0, -1).map((ev) => ({ at: ev.at, o: JSON.parse(ev.data) as { object: string; choices: { delta?: { content: string }; finish_reason: string | null }[]; usage?: Record<string, number> } }));
    const content = chunks.filter((c) => c.o.choices[0]?.finish_reason === null);
    assert.equal(content.length, N);
    assert.ok(content.every((c) => c.o.object === 'chat.completion.chunk'));
    assert.ok(content[0].at >= TTFT - 0.5, `first chunk at ${content[0].at} ms`);
    // Streamed as generated, not gathered: the chunks span the schedule's (N−1)·1000/r ms (timers only run
    // late on a loaded machine, so half of it is a safe lower bound).
    const span = content.at(-1)!.at - content[0].at;
    assert.ok(span >= ((N - 1) * 1000 / TPS) / 2, `chunks spread over ${span.toFixed(1)} ms, schedule ${(N - 1) * 1000 / TPS} ms`);
    assert.ok(content.at(-1)!.at >= TTFT + (N - 1) * 1000 / TPS - 0.5, 'never ahead of the schedule');
    assert.equal(chunks.find((c) => c.o.choices[0]?.finish_reason)?.o.choices[0].finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1)?.o.usage, { prompt_tokens: 3, completion_tokens: N, total_tokens: 3 + N }, '<|user|> go <|assistant|>');
  });

  it('/v1/completions: text_completion, streamed and not', async () => {
    const r = (await (await fetch(`${e.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny', prompt: 'once upon' }) })).json()) as { object: string; choices: { text: string }[] };
    assert.equal(r.object, 'text_completion');
    assert.equal(r.choices[0].text.split(' ').length, N);
    const s = await postSse(`${e.url}/v1/completions`, { model: 'tiny', prompt: 'once upon', stream: true });
    assert.equal(s.events.filter((ev) => ev.data !== '[DONE]' && (JSON.parse(ev.data) as { choices: { finish_reason: null }[] }).choices[0].finish_reason === null).length, N);
  });

  it('tools → tool_calls with JSON-string arguments and finish_reason tool_calls; response_format json_object → JSON', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    const o = (await (await fetch(`${e.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: 'w' }], tools }) })).json()) as
      { choices: { message: { tool_calls: { type: string; function: { name: string; arguments: string } }[] }; finish_reason: string }[] };
    assert.equal(o.choices[0].finish_reason, 'tool_calls');
    assert.equal(o.choices[0].message.tool_calls[0].function.name, 'get_weather');
    assert.equal(typeof (JSON.parse(o.choices[0].message.tool_calls[0].function.arguments) as { city: unknown }).city, 'string');
    const j = (await (await fetch(`${e.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: 'j' }], response_format: { type: 'json_object' } }) })).json()) as { choices: { message: { content: string } }[] };
    assert.equal(typeof (JSON.parse(j.choices[0].message.content) as { answer: unknown }).answer, 'string');
  });

  it('errors in OpenAI\'s shape: unknown model 404, missing messages 400', async () => {
    const nf = await fetch(`${e.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }) });
    assert.equal(nf.status, 404);
    assert.deepEqual(await nf.json(), { error: { message: "model 'nope' not found", type: 'not_found_error', param: null, code: null } });
    const bad = await fetch(`${e.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny' }) });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
  });
});
