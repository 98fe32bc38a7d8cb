// Conformance: with num_ctx not set, the context the server picked is only known from /api/ps. The llama
// engine truncates an over-long prompt to its context (keeping the end, as Ollama) and reports
// context_length 2048 for the tiny model; the harness reads it after the run, records where each call's
// value came from, and marks the truncated run invalid.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readRunsSync } from '../../../src/core/store/read';
import type { RunRecord } from '../../../src/core/types';
import { makeWorkspace } from '../../helpers/workspace';

// ~16,000 characters: far more than 2048 tokens of the tiny model's vocabulary.
const LONG = Array.from({ length: 2000 }, (_, i) => `word${i % 97}`).join(' ');

describe('conformance: context length from /api/ps when num_ctx is not set (llama engine)', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'llama' });
  });
  after(() => e.stop());

  async function runOnce(extra: Partial<ExperimentFile>): Promise<RunRecord> {
    const ws = makeWorkspace(false);
    const x: ExperimentFile = { title: 'ctx', kind: 'prompt', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['hello there'], repetitions: 1, warmup: 0, maxTokens: 4, ...extra };
    const r = await runExperiment(normalizeExperiment(x), { reportsDir: ws.reportsDir, gpuSampling: false });
    const runs = readRunsSync(r.trDir).runs;
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'ok', runs[0].error);
    return runs[0];
  }

  it('a prompt truncated to the context /api/ps reports makes the run invalid; the source is recorded', async () => {
    const run = await runOnce({ prompts: [LONG] });
    assert.deepEqual(run.calls[0].contextLength, { value: 2048, source: '/api/ps' });
    assert.equal(run.valid, false);
    assert.match(run.invalidReason!, /^prompt truncated: prompt prompt of ~\d+ tokens \(\d+ chars\) but prompt_eval_count \d+ with the server's context length \(\/api\/ps, num_ctx not set\) 2048$/);
  });

  it('a prompt that fits stays valid, with the /api/ps value recorded', async () => {
    const run = await runOnce({});
    assert.equal(run.valid, true, run.invalidReason);
    assert.deepEqual(run.calls[0].contextLength, { value: 2048, source: '/api/ps' });
  });

  it('num_ctx set: its value is used and recorded as the option', async () => {
    const run = await runOnce({ prompts: [LONG], options: { num_ctx: 1024 } });
    assert.deepEqual(run.calls[0].contextLength, { value: 1024, source: 'options.num_ctx' });
    assert.equal(run.valid, false);
    assert.match(run.invalidReason!, /with num_ctx 1024$/);
  });

  it('the model unloaded at once (keep_alive 0): unknown, with the reason, and not called truncated', async () => {
    const run = await runOnce({ prompts: [LONG], keepAlive: 0 });
    const c = run.calls[0].contextLength;
    assert.equal(c?.source, 'unknown');
    assert.equal(c?.value, null);
    assert.match(c!.source === 'unknown' ? c.reason : '', /^tiny:latest was no longer loaded on 'default' when \/api\/ps was read after the run/);
    assert.equal(run.valid, true, 'an unknown context length never guesses a truncation');
  });
});
