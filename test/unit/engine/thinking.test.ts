// Thinking models, as real Ollama (≥ 0.20): a `-think` variant has the "thinking" capability; with `think`
// absent or true its reasoning streams first in `thinking` / `message.thinking`, then the answer;
// think:false skips it; eval_count and num_predict count both.
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { ensureEngineBundle, postLines, split, type Line } from './helpers';

const THINK = 5;
const ANSWER = 4;
const TPS = 400;

const thinkingOf = (l: Line): string | undefined => ((l.obj.message as { thinking?: string } | undefined)?.thinking ?? l.obj.thinking) as string | undefined;
const contentOf = (l: Line): string => ((l.obj.message as { content?: string } | undefined)?.content ?? l.obj.response ?? '') as string;

describe('engine thinking models (paced)', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'paced', models: ['tiny', 'tiny-think'], thinkTokens: THINK, paced: { ttftMs: 5, tokensPerSec: TPS, tokens: ANSWER } });
  });
  after(async () => { await e?.stop(); });

  it('/api/show lists the "thinking" capability for the -think variant only', async () => {
    const caps = async (model: string): Promise<string[]> => ((await (await fetch(`${e.url}/api/show`, { method: 'POST', body: JSON.stringify({ model }) })).json()) as { capabilities: string[] }).capabilities;
    assert.deepEqual(await caps('tiny-think'), ['completion', 'tools', 'thinking']);
    assert.deepEqual(await caps('tiny'), ['completion', 'tools']);
  });

  for (const think of [undefined, true, 'high'] as const) {
    it(`chat, think ${JSON.stringify(think)}: thinking chunks first, then the answer; eval_count counts both`, async () => {
      const r = await postLines(`${e.url}/api/chat`, { model: 'tiny-think', messages: [{ role: 'user', content: 'why' }], ...(think === undefined ? {} : { think }) });
      const { content, final } = split(r);
      assert.equal(content.length, THINK + ANSWER);
      content.slice(0, THINK).forEach((l) => { assert.ok((thinkingOf(l) ?? '').length > 0); assert.equal(contentOf(l), ''); });
      content.slice(THINK).forEach((l) => { assert.equal(thinkingOf(l), undefined); assert.ok(contentOf(l).length > 0); });
      assert.equal(final?.eval_count, THINK + ANSWER);
      assert.equal(final?.eval_duration, ((THINK + ANSWER - 1) / TPS) * 1e9, 'one schedule over thinking and answer: (n−1)/r');
      assert.equal((final?.message as { thinking?: string }).thinking, undefined, 'the final chunk carries no text');
    });
  }

  it('generate streams `thinking`; think:false skips it', async () => {
    const on = split(await postLines(`${e.url}/api/generate`, { model: 'tiny-think', prompt: 'why' }));
    assert.equal(on.content.filter((l) => thinkingOf(l) !== undefined).length, THINK);
    assert.equal(on.content[0].obj.response, '');
    const off = split(await postLines(`${e.url}/api/generate`, { model: 'tiny-think', prompt: 'why', think: false }));
    assert.equal(off.content.length, ANSWER);
    assert.ok(off.content.every((l) => l.obj.thinking === undefined));
    assert.equal(off.final?.eval_count, ANSWER);
  });

  it('num_predict covers thinking: a small budget is spent thinking and the answer is empty', async () => {
    const r = await postLines(`${e.url}/api/chat`, { model: 'tiny-think', messages: [{ role: 'user', content: 'q' }], stream: false, options: { num_predict: 3 } });
    const m = r.lines[0].obj.message as { content: string; thinking?: string };
    assert.equal(m.content, '');
    assert.equal(m.thinking?.split(' ').length, 3);
    assert.equal(r.lines[0].obj.done_reason, 'length');
    assert.equal(r.lines[0].obj.eval_count, 3);
  });

  it('non-streamed answers carry thinking beside the content; the think_tokens option sets the amount', async () => {
    const r = await postLines(`${e.url}/api/generate`, { model: 'tiny-think', prompt: 'q', stream: false, options: { think_tokens: 2 } });
    assert.equal((r.lines[0].obj.thinking as string).split(' ').length, 2);
    assert.equal((r.lines[0].obj.response as string).split(' ').length, ANSWER);
    assert.equal(r.lines[0].obj.eval_count, 2 + ANSWER);
  });

  it('think on a model without the capability is 400; a bad think value is 400; think:false is fine', async () => {
    const no = await postLines(`${e.url}/api/chat`, { model: 'tiny', messages: [{ role: 'user', content: 'q' }], think: true });
    assert.equal(no.status, 400);
    assert.deepEqual(no.lines[0].obj, { error: '"tiny" does not support thinking' });
    const bad = await postLines(`${e.url}/api/chat`, { model: 'tiny-think', messages: [{ role: 'user', content: 'q' }], think: 'maybe' });
    assert.equal(bad.status, 400);
    assert.match(bad.lines[0].obj.error as string, /invalid think value: "maybe"/);
    const off = await postLines(`${e.url}/api/chat`, { model: 'tiny', messages: [{ role: 'user', content: 'q' }], think: false });
    assert.equal(off.status, 200);
  });
});

describe('engine thinking models (llama)', function () {
  this.timeout(120_000);
  before(ensureEngineBundle);

  it('the official client gets message.thinking then content from a real generation; eval_count counts both', async () => {
    const e = await startEngine({ mode: 'llama', models: ['tiny', 'tiny-think'], thinkTokens: 6 });
    try {
      const c = new Ollama({ host: e.url });
      let thinking = '';
      let content = '';
      let sawContentBeforeThinkingEnded = false;
      let final: { eval_count?: number } | undefined;
      for await (const part of await c.chat({ model: 'tiny-think', messages: [{ role: 'user', content: 'hi' }], stream: true, options: { num_predict: 16, seed: 1 } })) {
        if (part.done) final = part;
        if (part.message.thinking) { thinking += part.message.thinking; if (content !== '') sawContentBeforeThinkingEnded = true; }
        content += part.message.content;
      }
      assert.ok(thinking.length > 0 && content.length > 0, `thinking ${JSON.stringify(thinking)} content ${JSON.stringify(content)}`);
      assert.equal(sawContentBeforeThinkingEnded, false);
      assert.equal(final?.eval_count, 16);
      const off = await c.chat({ model: 'tiny-think', messages: [{ role: 'user', content: 'hi' }], think: false, options: { num_predict: 8, seed: 1 } });
      assert.equal(off.message.thinking, undefined);
      assert.equal(off.eval_count, 8);
    } finally {
      await e.stop();
    }
  });
});
