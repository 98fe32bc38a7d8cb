// Fault mode: every kind observed at the HTTP/TCP level (raw fetch and sockets, no client library).
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { INJECTED_500, INJECTED_MIDSTREAM, MALFORMED_LINE } from '../../../engine/fault/plan';
import { ensureEngineBundle, postLines, rawPost, split } from './helpers';

const BUSY = 'server busy, please try again.  maximum pending requests exceeded';

const GEN = { model: 'tiny', prompt: 'fault please', options: { paced_ttft_ms: 5, paced_tps: 500, paced_tokens: 6 } };

describe('engine fault mode (HTTP level)', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  const url = (p: string): string => `${e.url}${p}`;
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'fault', fault: { kind: 'http500', count: 0 }, paced: { ttftMs: 5, tokensPerSec: 500, tokens: 6 } });
  });
  after(async () => { await e?.stop(); });

  async function expectGood(): Promise<void> {
    const r = await postLines(url('/api/generate'), GEN);
    assert.equal(r.status, 200);
    assert.equal(split(r).content.length, 6);
    assert.equal(split(r).final?.done, true);
  }

  const httpCases: [string, number, string][] = [['http404', 404, "model 'tiny' not found"], ['http500', 500, INJECTED_500], ['http503', 503, BUSY]];
  for (const [kind, status, message] of httpCases) {
    it(`${kind}: after one good request, one ${status} with Ollama's error shape, then good again`, async () => {
      await e.configure({ fault: { kind: kind as 'http404', afterGood: 1, count: 1 } });
      await expectGood();
      const res = await fetch(url('/api/chat'), { method: 'POST', body: JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: 'x' }] }) });
      assert.equal(res.status, status);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.deepEqual(await res.json(), { error: message });
      await expectGood();
      const s = await e.stats();
      assert.equal(s.faultsByKind[kind as 'http404'], 1);
    });
  }

  it('midstream: HTTP 200, some tokens, an {"error"} line, no done', async () => {
    await e.configure({ fault: { kind: 'midstream', atToken: 3 } });
    const r = await postLines(url('/api/generate'), GEN);
    assert.equal(r.status, 200);
    assert.equal(split(r).content.length, 3);
    assert.deepEqual(r.lines.at(-1)!.obj, { error: INJECTED_MIDSTREAM });
    assert.equal(split(r).final, undefined);
    const nonStream = await fetch(url('/api/generate'), { method: 'POST', body: JSON.stringify({ ...GEN, stream: false }) });
    assert.equal(nonStream.status, 500, 'without streaming the error is the response');
    assert.deepEqual(await nonStream.json(), { error: INJECTED_MIDSTREAM });
  });

  it('reset: the socket is reset after some content', async () => {
    await e.configure({ fault: { kind: 'reset', atToken: 2 } });
    // 20 ms between tokens: the client has read what came before the RST (a reset may discard unread data).
    const r = await rawPost(e.port, '/api/generate', { ...GEN, options: { ...GEN.options, paced_tps: 50 } });
    assert.equal(r.error, 'ECONNRESET');
    // A reset may discard data the client had not read yet (a starved client): what did arrive is a good prefix.
    if (r.head !== '') assert.match(r.head, /^HTTP\/1\.1 200/);
    assert.ok(r.body.split('\n').filter((l) => l.includes('"done":false')).length <= 2);
    assert.ok(!r.body.includes('"done":true'));
    await assert.rejects(fetch(url('/api/generate'), { method: 'POST', body: JSON.stringify(GEN) }).then((res) => res.text()));
  });

  it('stall: the stream stops for stallMs with the socket open, then goes on', async () => {
    await e.configure({ fault: { kind: 'stall', atToken: 2, stallMs: 500 } });
    const r = await postLines(url('/api/generate'), GEN);
    const { content, final } = split(r);
    assert.equal(content.length, 6);
    // Token 2 was due at 9 ms and is held for 500 ms: never earlier, and a gap far above the 2 ms rhythm.
    assert.ok(content[2].at >= 505, `token 2 at ${content[2].at} ms`);
    assert.ok(content[2].at - content[1].at > 300, `gap ${content[2].at - content[1].at} ms`);
    assert.equal(final?.done, true);
  });

  it('nodone: the stream ends cleanly without done:true', async () => {
    await e.configure({ fault: { kind: 'nodone', atToken: 4 } });
    const r = await rawPost(e.port, '/api/generate', GEN);
    assert.equal(r.error, null);
    assert.match(r.head, /^HTTP\/1\.1 200/);
    const lines = r.body.trim().split('\n').map((l) => JSON.parse(l) as { done: boolean });
    assert.equal(lines.length, 4);
    assert.ok(lines.every((l) => l.done === false));
    const ns = await postLines(url('/api/chat'), { model: 'tiny', messages: [{ role: 'user', content: 'x' }], stream: false });
    assert.equal(ns.lines[0].obj.done, false);
  });

  it('malformed: one line that is not JSON inside an otherwise good stream', async () => {
    await e.configure({ fault: { kind: 'malformed', atToken: 1 } });
    const r = await postLines(url('/api/generate'), GEN);
    assert.deepEqual(r.bad, [MALFORMED_LINE]);
    assert.equal(split(r).content.length, 6);
    assert.equal(split(r).final?.done, true);
    const ns = await fetch(url('/api/generate'), { method: 'POST', body: JSON.stringify({ ...GEN, stream: false }) });
    assert.equal(ns.status, 200);
    assert.equal(await ns.text(), MALFORMED_LINE);
  });

  it('split: every line arrives in several TCP reads; reassembled it is a good stream', async () => {
    await e.configure({ fault: { kind: 'split' } });
    const r = await rawPost(e.port, '/api/generate', { ...GEN, prompt: 'ünïcödé 雪' });
    const lines = r.body.trim().split('\n').map((l) => JSON.parse(l) as { done: boolean });
    assert.equal(lines.length, 7);
    assert.equal(lines.at(-1)!.done, true);
    assert.ok(r.chunks.length >= 2 * lines.length, `${r.chunks.length} reads for ${lines.length} lines`);
    // Each read is one HTTP chunk ("size\r\n" payload "\r\n"): a payload that does not end with "\n" ends mid-line.
    const midLine = r.chunks.filter((c) => !c.data.toString('latin1').endsWith('\n\r\n'));
    assert.ok(midLine.length >= lines.length, `${midLine.length} reads end mid-line`);
  });

  it('seeded probability: the same seed faults the same requests', async () => {
    const pattern = async (): Promise<string> => {
      await e.configure({ fault: { kind: 'http503', probability: 0.5, seed: 42 } });
      let p = '';
      for (let i = 0; i < 12; i++) p += (await fetch(url('/api/generate'), { method: 'POST', body: JSON.stringify({ ...GEN, stream: false }) })).status === 503 ? 'F' : '.';
      return p;
    };
    const a = await pattern();
    assert.equal(await pattern(), a);
    assert.match(a, /F/);
    assert.match(a, /\./);
  });
});
