// Prompt (KV) cache, as real Ollama: each slot keeps its last prompt (and what it generated); a new prompt
// reuses the longest common token prefix. Paced tokens are the words of the templated prompt, so every
// expected count below is computed from the text, and prefill time is T + prefillMsPerToken × new tokens.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { renderChat } from '../../../engine/server/request';
import { ensureEngineBundle, postLines, split } from './helpers';

const T = 10;
const PER_TOKEN = 4;
const words = (s: string): number => s.split(/\s+/).filter((w) => w !== '').length;

describe('engine prompt cache (paced)', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'paced', parallel: 2, paced: { ttftMs: T, tokensPerSec: 500, tokens: 4, prefillMsPerToken: PER_TOKEN } });
  });
  after(async () => { await e?.stop(); });

  const chat = async (messages: { role: string; content: string }[], options: Record<string, unknown> = {}): Promise<{ final: Record<string, unknown>; text: string; ttft: number }> => {
    const r = await postLines(`${e.url}/api/chat`, { model: 'tiny', messages, options: { seed: 1, ...options } });
    const { content, final } = split(r);
    return { final: final!, text: content.map((l) => (l.obj.message as { content: string }).content).join(''), ttft: content[0].at };
  };

  it('a repeated prompt is served from the cache but one token; prompt_eval_duration covers new tokens only', async () => {
    const msgs = [{ role: 'system', content: 'you are a careful agent with a long shared system prompt' }, { role: 'user', content: 'first question here' }];
    const n = words(renderChat(msgs));
    const cold = await chat(msgs);
    assert.equal(cold.final.prompt_eval_count, n);
    assert.equal(cold.final.prompt_eval_cached_count, 0, 'sent even when 0, as recent Ollama does');
    assert.equal(cold.final.prompt_eval_duration, (T + PER_TOKEN * n) * 1e6);
    assert.ok(cold.ttft >= T + PER_TOKEN * n - 0.5, `cold TTFT ${cold.ttft} ms`);
    const warm = await chat(msgs);
    assert.equal(warm.final.prompt_eval_count, n, 'prompt_eval_count = cached + new');
    assert.equal(warm.final.prompt_eval_cached_count, n - 1, 'the whole prompt matches, one token is evaluated again');
    assert.equal(warm.final.prompt_eval_duration, (T + PER_TOKEN * 1) * 1e6);
    assert.ok(warm.ttft < cold.ttft, `warm TTFT ${warm.ttft} < cold ${cold.ttft}`);
    assert.equal(warm.final.eval_count, 4);
  });

  it('the next turn of a chat reuses the previous prompt and the answer it generated', async () => {
    const turn1 = [{ role: 'user', content: 'plan the trip' }];
    const a = await chat(turn1, { seed: 9 });
    const turn2 = [...turn1, { role: 'assistant', content: a.text }, { role: 'user', content: 'and the budget' }];
    const b = await chat(turn2, { seed: 9 });
    // Cached: the words of turn 1's prompt plus the generated answer words; new: the rest.
    const cached = words(renderChat(turn1)) + words(a.text);
    const n = words(renderChat(turn2));
    assert.equal(b.final.prompt_eval_count, n);
    assert.equal(b.final.prompt_eval_cached_count, cached);
    assert.equal(b.final.prompt_eval_duration, (T + PER_TOKEN * (n - cached)) * 1e6);
  });

  it('with parallel slots a prompt goes to the slot that holds its prefix', async () => {
    const A = [{ role: 'user', content: 'alpha alpha alpha alpha alpha alpha' }];
    const B = [{ role: 'user', content: 'beta beta beta beta beta beta' }];
    // A finishes first, so a plain free-list would hand B's slot to the next request.
    await Promise.all([chat(A, { paced_tokens: 1 }), chat(B, { paced_tokens: 12 })]);
    const again = await chat(A, { paced_tokens: 1 });
    assert.equal(again.final.prompt_eval_cached_count, words(renderChat(A)) - 1);
  });

  it('promptCache false (engine option): every prompt is evaluated whole and the field is left out', async () => {
    await e.configure({ promptCache: false });
    try {
      const msgs = [{ role: 'user', content: 'no cache please' }];
      const n = words(renderChat(msgs));
      await chat(msgs);
      const again = await chat(msgs);
      assert.equal(again.final.prompt_eval_cached_count, undefined);
      assert.equal(again.final.prompt_eval_count, n);
      assert.equal(again.final.prompt_eval_duration, (T + PER_TOKEN * n) * 1e6);
    } finally {
      await e.configure({ promptCache: true });
    }
  });
});
