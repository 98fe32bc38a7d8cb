// Conformance: the engine's prompt (KV) cache, as real Ollama's (OLLAMA.md §2.1), turns repeated prompts into
// cache hits. promptCache "cold" (the default) must defeat it so every repetition measures a real prefill;
// "warm" must let it work and record how many prompt tokens came from the cache.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile, NormalizedExperiment } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import type { CallRecord } from '../../../src/core/types';
import { writeReport } from '../../../src/core/report/write';
import { loadTrView } from '../../../src/vscode/dashboard/trData';
import { makeWorkspace } from '../../helpers/workspace';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

const WORDS = 40;
const PROMPT = Array.from({ length: WORDS }, (_, i) => `word${i}`).join(' ');

async function measuredCalls(x: ExperimentFile): Promise<{ calls: CallRecord[]; trDir: string }> {
  const ws = makeWorkspace(false);
  const r = await runExperiment(normalizeExperiment(x), { reportsDir: ws.reportsDir, gpuSampling: false });
  return { calls: readRunsSync(r.trDir).runs.filter((run) => !run.warmup).flatMap((run) => run.calls), trDir: r.trDir };
}

describe('conformance: prompt cache (paced engine, prefill per uncached token)', function () {
  this.timeout(60_000);
  // T = 5 ms + 5 ms per prompt token not served from the slot's cache (engine/README.md, paced mode).
  const T = 5;
  const PER_TOKEN = 5;
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'paced', paced: { ttftMs: T, tokensPerSec: 1000, tokens: 4, prefillMsPerToken: PER_TOKEN } });
  });
  after(() => e.stop());

  const x = (extra: Partial<ExperimentFile> = {}): ExperimentFile => ({
    title: 'cache', kind: 'prompt', model: 'tiny:latest', endpoints: { default: e.url }, prompts: [PROMPT], repetitions: 4, warmup: 1, ...extra,
  });

  it('cold (default): every call starts with its own recorded prefix, so each repetition pays the whole prefill (client TTFT)', async () => {
    const { calls, trDir } = await measuredCalls(x());
    assert.equal(calls.length, 4);
    const prefixes = new Set(calls.map((c) => c.cachePrefix));
    assert.equal(prefixes.size, 4, 'a new prefix per call');
    for (const c of calls) {
      assert.match(c.cachePrefix!, /^\[[0-9a-f]{8}\]\n$/);
      assert.equal(c.promptChars, PROMPT.length + c.cachePrefix!.length, 'the prefix is part of what was sent');
      // The templated prompt is "<|user|> [prefix] word0 … word39 <|assistant|>": 43 tokens, of which only the
      // role tag before the prefix can be shared with the slot's last prompt.
      const uncached = WORDS + 2;
      // Measurement: nothing can arrive before the engine's first-token deadline, T + per-token × uncached.
      assert.ok(c.metrics!.ttft_ms! >= T + PER_TOKEN * uncached, `ttft_ms ${c.metrics!.ttft_ms} ≥ ${T + PER_TOKEN * uncached}: a real prefill, not a cache hit`);
      // Plumbing checks of the server-reported fields.
      assert.equal(c.metrics!.prompt_cached_tokens, 1, 'plumbing: prompt_eval_cached_count');
      assert.equal(c.server!.prompt_eval_count, WORDS + 3, 'plumbing: prompt_eval_count');
    }
    const experiment = readMeta(trDir).experiment as unknown as NormalizedExperiment;
    assert.equal(experiment.promptCache, 'cold');
    assert.equal(experiment.variants[0].promptCache, 'cold');
    const report = readFileSync(writeReport(trDir, { charts: false }).reportFile, 'utf8');
    assert.match(report, /\| Prompt cache \| cold — each call’s prompt began with its own random prefix/);
    assert.match(report, /\| `default` \| cold \| 1(\.0+)? \|/, 'Results: the cold variant and its mean cached tokens');
    assert.match(report, /\| `cachePrefix` \| promptCache "cold": the random prefix/, 'the definition is in the Methodology table');
    const view = (await loadTrView(dirname(trDir), basename(trDir))).callSettings!;
    assert.deepEqual(view.rows.map((r) => [r.variant, r.promptCache, r.cachedTokensMean]), [['default', 'cold', 1]]);
    assert.ok(view.definitions.some((d) => d.name === 'cachePrefix'));
  });

  it('warm: prompts as written, repetitions reuse the cached prefix and prompt_cached_tokens records it (plumbing)', async () => {
    const { calls, trDir } = await measuredCalls(x({ promptCache: 'warm' }));
    for (const c of calls) {
      assert.equal(c.cachePrefix, undefined, 'no prefix under warm');
      assert.equal(c.promptChars, PROMPT.length);
      // "<|user|> word0 … word39 <|assistant|>" = 42 tokens; all but one served from the cache (never the whole prompt).
      assert.equal(c.metrics!.prompt_cached_tokens, WORDS + 1, 'plumbing: prompt_eval_cached_count');
      assert.equal(c.metrics!.prompt_eval_ms, T + PER_TOKEN, 'plumbing: prompt_eval_duration covers the one new token');
    }
    assert.equal(readMeta(trDir).experiment.promptCache, 'warm');
  });

  it('a server that does not send prompt_eval_cached_count: prompt_cached_tokens null, and the report says unknown', async () => {
    const old = await startEngine({ mode: 'paced', promptCache: false, paced: { ttftMs: T, tokensPerSec: 1000, tokens: 4 } });
    try {
      const { calls, trDir } = await measuredCalls({ ...x({ promptCache: 'warm' }), endpoints: { default: old.url } });
      for (const c of calls) assert.equal(c.metrics!.prompt_cached_tokens, null);
      const report = readFileSync(writeReport(trDir, { charts: false }).reportFile, 'utf8');
      assert.match(report, /\| `default` \| warm \| unknown \(the server sent no prompt_eval_cached_count\) \|/);
    } finally {
      await old.stop();
    }
  });

  it('per variant: a warm and a cold variant side by side, each with its own mode', async () => {
    const { calls, trDir } = await measuredCalls(x({ variants: [{ name: 'c' }, { name: 'w', promptCache: 'warm' }], order: 'sequential' }));
    assert.deepEqual((readMeta(trDir).experiment as unknown as NormalizedExperiment).variants.map((v) => v.promptCache), ['cold', 'warm']);
    assert.equal(calls.filter((c) => c.cachePrefix !== undefined).length, 4, 'the cold variant’s 4 calls carry a prefix, the warm one’s none');
  });
});

describe('conformance: prompt cache (llama engine, node-llama-cpp context reuse)', function () {
  this.timeout(180_000);
  let e: EngineHandle;
  before(async () => {
    // The mid model (3.6 M parameters): a prefill of a few hundred tokens takes far longer than the fixed
    // cost of evaluating one token, so a cache hit stands out even on a loaded machine.
    e = await startEngine({ mode: 'llama', model: 'mid' });
  });
  after(() => e.stop());

  // A prompt long enough that its prefill dominates prompt_eval_duration.
  const LONG = Array.from({ length: 12 }, (_, i) => `Line ${i}: the quick brown fox jumps over the lazy dog near the river bank.`).join('\n');
  const x = (promptCache: 'cold' | 'warm'): ExperimentFile => ({
    title: `llama ${promptCache}`, kind: 'prompt', model: 'mid:latest', endpoints: { default: e.url }, prompts: [LONG], repetitions: 4, warmup: 1, maxTokens: 2, order: 'sequential', promptCache,
  });
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it('cold: repetitions evaluate the whole prompt again (prefill ≈ the first call’s); warm: served from the cache', async () => {
    const cold = (await measuredCalls(x('cold'))).calls;
    const warm = (await measuredCalls(x('warm'))).calls;
    for (const c of cold) {
      const s = c.server!;
      // Only the template's role tag before the prefix (and the prefix's "[") can be shared: a few byte-level tokens.
      assert.ok(c.metrics!.prompt_cached_tokens! <= 0.05 * s.prompt_eval_count, `cold: cached ${c.metrics!.prompt_cached_tokens} of ${s.prompt_eval_count}`);
    }
    for (const c of warm) assert.equal(c.metrics!.prompt_cached_tokens, c.server!.prompt_eval_count - 1, 'warm: all but one prompt token from the cache');
    const coldPrefill = cold.map((c) => c.metrics!.prompt_eval_ms!);
    const warmPrefill = warm.map((c) => c.metrics!.prompt_eval_ms!);
    // Timing on a shared machine: medians and wide margins only (an uncached prefill of ~750 tokens against
    // one token was ~10× longer here). The cold repetitions after the first are no cache hits: their
    // prefill stays with the first call's, far above the warm repetitions'.
    const nums = `cold ${coldPrefill.join(', ')} ms; warm ${warmPrefill.join(', ')} ms`;
    assert.ok(median(coldPrefill.slice(1)) > 3 * median(warmPrefill), `cold repetitions pay a full prefill: ${nums}`);
    assert.ok(median(warmPrefill) < coldPrefill[0] / 3, `warm repetitions are cache hits: ${nums}`);
  });
});
