// firstByteTimeoutMs vs timeoutMs on the wire: a long wait before the first token (a model load, a long
// prefill) is limited by firstByteTimeoutMs only; timeoutMs is the silence allowed between chunks after it.
import assert from 'node:assert/strict';
import { callModel, type CallInput } from '../../../src/core/ollama/call';
import { EnginePool, clientFor } from './engineHarness';

describe('gateway: first-byte timeout apart from the silence timeout (paced engine)', function () {
  this.timeout(60_000);
  const pool = new EnginePool();
  after(() => pool.stopAll());

  // 600 ms before the first token, then a token every 5 ms.
  const start = (): ReturnType<EnginePool['start']> => pool.start({ mode: 'paced', paced: { ttftMs: 600, tokensPerSec: 200, tokens: 10 } });

  it('a wait before the first byte longer than timeoutMs is not a failure when firstByteTimeoutMs covers it', async () => {
    const client = clientFor(await start());
    const input: CallInput = { client, model: 'tiny', api: 'generate', prompt: 'slow start', timeoutMs: 200, firstByteTimeoutMs: 5000, runStartMs: client.clock.now() };
    const { record } = await callModel(input);
    assert.equal(record.status, 'ok', record.error?.message);
    assert.ok(record.client.firstTokenMs! >= 600, `first token at ${record.client.firstTokenMs} ms, schedule 600`);
  });

  it('no byte within firstByteTimeoutMs → E_TIMEOUT that names firstByteTimeoutMs', async () => {
    const client = clientFor(await start());
    const { record } = await callModel({ client, model: 'tiny', api: 'chat', messages: [{ role: 'user', content: 'x' }], timeoutMs: 10_000, firstByteTimeoutMs: 150, runStartMs: client.clock.now() });
    assert.equal(record.status, 'failed');
    assert.equal(record.error?.code, 'E_TIMEOUT');
    assert.match(record.error!.message, /no answer byte within 150 ms of sending \(firstByteTimeoutMs/);
    assert.ok(record.client.endMs >= 150 && record.client.endMs < 600, `gave up at ${record.client.endMs} ms`);
  });
});
