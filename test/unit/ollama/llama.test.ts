// The gateway against the real engine (llama.cpp through node-llama-cpp on CPU): two instances,
// stream and not, generate and chat, keep_alive unload in /api/ps, num_ctx reload in load_duration.
import assert from 'node:assert/strict';
import type { EngineHandle } from '../../../engine/api';
import { isChimeraError } from '../../../src/core/errors';
import { callModel, type CallInput } from '../../../src/core/ollama/call';
import type { GatewayClient } from '../../../src/core/ollama/client';
import { checkHealth, getVersion, listLoaded, loadModel, showModel, unloadModel } from '../../../src/core/ollama/endpoint';
import { describeEndpoint, preflight } from '../../../src/core/ollama/probe';
import type { CallRecord } from '../../../src/core/types';
import { EnginePool, clientFor } from './engineHarness';

const LOAD_DELAY_MS = 120; // an artificial load time, so cold and warm differ clearly on a tiny model
const N = 16;

function assertServerFields(r: CallRecord): void {
  assert.equal(r.status, 'ok', JSON.stringify(r.error));
  const s = r.server!;
  assert.equal(s.eval_count, N);
  assert.equal(s.done_reason, 'length');
  for (const k of ['total_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_duration'] as const) assert.ok(s[k] > 0, `${k} = ${s[k]}`);
  assert.ok(Number.isInteger(s.total_duration) && s.total_duration >= s.load_duration + s.prompt_eval_duration + s.eval_duration - 1e6);
  assert.ok(r.metrics!.decode_tps! > 0);
}

/** /api/ps after an unload may lag the response by a moment: poll briefly. */
async function loadedNames(c: GatewayClient, wantEmpty: boolean): Promise<string[]> {
  let names: string[] = [];
  for (let i = 0; i < 40; i++) {
    names = (await listLoaded(c)).map((m) => m.name);
    if ((names.length === 0) === wantEmpty) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return names;
}

describe('gateway × llama engine (real inference)', function () {
  this.timeout(120_000);
  const pool = new EnginePool();
  let a: EngineHandle;
  let b: EngineHandle;
  let ca: GatewayClient;
  let cb: GatewayClient;

  before(async () => {
    [a, b] = await pool.startMany(2, { mode: 'llama', loadDelayMs: LOAD_DELAY_MS });
    ca = clientFor(a, 'default');
    cb = clientFor(b, 'b');
  });
  after(() => pool.stopAll());

  const call = (c: GatewayClient, over: Partial<CallInput> = {}): ReturnType<typeof callModel> =>
    callModel({ client: c, model: 'tiny', api: 'generate', prompt: 'Why is the sky blue?', options: { num_predict: N, seed: 42, temperature: 0.8 }, timeoutMs: 60_000, runStartMs: c.clock.now(), ...over });

  it('health, version and model details', async () => {
    assert.equal((await checkHealth(ca)).text, 'Ollama is running');
    assert.ok((await getVersion(ca)).length > 0);
    const m = await showModel(ca, 'tiny');
    assert.equal(m.name, 'tiny:latest');
    assert.match(m.digest ?? '', /^(sha256:)?[0-9a-f]{64}$/);
    assert.equal(m.family, 'llama');
    assert.equal(m.quantization_level, 'F32');
    assert.ok(m.parameter_size && m.parameter_size.length > 0);
    assert.ok((m.context_length ?? 0) > 0);
  });

  it('explicit load and unload show in /api/ps (size, size_vram 0 = CPU, no partial offload)', async () => {
    const loaded = await loadModel(ca, 'tiny');
    assert.equal(loaded.doneReason, 'load');
    const ps = await listLoaded(ca);
    assert.equal(ps.length, 1);
    assert.equal(ps[0].name, 'tiny:latest');
    assert.ok(ps[0].size > 0);
    assert.equal(ps[0].size_vram, 0);
    assert.equal(ps[0].offload, 'none');
    assert.equal(ps[0].partialOffload, false);
    const unloaded = await unloadModel(ca, 'tiny');
    assert.equal(unloaded.doneReason, 'unload');
    assert.deepEqual(await loadedNames(ca, true), []);
  });

  it('generate streamed: all six fields, cold first call, then warm', async () => {
    const cold = await call(ca);
    assertServerFields(cold.record);
    assert.ok(cold.record.metrics!.load_ms! >= LOAD_DELAY_MS, `cold load ${cold.record.metrics!.load_ms} ms`);
    assert.equal(cold.record.metrics!.cold, true);
    assert.ok(cold.text.length > 0);
    assert.ok(cold.record.client.chunkMs.length >= 1 && cold.record.client.chunkMs.length <= N);
    const warm = await call(ca);
    assertServerFields(warm.record);
    assert.equal(warm.record.metrics!.cold, false);
    assert.ok(warm.record.metrics!.load_ms! < LOAD_DELAY_MS / 4, `warm load ${warm.record.metrics!.load_ms} ms`);
    assert.equal(warm.text, cold.text, 'same seed and prompt give the same text');
  });

  it('generate not streamed gives the same text and fields', async () => {
    const streamed = await call(ca);
    const whole = await call(ca, { stream: false });
    assertServerFields(whole.record);
    assert.equal(whole.text, streamed.text);
    assert.equal(whole.record.client.firstTokenMs, null);
  });

  it('chat, streamed and not', async () => {
    const messages = [{ role: 'user', content: 'hello there' }];
    const s = await call(ca, { api: 'chat', messages });
    const w = await call(ca, { api: 'chat', messages, stream: false });
    assertServerFields(s.record);
    assertServerFields(w.record);
    assert.equal(s.text, w.text);
    assert.ok(s.text.length > 0);
    assert.equal(s.record.promptChars, 'hello there'.length);
  });

  it('two instances at once: each answers its own client, same model, same text', async () => {
    await loadModel(cb, 'tiny');
    const [ra, rb] = await Promise.all([call(ca), call(cb)]);
    assertServerFields(ra.record);
    assertServerFields(rb.record);
    assert.equal(ra.record.url, a.url);
    assert.equal(rb.record.url, b.url);
    assert.equal(rb.record.endpoint, 'b');
    assert.notEqual(a.url, b.url);
    assert.equal(ra.text, rb.text);
  });

  it('keep_alive 0 on a call unloads the model after it', async () => {
    await loadModel(ca, 'tiny');
    assert.deepEqual(await loadedNames(ca, false), ['tiny:latest']);
    const r = await call(ca, { keepAlive: 0 });
    assertServerFields(r.record);
    assert.deepEqual(await loadedNames(ca, true), []);
  });

  it('a num_ctx change reloads the model: visible in load_duration', async () => {
    const first = await call(ca, { options: { num_predict: N, seed: 1, num_ctx: 512 } });
    const same = await call(ca, { options: { num_predict: N, seed: 1, num_ctx: 512 } });
    const changed = await call(ca, { options: { num_predict: N, seed: 1, num_ctx: 1024 } });
    for (const r of [first, same, changed]) assertServerFields(r.record);
    assert.equal(same.record.metrics!.cold, false);
    assert.equal(changed.record.metrics!.cold, true);
    assert.ok(changed.record.metrics!.load_ms! >= LOAD_DELAY_MS);
    assert.ok(changed.record.metrics!.load_ms! > 4 * same.record.metrics!.load_ms!);
    const ps = await listLoaded(ca);
    assert.equal(ps[0]?.context_length, 1024);
  });

  it('an unknown model: typed error naming endpoint and model, with the pull command', async () => {
    await assert.rejects(showModel(cb, 'nope:7b'), (e: unknown) => {
      assert.ok(isChimeraError(e, 'E_MODEL_NOT_FOUND'));
      assert.match(e.message, new RegExp(`model 'nope:7b' on endpoint 'b' \\(${b.url.replace(/\./g, '\\.')}\\) is not available`));
      assert.equal(e.hint, `pull it: \`OLLAMA_HOST=127.0.0.1:${b.port} ollama pull nope:7b\`, or choose a model that \`ollama list\` shows`);
      assert.equal(e.status, 404);
      return true;
    });
    const { record } = await call(cb, { model: 'nope:7b' });
    assert.equal(record.error?.code, 'E_MODEL_NOT_FOUND');
  });

  it('describeEndpoint fills meta.json environment; preflight refuses a missing model', async () => {
    const info = await describeEndpoint(ca, ['tiny', 'ghost']);
    assert.equal(info.url, a.url);
    assert.ok(info.version);
    assert.equal(info.models[0].name, 'tiny:latest');
    assert.ok(info.models[0].digest);
    assert.equal(info.models[1].digest, null);
    assert.match(info.error ?? '', /model 'ghost' on endpoint 'default'/);
    const ok = await preflight(ca, ['tiny']);
    assert.ok(ok.rttMs > 0 && ok.models[0].quantization_level === 'F32');
    await assert.rejects(preflight(ca, ['ghost']), (e: unknown) => isChimeraError(e, 'E_MODEL_NOT_FOUND'));
  });
});
