// Paced mode over HTTP: the schedule as a client sees it, reported durations exactly as defined,
// slots and the bounded queue, keep_alive, the test-only control routes.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { ensureEngineBundle, median, postLines, rawPost, split } from './helpers';

const BUSY = 'server busy, please try again.  maximum pending requests exceeded';

describe('engine paced mode (HTTP)', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'paced', paced: { ttftMs: 80, tokensPerSec: 50, tokens: 10 }, parallel: 1, maxQueue: 1 });
  });
  after(async () => { await e?.stop(); });

  it('client TTFT and token gaps follow the schedule; durations are exactly the schedule', async () => {
    // Schedule: T = 80 ms, r = 50 tok/s (interval 1000/r = 20 ms), n = 10 tokens.
    const T = 80;
    const r = 50;
    const n = 10;
    const interval = 1000 / r;
    await postLines(`${e.url}/api/generate`, { model: 'tiny', prompt: '' }); // load first: measure warm requests
    const ttfts: number[] = [];
    const gaps: number[] = [];
    const doneAfterLast: number[] = [];
    for (let k = 0; k < 3; k++) {
      const res = await postLines(`${e.url}/api/generate`, { model: 'tiny', prompt: 'one two three', options: { seed: 4 } });
      assert.equal(res.status, 200);
      assert.equal(res.contentType, 'application/x-ndjson');
      const { content, final } = split(res);
      assert.equal(content.length, n);
      ttfts.push(content[0].at);
      for (let i = 1; i < content.length; i++) gaps.push(content[i].at - content[i - 1].at);
      assert.ok(final);
      assert.equal(final.prompt_eval_duration, T * 1e6);
      assert.equal(final.eval_count, n);
      assert.equal(final.eval_duration, ((n - 1) / r) * 1e9, 'eval_duration = (n−1)/r: first token → last token, as the Go runner');
      assert.equal(final.load_duration, undefined, 'a warm paced load is 0, and Ollama omits zero fields');
      assert.equal(final.prompt_eval_count, 5, 'words of the templated prompt: <|user|> one two three <|assistant|>');
      assert.equal(final.done_reason, 'stop');
      const total = final.total_duration as number;
      const scheduled = (T + (n - 1) * interval) * 1e6;
      assert.ok(total >= scheduled && total < scheduled + 20e6, `total ${total} = arrival→slot (measured) + T + (n−1)/r`);
      // The done line follows the last token at once, never a token interval later.
      const last = content.at(-1)!.at;
      assert.ok(last >= T + (n - 1) * interval - 0.5, `last token at ${last} ms, scheduled ${T + (n - 1) * interval} ms`);
      doneAfterLast.push(res.lines.at(-1)!.at - last);
    }
    const ttft = median(ttfts);
    const gap = median(gaps);
    // Never early; late only by the machine's noise (2 shared cores), so the upper bound is generous.
    assert.ok(ttft >= T - 0.5 && ttft < T + 50, `client TTFT ${ttft.toFixed(2)} ms for a scheduled ${T} ms`);
    assert.ok(gap > interval - 3 && gap < interval + 5, `median gap ${gap.toFixed(2)} ms for ${r} tok/s`);
    assert.ok(median(doneAfterLast) < interval / 2, `done line ${median(doneAfterLast).toFixed(2)} ms after the last token (an interval is ${interval} ms)`);
  });

  it('per-request paced_* options and num_predict change the schedule', async () => {
    const r = await postLines(`${e.url}/api/chat`, { model: 'tiny:latest', messages: [{ role: 'user', content: 'x' }],
      options: { paced_ttft_ms: 10, paced_tps: 200, paced_tokens: 30, num_predict: 4 } });
    const { content, final } = split(r);
    assert.equal(content.length, 4);
    assert.deepEqual(Object.keys(content[0].obj.message as object), ['role', 'content']);
    assert.equal(final?.done_reason, 'length');
    assert.equal(final?.prompt_eval_duration, 10_000_000);
    assert.equal(final?.eval_duration, ((4 - 1) / 200) * 1e9, 'num_predict 4 at 200 tok/s: (n−1)/r');
    assert.equal(final?.context, undefined, 'chat has no context');
  });

  it('same prompt and seed give the same text; non-streaming returns it whole', async () => {
    const body = { model: 'tiny', prompt: 'seeded', stream: false, options: { seed: 11, paced_ttft_ms: 0, paced_tps: 1000 } };
    const [a, b] = [await postLines(`${e.url}/api/generate`, body), await postLines(`${e.url}/api/generate`, body)];
    assert.equal(a.contentType, 'application/json; charset=utf-8');
    assert.equal(a.lines.length, 1);
    assert.equal(a.lines[0].obj.response, b.lines[0].obj.response);
    assert.equal((a.lines[0].obj.response as string).split(' ').length, 10);
  });

  it('one slot: slot waiters queue without limit (only total_duration shows the wait), even past maxQueue', async () => {
    // Schedule per request: T = 100 ms, n = 5 at 50 tok/s → T + (n−1)/r = 180 ms of slot time.
    const body = { model: 'tiny', prompt: 'q', options: { paced_ttft_ms: 100, paced_tps: 50, paced_tokens: 5 } };
    await postLines(`${e.url}/api/generate`, { model: 'tiny', prompt: '' }); // loaded: no request needs the scheduler queue
    const rejectedBefore = (await e.stats()).rejectedBusy;
    const results = await Promise.all([0, 30, 60].map(async (delay) => {
      await new Promise((r) => setTimeout(r, delay));
      return postLines(`${e.url}/api/generate`, body);
    }));
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200], 'maxQueue 1 bounds the load queue, not slot waiters');
    const finals = results.map((r) => split(r).final!);
    for (const f of finals.slice(1)) {
      assert.equal(f.prompt_eval_duration, 100_000_000);
      assert.equal(f.eval_duration, ((5 - 1) / 50) * 1e9);
      assert.equal(f.load_duration, undefined, 'waiting for a slot is not load time');
    }
    // The second arrived 30 ms after the first (180 ms of schedule): it waited ≈ 150 ms; the third ≈ 300 ms.
    const waited = finals.map((f) => ((f.total_duration as number) - 180_000_000) / 1e6);
    assert.ok(waited[1] > 100 && waited[1] < 200, `second waited ${waited[1]} ms`);
    assert.ok(waited[2] > 250 && waited[2] < 400, `third waited ${waited[2]} ms`);
    assert.equal((await e.stats()).rejectedBusy, rejectedBefore);
  });

  it('503 only when the load queue is full: requests behind a model load beyond maxQueue', async () => {
    await postLines(`${e.url}/api/generate`, { model: 'tiny', keep_alive: 0 }); // unloaded: the next request loads
    await e.configure({ paced: { loadMs: 300 } });
    try {
      const body = { model: 'tiny', prompt: 'behind a load', options: { paced_ttft_ms: 0, paced_tokens: 2 } };
      // The first loads (it is out of the queue, as in Ollama's scheduler loop), the second waits in the
      // queue of one, the third finds it full.
      const results = await Promise.all([0, 40, 80].map(async (delay) => {
        await new Promise((r) => setTimeout(r, delay));
        return postLines(`${e.url}/api/generate`, body);
      }));
      assert.deepEqual(results.map((r) => r.status), [200, 200, 503]);
      assert.deepEqual(results[2].lines[0].obj, { error: BUSY });
      const s = await e.stats();
      assert.equal(s.pending, 0);
      assert.ok(s.rejectedBusy >= 1);
    } finally {
      await e.configure({ paced: { loadMs: 0 } });
    }
  });

  it('nothing arrives before the first token: status and headers come with the first chunk', async () => {
    await postLines(`${e.url}/api/generate`, { model: 'tiny', keep_alive: 0 });
    await e.configure({ paced: { loadMs: 150 } });
    try {
      const r = await rawPost(e.port, '/api/generate', { model: 'tiny', prompt: 'silent', options: { paced_ttft_ms: 200, paced_tokens: 2 } });
      const first = r.chunks[0];
      assert.ok(first.at >= 350 - 0.5, `first byte at ${first.at.toFixed(1)} ms: load 150 + prefill 200 before any byte`);
      const text = first.data.toString('utf8');
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(text, /"done":false/, 'the status line travels with the first token');
    } finally {
      await e.configure({ paced: { loadMs: 0 } });
    }
  });

  it('keep_alive: load and unload forms, expiry timer, forever, /api/ps', async () => {
    const load = await postLines(`${e.url}/api/generate`, { model: 'tiny', keep_alive: '1s' });
    assert.equal(load.lines[0].obj.done_reason, 'load');
    let ps = (await (await fetch(`${e.url}/api/ps`)).json()) as { models: { name: string; expires_at: string; size_vram: number }[] };
    assert.equal(ps.models[0].name, 'tiny:latest');
    const left = Date.parse(ps.models[0].expires_at) - Date.now();
    assert.ok(left > 200 && left <= 1000, `expires in ${left} ms`);
    await new Promise((r) => setTimeout(r, 1400));
    ps = (await (await fetch(`${e.url}/api/ps`)).json()) as typeof ps;
    assert.deepEqual(ps.models, [], 'expired after keep_alive');
    await postLines(`${e.url}/api/chat`, { model: 'tiny', messages: [], keep_alive: -1 });
    ps = (await (await fetch(`${e.url}/api/ps`)).json()) as typeof ps;
    assert.ok(new Date(ps.models[0].expires_at).getUTCFullYear() > 2300, ps.models[0].expires_at);
    await postLines(`${e.url}/api/generate`, { model: 'tiny', prompt: 'no keep_alive', options: { paced_ttft_ms: 0, paced_tokens: 1 } });
    ps = (await (await fetch(`${e.url}/api/ps`)).json()) as typeof ps;
    const fiveMin = Date.parse(ps.models[0].expires_at) - Date.now();
    assert.ok(fiveMin > 290_000 && fiveMin <= 300_000, `a request without keep_alive resets it to the 5m default (${fiveMin} ms)`);
    const unload = await postLines(`${e.url}/api/chat`, { model: 'tiny', messages: [], keep_alive: 0 });
    assert.deepEqual(unload.lines[0].obj.message, { role: 'assistant', content: '' });
    assert.equal(unload.lines[0].obj.done_reason, 'unload');
    ps = (await (await fetch(`${e.url}/api/ps`)).json()) as typeof ps;
    assert.deepEqual(ps.models, []);
  });

  it('keep_alive: a unit-less string is 400 for the request (Go\'s ParseDuration); after expiry the next request reloads', async () => {
    const bad = await postLines(`${e.url}/api/chat`, { model: 'tiny', messages: [{ role: 'user', content: 'x' }], keep_alive: '300' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.lines[0].obj, { error: 'time: missing unit in duration "300"' });
    const loadsBefore = (await e.stats()).loads;
    await e.configure({ paced: { loadMs: 60 } });
    try {
      const body = { model: 'tiny', prompt: 'expire me', keep_alive: '300ms', options: { paced_ttft_ms: 0, paced_tokens: 2 } };
      await postLines(`${e.url}/api/generate`, { model: 'tiny', keep_alive: 0 }); // start unloaded
      const first = split(await postLines(`${e.url}/api/generate`, body)).final!;
      const warm = split(await postLines(`${e.url}/api/generate`, body)).final!;
      await new Promise((r) => setTimeout(r, 600));
      const expired = split(await postLines(`${e.url}/api/generate`, body)).final!;
      assert.equal(first.load_duration, 60e6, 'cold: the scheduled load');
      assert.equal(warm.load_duration, undefined, 'within keep_alive: no load');
      assert.equal(expired.load_duration, 60e6, 'after keep_alive expired the model was loaded again');
      assert.equal((await e.stats()).loads - loadsBefore, 2);
    } finally {
      await postLines(`${e.url}/api/generate`, { model: 'tiny', keep_alive: 0 });
      await e.configure({ paced: { loadMs: 0 } });
    }
  });

  it('a cold request reports the scheduled load time exactly', async () => {
    await e.configure({ paced: { loadMs: 120 } });
    try {
      const r = await postLines(`${e.url}/api/generate`, { model: 'tiny', prompt: 'cold', keep_alive: 0, options: { paced_ttft_ms: 5, paced_tokens: 2 } });
      const { content, final } = split(r);
      assert.equal(final?.load_duration, 120_000_000);
      assert.ok(content[0].at >= 125, `TTFT ${content[0].at} includes the load`);
    } finally {
      await e.configure({ paced: { loadMs: 0 } });
    }
  });

  it('a client that goes away mid-stream frees its slot', async () => {
    const ac = new AbortController();
    const res = await fetch(`${e.url}/api/generate`, { method: 'POST', signal: ac.signal,
      body: JSON.stringify({ model: 'tiny', prompt: 'long', options: { paced_ttft_ms: 0, paced_tps: 20, paced_tokens: 100 } }) });
    const reader = res.body!.getReader();
    await reader.read();
    ac.abort();
    await new Promise((r) => setTimeout(r, 100));
    const s = await e.stats();
    assert.equal(s.inFlight, 0);
    assert.equal(s.waiting, 0);
    const next = await postLines(`${e.url}/api/generate`, { model: 'tiny', prompt: 'after', options: { paced_ttft_ms: 0, paced_tokens: 2 } });
    assert.equal(split(next).final?.done, true, 'the single slot is free again');
  });

  it('control routes: stats count requests; config rejects unknown keys', async () => {
    const s = await e.stats();
    assert.equal(s.mode, 'paced');
    assert.ok(s.inference >= 10 && s.requests > s.inference, JSON.stringify(s));
    assert.ok(s.loads >= 3 && s.unloads >= 2, JSON.stringify(s));
    const bad = await fetch(`${e.url}/_chimeraforge/config`, { method: 'POST', body: '{"tempo":1}', headers: { 'x-chimeraforge-admin-token': e.adminToken } });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /unknown key "tempo"/);
  });
});
