// Wire shapes the engine cannot produce, through a FAKE fetch injected into the gateway client:
// a line that looks like an object but is not JSON (ollama-js skips it with a warning), and a
// 200 body without done in one piece. The real engine covers every other failure (faults.test.ts).
import assert from 'node:assert/strict';
import { callModel } from '../../../src/core/ollama/call';
import { createGatewayClient } from '../../../src/core/ollama/client';

const enc = new TextEncoder();

/** FAKE fetch: answers every request with the given NDJSON chunks, one per read. */
function fakeNdjsonFetch(chunks: string[], seen: string[]): typeof fetch {
  return async (input) => {
    seen.push(String(input));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(enc.encode(ch));
        c.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
  };
}

const line = (o: object): string => `${JSON.stringify(o)}\n`;
const tok = (t: string): string => line({ model: 'm', response: t, done: false });
const done = line({ model: 'm', response: '', done: true, done_reason: 'stop', eval_count: 2, eval_duration: 1000000 });

describe('gateway wire observation (fake fetch)', () => {
  const run = async (chunks: string[]) => {
    const seen: string[] = [];
    const client = createGatewayClient({ url: 'http://fake.invalid:11434', fetch: fakeNdjsonFetch(chunks, seen) });
    const result = await callModel({ client, model: 'm', api: 'generate', prompt: 'p', timeoutMs: 5000, runStartMs: 0 });
    return { ...result, seen };
  };

  it('uses the injected fetch for the call', async () => {
    const { record, text, seen } = await run([tok('a'), tok('b'), done]);
    assert.deepEqual(seen, ['http://fake.invalid:11434/api/generate']);
    assert.equal(record.status, 'ok');
    assert.equal(text, 'ab');
    assert.deepEqual(record.server, { total_duration: 0, load_duration: 0, prompt_eval_count: 0, prompt_eval_duration: 0, eval_count: 2, eval_duration: 1000000, done_reason: 'stop' });
  });

  it('a brace-shaped non-JSON line that ollama-js skips is still E_MALFORMED', async () => {
    const warned: unknown[] = [];
    const orig = console.warn;
    console.warn = (...args: unknown[]) => { warned.push(args[0]); };
    try {
      const { record, text } = await run([tok('a'), '{"model":"m","response":"b","done":fals}\n', tok('c'), done]);
      assert.equal(record.error?.code, 'E_MALFORMED');
      assert.equal(text, 'ac', 'ollama-js dropped the bad line');
      assert.ok(record.server, 'the done line arrived and its fields are kept');
    } finally {
      console.warn = orig;
    }
    assert.deepEqual(warned, ['invalid json: ']);
  });

  it('an error line split across reads is E_MIDSTREAM with the server message', async () => {
    const { record } = await run([tok('a'), '{"err', 'or":"out of', ' memory"}\n']);
    assert.equal(record.error?.code, 'E_MIDSTREAM');
    assert.match(record.error!.message, /out of memory/);
    assert.equal(record.client.chunkMs.length, 1);
  });

  it('a stream without done is E_NO_DONE, tokens kept', async () => {
    const { record, text } = await run([tok('a'), tok('b')]);
    assert.equal(record.error?.code, 'E_NO_DONE');
    assert.equal(text, 'ab');
    assert.equal(record.metrics?.itl_ms?.n, 1);
  });
});
