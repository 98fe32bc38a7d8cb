// Structured output (`format`) and tool calls (`tools`), as real Ollama: grammar-constrained decoding in
// llama mode (node-llama-cpp JSON-schema grammars), a deterministic value matching the schema in paced
// mode; a chat with tools is answered with message.tool_calls until the last message is a tool result.
// Every JSON answer is checked against its schema with ajv.
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { Ollama } from 'ollama';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { ensureEngineBundle, postLines, split } from './helpers';

const SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string' }, days: { type: 'integer', minimum: 1 }, metric: { type: 'boolean' },
    unit: { enum: ['C', 'F'] }, tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
    where: { type: 'object', properties: { lat: { type: 'number' } }, required: ['lat'] },
  },
  required: ['city', 'days', 'metric', 'unit', 'tags', 'where'],
};
// For the random-weight llama model: arrays bounded by maxItems (it rarely closes one by itself) and no
// numbers (the JSON grammar allows exponents, and its digits run on to 1e300+): valid JSON, yet not a
// trained model's. A trained model needs neither bound.
const LLAMA_SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string' }, metric: { type: 'boolean' }, unit: { enum: ['C', 'F'] },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
    where: { type: 'object', properties: { country: { type: 'string' } }, required: ['country'] },
  },
  required: ['city', 'metric', 'unit', 'tags', 'where'],
};
const WEATHER = { type: 'function', function: { name: 'get_weather', description: 'weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };
const CLOCK = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } } };

const ajv = new Ajv({ strict: false });
const valid = (schema: object, value: unknown): boolean => ajv.validate(schema, value) as boolean;

describe('engine structured output and tools (paced)', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 1000, tokens: 6 } });
  });
  after(async () => { await e?.stop(); });

  it('format "json": a JSON object, streamed one piece per token (eval_count = pieces)', async () => {
    const r = split(await postLines(`${e.url}/api/generate`, { model: 'tiny', prompt: 'json please', format: 'json' }));
    const text = r.content.map((l) => l.obj.response as string).join('');
    const value = JSON.parse(text) as { answer: string };
    assert.equal(value.answer.split(' ').length, 6, 'the answer holds the planned paced words');
    assert.equal(r.final?.eval_count, r.content.length);
  });

  it('format = a JSON schema: the answer validates against it, deterministically', async () => {
    const body = { model: 'tiny', messages: [{ role: 'user', content: 'plan' }], format: SCHEMA, stream: false };
    const a = (await postLines(`${e.url}/api/chat`, body)).lines[0].obj.message as { content: string };
    const b = (await postLines(`${e.url}/api/chat`, body)).lines[0].obj.message as { content: string };
    const value = JSON.parse(a.content) as unknown;
    assert.ok(valid(SCHEMA, value), `${a.content}: ${ajv.errorsText()}`);
    assert.equal(b.content, a.content);
  });

  it('a bad format is 500 with Ollama\'s text', async () => {
    const r = await postLines(`${e.url}/api/generate`, { model: 'tiny', prompt: 'x', format: 'xml' });
    assert.equal(r.status, 500);
    assert.deepEqual(r.lines[0].obj, { error: 'invalid format: "\\"xml\\""; expected "json" or a valid JSON Schema object' });
  });

  it('tools: a tool call (streamed as one chunk), then after the tool result a text answer', async () => {
    const ask = [{ role: 'user', content: 'weather in Paris?' }];
    const r = split(await postLines(`${e.url}/api/chat`, { model: 'tiny', messages: ask, tools: [WEATHER, CLOCK] }));
    assert.equal(r.content.length, 1, 'the call arrives whole');
    const msg = r.content[0].obj.message as { content: string; tool_calls: { function: { name: string; arguments: Record<string, unknown> } }[] };
    assert.equal(msg.content, '');
    assert.equal(msg.tool_calls.length, 1);
    assert.equal(msg.tool_calls[0].function.name, 'get_weather', 'the first tool unless paced_tool names another');
    assert.ok(valid(WEATHER.function.parameters, msg.tool_calls[0].function.arguments));
    assert.ok((r.final?.eval_count as number) > 5, 'the call\'s tokens count');
    const next = [...ask, { role: 'assistant', content: '', tool_calls: msg.tool_calls }, { role: 'tool', content: '18 C, sunny' }];
    const answer = (await postLines(`${e.url}/api/chat`, { model: 'tiny', messages: next, tools: [WEATHER, CLOCK], stream: false })).lines[0].obj.message as Record<string, unknown>;
    assert.equal(answer.tool_calls, undefined);
    assert.equal((answer.content as string).split(' ').length, 6);
  });

  it('the paced_tool option scripts which tool is called, or none', async () => {
    const body = { model: 'tiny', messages: [{ role: 'user', content: 'time?' }], tools: [WEATHER, CLOCK], stream: false };
    const time = (await postLines(`${e.url}/api/chat`, { ...body, options: { paced_tool: 'get_time' } })).lines[0].obj.message as { tool_calls: { function: { name: string; arguments: object } }[] };
    assert.equal(time.tool_calls[0].function.name, 'get_time');
    assert.ok(valid(CLOCK.function.parameters, time.tool_calls[0].function.arguments));
    const none = (await postLines(`${e.url}/api/chat`, { ...body, options: { paced_tool: '' } })).lines[0].obj.message as Record<string, unknown>;
    assert.equal(none.tool_calls, undefined);
    const unknown = await postLines(`${e.url}/api/chat`, { ...body, options: { paced_tool: 'nope' } });
    assert.equal(unknown.status, 400);
  });

  it('a call cut short by num_predict is no call: its text comes back as content', async () => {
    const r = (await postLines(`${e.url}/api/chat`, { model: 'tiny', messages: [{ role: 'user', content: 'w' }], tools: [WEATHER], stream: false, options: { num_predict: 3 } })).lines[0].obj;
    const m = r.message as Record<string, unknown>;
    assert.equal(m.tool_calls, undefined);
    assert.equal(m.content, '{"name', 'three pieces: { " name');
    assert.equal(r.done_reason, 'length');
  });
});

describe('engine structured output and tools (llama: grammar-constrained decoding)', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  let c: Ollama;
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'llama' });
    c = new Ollama({ host: e.url });
  });
  after(async () => { await e?.stop(); });

  it('the tiny model returns valid JSON for format "json" and for a schema, with natural stops', async () => {
    for (const seed of [1, 2, 3]) {
      const j = await c.chat({ model: 'tiny', messages: [{ role: 'user', content: 'json' }], format: 'json', options: { seed, num_predict: 400 } });
      assert.equal(typeof (JSON.parse(j.message.content) as { answer: unknown }).answer, 'string', j.message.content);
      assert.equal(j.done_reason, 'stop');
      const s = await c.generate({ model: 'tiny', prompt: 'plan', format: LLAMA_SCHEMA, options: { seed, num_predict: 600 } });
      assert.equal(s.done_reason, 'stop');
      assert.ok(valid(LLAMA_SCHEMA, JSON.parse(s.response ?? '')), `${s.response}: ${ajv.errorsText()}`);
    }
  });

  it('tools: message.tool_calls whose arguments match the tool\'s parameters', async () => {
    const r = await c.chat({ model: 'tiny', messages: [{ role: 'user', content: 'weather?' }], tools: [WEATHER], options: { seed: 1, num_predict: 300 } });
    assert.equal(r.message.tool_calls?.[0].function.name, 'get_weather');
    assert.ok(valid(WEATHER.function.parameters, r.message.tool_calls?.[0].function.arguments));
  });
});
