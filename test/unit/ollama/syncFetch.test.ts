// The gateway attaches each request's wire state to its fetch through a synchronous slot (wire.ts
// withWire), which holds only while ollama-js calls the injected fetch before its first await. This pins
// that property of the pinned ollama-js for every method the gateway uses, and the slot's rules, with a
// FAKE fetch (no server is needed to see when fetch is called).
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import { WireState, observingFetch, withWire } from '../../../src/core/ollama/wire';
import { callModel } from '../../../src/core/ollama/call';
import { createGatewayClient } from '../../../src/core/ollama/client';

const line = (o: object): string => `${JSON.stringify(o)}\n`;
const DONE = { model: 'm', created_at: '2026-01-01T00:00:00Z', response: '', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' };

/** FAKE fetch: notes whether it was called inside the synchronous window, then answers like Ollama would. */
function fakeFetch(window: { open: boolean; calls: boolean[] }): typeof fetch {
  return async (input) => {
    window.calls.push(window.open);
    const url = String(input);
    let body: object = DONE;
    if (url.endsWith('/api/tags') || url.endsWith('/api/ps')) body = { models: [] };
    if (url.endsWith('/api/version')) body = { version: '0.0.0' };
    if (url.endsWith('/api/show')) body = { details: {}, model_info: {}, modified_at: '2026-01-01T00:00:00Z' };
    return new Response(line(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

const METHODS: [string, (o: Ollama) => Promise<unknown>][] = [
  ['generate, streamed', async (o) => { for await (const _ of await o.generate({ model: 'm', prompt: 'p', stream: true })) { /* drain */ } }],
  ['generate, not streamed', (o) => o.generate({ model: 'm', prompt: 'p', stream: false })],
  ['chat, streamed', async (o) => { for await (const _ of await o.chat({ model: 'm', messages: [{ role: 'user', content: 'p' }], stream: true })) { /* drain */ } }],
  ['chat, not streamed', (o) => o.chat({ model: 'm', messages: [{ role: 'user', content: 'p' }], stream: false })],
  ['show', (o) => o.show({ model: 'm' })],
  ['list', (o) => o.list()],
  ['ps', (o) => o.ps()],
  ['version', (o) => o.version()],
];

describe('gateway: ollama-js calls the injected fetch synchronously (wire.ts relies on it)', () => {
  for (const [name, call] of METHODS) {
    it(name, async () => {
      const window = { open: false, calls: [] as boolean[] };
      const o = new Ollama({ host: 'http://fake.invalid:11434', fetch: fakeFetch(window) });
      window.open = true;
      const p = call(o);
      window.open = false;
      await p;
      assert.deepEqual(window.calls, [true]);
    });
  }
});

describe('gateway: withWire attaches a state to exactly the fetch made in its synchronous part', () => {
  const now = (): number => performance.now();
  const state = (): WireState => new WireState(now, new AbortController().signal, false);

  it('inner slot, restored outer slot, and nothing after an await', async () => {
    const window = { open: false, calls: [] as boolean[] };
    const o = new Ollama({ host: 'http://fake.invalid:11434', fetch: observingFetch(fakeFetch(window)) });
    const inner = state();
    const outer = state();
    let late: Promise<unknown> = Promise.resolve();
    await withWire(outer, () => {
      const q = withWire(inner, () => o.version());
      const r = o.list(); // the outer slot is back once the inner call returned
      late = (async () => { await null; return o.ps(); })();
      return Promise.all([q, r]);
    });
    const sent = [inner.sendAt, outer.sendAt];
    await late;
    assert.equal(window.calls.length, 3);
    assert.ok(sent.every((t) => t !== null), 'both states observed their fetch');
    assert.deepEqual([inner.status, outer.status], [200, 200]);
    // The fetch made after an await was nobody's: neither state's send time moved.
    assert.deepEqual([inner.sendAt, outer.sendAt], sent);
  });

  it('a second fetch in the same synchronous stretch is not attached to the state', async () => {
    const st = state();
    const f = observingFetch(async () => new Response('{}', { status: 200 }));
    let first: number | null = null;
    await withWire(st, () => {
      const a = f('http://fake.invalid/a');
      first = st.sendAt;
      const b = f('http://fake.invalid/b');
      return Promise.all([a, b]);
    });
    assert.notEqual(first, null);
    assert.equal(st.sendAt, first);
  });
});

describe('gateway: calls started together are all set up before the first is sent', () => {
  it('no fetch happens inside the synchronous loop that starts them; each is sent afterwards', async () => {
    const sentAfter: number[] = [];
    let started = 0;
    const client = createGatewayClient({
      url: 'http://fake.invalid:11434',
      fetch: async () => {
        sentAfter.push(started);
        return new Response(line(DONE), { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
      },
    });
    const calls = [];
    for (let i = 0; i < 4; i++) {
      calls.push(callModel({ client, model: 'm', api: 'generate', prompt: 'p', timeoutMs: 5000, runStartMs: 0 }));
      started++;
    }
    assert.deepEqual(sentAfter, [], 'nothing was sent while the calls were being started');
    const results = await Promise.all(calls);
    assert.deepEqual(sentAfter, [4, 4, 4, 4]);
    assert.deepEqual(results.map((r) => r.record.status), ['ok', 'ok', 'ok', 'ok']);
  });
});

describe('gateway: many concurrent calls on one run signal', () => {
  it('print no MaxListenersExceededWarning (16 calls share the run and client signals)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.name); };
    process.on('warning', onWarning);
    try {
      const client = createGatewayClient({ url: 'http://fake.invalid:11434', fetch: async () => new Response(line(DONE), { status: 200 }) });
      const run = new AbortController();
      const results = await Promise.all(Array.from({ length: 16 }, () => callModel({ client, model: 'm', api: 'generate', prompt: 'p', timeoutMs: 5000, runStartMs: 0, signal: run.signal })));
      assert.equal(results.filter((r) => r.record.status === 'ok').length, 16);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });
});
