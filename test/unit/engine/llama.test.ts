// llama mode through the official `ollama` client: real inference on the generated tiny model.
import assert from 'node:assert/strict';
import { Ollama, type ChatResponse, type GenerateResponse } from 'ollama';
import { startEngine, startEngines, type EngineHandle } from '../../../engine/api';
import { ensureModelFile, specFor } from '../../../engine/gguf/cache';
import { ensureEngineBundle } from './helpers';

const SIX = ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'] as const;

function assertTimings(r: GenerateResponse | ChatResponse, evalCount: number): void {
  for (const k of SIX) assert.ok(typeof r[k] === 'number' && r[k] > 0, `${k} = ${r[k]}`);
  assert.equal(r.eval_count, evalCount);
  assert.ok(r.total_duration >= r.load_duration + r.prompt_eval_duration + r.eval_duration, 'parts fit inside the total');
  const tps = r.eval_count / (r.eval_duration / 1e9);
  assert.ok(tps > 5 && tps < 100_000, `decode ${tps.toFixed(0)} tok/s`);
}

describe('engine llama mode (official ollama client)', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  let client: Ollama;
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'llama' });
    client = new Ollama({ host: e.url });
  });
  after(async () => { await e?.stop(); });

  it('version, tags (digest, details), show', async () => {
    assert.match((await client.version()).version, /^\d+\.\d+\.\d+/);
    const { models } = await client.list();
    assert.equal(models.length, 1);
    const m = models[0];
    assert.equal(m.name, 'tiny:latest');
    assert.equal(m.digest, (await ensureModelFile(specFor('tiny', -20))).digest, 'sha256 of the served file');
    assert.ok(m.size > 500_000 && m.size < 700_000, `${m.size} bytes`);
    assert.deepEqual({ family: m.details.family, format: m.details.format, q: m.details.quantization_level, p: m.details.parameter_size },
      { family: 'llama', format: 'gguf', q: 'F32', p: '141.12K' });
    const show = await client.show({ model: 'tiny' });
    assert.equal(show.details.family, 'llama');
    const info = show.model_info as unknown as Record<string, unknown>;
    assert.equal(info['general.architecture'], 'llama');
    assert.equal(info['llama.block_count'], 2);
    assert.deepEqual(info['tokenizer.ggml.tokens'], [], 'token lists only when verbose');
  });

  it('generate, streamed: content chunks then a final chunk with the six timing fields', async () => {
    const stream = await client.generate({ model: 'tiny', prompt: 'Why is the sky blue?', stream: true, options: { num_predict: 24, seed: 5 } });
    let text = '';
    let chunks = 0;
    let final: GenerateResponse | undefined;
    for await (const part of stream) {
      if (part.done) final = part;
      else { text += part.response; chunks++; }
    }
    assert.ok(final);
    assert.ok(chunks > 5 && text.length > 10, `${chunks} chunks: ${text}`);
    assert.equal(final.done_reason, 'length');
    assertTimings(final, 24);
    assert.ok(final.context.length > final.prompt_eval_count);
  });

  it('generate and chat, not streamed; any UTF-8 prompt tokenizes', async () => {
    const g = await client.generate({ model: 'tiny', prompt: 'naïve café — 雪 ❄', options: { num_predict: 16, seed: 1 } });
    assert.equal(g.done, true);
    assert.ok((g.response ?? '').length > 0);
    assertTimings(g, 16);
    const c = await client.chat({ model: 'tiny', messages: [{ role: 'system', content: 'be short' }, { role: 'user', content: 'hello' }], options: { num_predict: 12, seed: 2 } });
    assert.equal(c.message.role, 'assistant');
    assert.ok(c.message.content.length > 0);
    assertTimings(c, 12);
  });

  it('chat, streamed', async () => {
    const stream = await client.chat({ model: 'tiny', messages: [{ role: 'user', content: 'tell me' }], stream: true, options: { num_predict: 10, seed: 9 } });
    const parts: ChatResponse[] = [];
    for await (const p of stream) parts.push(p);
    const final = parts.at(-1)!;
    assert.equal(final.done, true);
    assert.equal(final.message.content, '');
    assert.ok(parts.slice(0, -1).every((p) => p.done === false && p.message.role === 'assistant'));
    assertTimings(final, 10);
  });

  it('same seed and prompt give the same text; another seed another text', async () => {
    const run = async (seed: number): Promise<string> => (await client.generate({ model: 'tiny', prompt: 'reproduce', options: { seed, num_predict: 32, temperature: 0.9 } })).response ?? '';
    const a = await run(7);
    assert.equal(await run(7), a);
    assert.notEqual(await run(8), a);
  });

  it('prompt cache: a repeated prompt reuses the sequence state but one token; a new one shares only its prefix', async () => {
    const body = { model: 'tiny', prompt: 'a long shared prefix for the cache test, then a question', options: { num_predict: 8, seed: 2 } };
    await client.generate({ model: 'tiny', prompt: 'something else entirely', options: { num_predict: 2 } });
    const first = await client.generate(body) as GenerateResponse & { prompt_eval_cached_count?: number };
    const again = await client.generate(body) as GenerateResponse & { prompt_eval_cached_count?: number };
    assert.equal(again.prompt_eval_count, first.prompt_eval_count, 'prompt_eval_count = cached + new');
    assert.equal(again.prompt_eval_cached_count, again.prompt_eval_count - 1, 'all but the last prompt token came from the cache');
    assert.ok((first.prompt_eval_cached_count ?? -1) >= 0 && first.prompt_eval_cached_count! < first.prompt_eval_count / 2, `first: ${first.prompt_eval_cached_count} of ${first.prompt_eval_count} cached (only the template prefix)`);
    assert.equal(again.response, first.response, 'the cached state gives the same text for the same seed');
  });

  it('stop strings end the text before the stop with done_reason "stop"', async () => {
    const free = (await client.generate({ model: 'tiny', prompt: 'stop test', options: { seed: 3, num_predict: 40 } })).response ?? '';
    const stopAt = free.slice(8, 10);
    const r = await client.generate({ model: 'tiny', prompt: 'stop test', options: { seed: 3, num_predict: 40, stop: [stopAt] } });
    assert.equal(r.done_reason, 'stop');
    assert.equal(r.response, free.slice(0, free.indexOf(stopAt)));
  });

  it('keep_alive 0 unloads (visible in /api/ps); a num_ctx change reloads (visible in load_duration)', async () => {
    await client.generate({ model: 'tiny', prompt: '', keep_alive: '5m' });
    let ps = await client.ps();
    assert.equal(ps.models[0]?.name, 'tiny:latest');
    assert.equal(ps.models[0].size_vram, 0);
    const unloaded = await client.generate({ model: 'tiny', prompt: '', keep_alive: 0 });
    assert.equal(unloaded.done_reason, 'unload');
    ps = await client.ps();
    assert.deepEqual(ps.models, []);

    const opts = { num_predict: 4, seed: 1 };
    const cold = await client.generate({ model: 'tiny', prompt: 'a', options: { ...opts, num_ctx: 512 } });
    const warm = await client.generate({ model: 'tiny', prompt: 'a', options: { ...opts, num_ctx: 512 } });
    const reload = await client.generate({ model: 'tiny', prompt: 'a', options: { ...opts, num_ctx: 1024 } });
    assert.ok(cold.load_duration > 5 * warm.load_duration, `cold ${cold.load_duration} vs warm ${warm.load_duration} ns`);
    assert.ok(reload.load_duration > 5 * warm.load_duration, `reload ${reload.load_duration} vs warm ${warm.load_duration} ns`);
    ps = await client.ps();
    assert.equal((ps.models[0] as unknown as { context_length: number }).context_length, 1024);

    await e.configure({ loadDelayMs: 300 });
    try {
      await client.generate({ model: 'tiny', prompt: '', keep_alive: 0 });
      const delayed = await client.generate({ model: 'tiny', prompt: 'a', options: opts });
      assert.ok(delayed.load_duration >= 300e6, `load_duration ${delayed.load_duration} ns includes --load-delay-ms`);
    } finally {
      await e.configure({ loadDelayMs: 0 });
    }
  });

  it('errors: 404 unknown model, 400 missing model, 400 bad option type, 404 text for an unknown path', async () => {
    await assert.rejects(client.generate({ model: 'nope', prompt: 'x' }), (err: Error & { status_code?: number }) => {
      assert.equal(err.name, 'ResponseError');
      assert.equal(err.status_code, 404);
      assert.equal(err.message, "model 'nope' not found");
      return true;
    });
    await assert.rejects(client.chat({ model: '', messages: [{ role: 'user', content: 'x' }] }),
      (err: Error & { status_code?: number }) => err.status_code === 400 && err.message === 'model is required');
    await assert.rejects(client.generate({ model: 'tiny', prompt: 'x', options: { num_ctx: 'big' as unknown as number } }),
      (err: Error & { status_code?: number }) => err.status_code === 400 && err.message === 'option "num_ctx" must be of type integer');
    const bad = await fetch(`${e.url}/api/generate`, { method: 'POST', body: '{"model":' });
    assert.equal(bad.status, 400);
    assert.ok(((await bad.json()) as { error: string }).error.length > 0);
    const unknown = await fetch(`${e.url}/api/nothing`);
    assert.equal(unknown.status, 404);
    assert.equal(await unknown.text(), '404 page not found');
    const head = await fetch(`${e.url}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });
});

describe('engine llama mode: slots, queue, two instances', function () {
  this.timeout(120_000);
  before(ensureEngineBundle);

  it('parallel 2 runs two requests at once; slot waiters queue without limit (maxQueue bounds only loads)', async () => {
    const e = await startEngine({ mode: 'llama', parallel: 2, maxQueue: 1 });
    try {
      const c = new Ollama({ host: e.url });
      await c.generate({ model: 'tiny', prompt: '' });
      const req = (): Promise<GenerateResponse> => c.generate({ model: 'tiny', prompt: 'parallel', options: { num_predict: 400, seed: 1 } });
      const ok = await Promise.all([req(), req(), req(), req()]);
      assert.equal(ok.length, 4, 'two in slots, two waiting: no 503 for slot waiters');
      // The waiters' wait shows in total_duration only.
      const waitOf = (r: GenerateResponse): number => r.total_duration - r.eval_duration - r.prompt_eval_duration;
      const byWait = [...ok].sort((a, b) => waitOf(a) - waitOf(b));
      const minEval = Math.min(...ok.map((r) => r.eval_duration));
      for (const w of byWait.slice(2)) {
        assert.ok(waitOf(w) > 0.5 * minEval, 'waited for a slot');
        assert.ok(w.load_duration < 0.5 * minEval, 'not counted as load');
      }
      assert.equal((await e.stats()).rejectedBusy, 0);
    } finally {
      await e.stop();
    }
  });

  it('serves tiny and mid side by side; a positive EOS bias gives natural stops', async () => {
    const e = await startEngine({ mode: 'llama', models: ['tiny', 'mid:latest'], eosBias: 1 });
    try {
      const c = new Ollama({ host: e.url });
      const { models } = await c.list();
      assert.deepEqual(models.map((m) => [m.name, m.details.parameter_size]), [['tiny:latest', '141.12K'], ['mid:latest', '3.65M']]);
      assert.ok(models[1].size > 14_000_000);
      const reasons: string[] = [];
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const r = await c.generate({ model: 'tiny', prompt: 'stop soon', options: { seed, num_predict: 300 } });
        reasons.push(r.done_reason);
      }
      assert.ok(reasons.includes('stop'), reasons.join(','));
      const mid = await c.generate({ model: 'mid', prompt: 'bigger model', options: { seed: 1, num_predict: 8 } });
      assert.ok((mid.eval_count ?? 0) <= 8 && mid.prompt_eval_count > 0);
      assert.equal((await c.ps()).models.length, 2, 'both stay loaded');
    } finally {
      await e.stop();
    }
  });

  it('two instances on two ports serve at the same time', async () => {
    const [a, b] = await startEngines(2, { mode: 'llama' });
    try {
      assert.notEqual(a.port, b.port);
      const [ra, rb] = await Promise.all([a, b].map((h) => new Ollama({ host: h.url }).generate({ model: 'tiny', prompt: 'dual', options: { num_predict: 20, seed: 4 } })));
      assert.equal(ra.eval_count, 20);
      assert.equal(rb.eval_count, 20);
      assert.equal(ra.response, rb.response, 'same model, same seed');
      const [sa, sb] = await Promise.all([a.stats(), b.stats()]);
      assert.equal(sa.inference, 1);
      assert.equal(sb.inference, 1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
