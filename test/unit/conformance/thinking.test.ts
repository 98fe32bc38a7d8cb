// Conformance: a thinking model (engine `<name>-think`, OLLAMA.md §2.2) streams its reasoning before the
// answer. The harness records both first-token times, stores the reasoning apart from the answer, sends
// `think` when the experiment sets it, and gives later workflow steps the answer only.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { writeReport } from '../../../src/core/report/write';
import { loadTrView } from '../../../src/vscode/dashboard/trData';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import type { CallRecord } from '../../../src/core/types';
import type { NormalizedExperiment } from '../../../src/core/experiment/types';
import type { OutputStats } from '../../../src/core/stats/outputs';
import { makeWorkspace } from '../../helpers/workspace';
import { outputText } from '../../helpers/outputs';

describe('conformance: thinking model (paced engine)', function () {
  this.timeout(60_000);
  // Token i leaves at T + i·1000/r after the slot starts; the first THINK tokens are reasoning.
  const T = 20;
  const R = 100;
  const THINK = 6;
  const ANSWER = 5;
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'paced', models: ['tiny:latest', 'tiny-think:latest'], thinkTokens: THINK, paced: { ttftMs: T, tokensPerSec: R, tokens: ANSWER } });
  });
  after(() => e.stop());

  const x = (extra: Partial<ExperimentFile> = {}): ExperimentFile => ({
    title: 'think', kind: 'prompt', model: 'tiny-think:latest', endpoints: { default: e.url }, prompts: ['why'], repetitions: 2, warmup: 0, ...extra,
  });
  async function run(file: ExperimentFile): Promise<{ calls: CallRecord[]; trDir: string; valid: boolean[] }> {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment(file), { reportsDir: ws.reportsDir, gpuSampling: false });
    const runs = readRunsSync(r.trDir).runs;
    return { calls: runs.flatMap((run) => run.calls), trDir: r.trDir, valid: runs.map((run) => run.valid) };
  }

  it('think absent: valid runs with both TTFTs (first token of any kind, first answer token), reasoning stored apart', async () => {
    const { calls, trDir, valid } = await run(x());
    assert.deepEqual(valid, [true, true]);
    for (const c of calls) {
      const m = c.metrics!;
      assert.equal(c.think, undefined, 'think not sent: the server default');
      // Measurement: the first thinking token cannot arrive before T, the first answer token not before T + THINK intervals.
      assert.ok(m.ttft_ms! >= T, `ttft_ms ${m.ttft_ms}`);
      assert.ok(m.ttft_answer_ms! >= T + (THINK * 1000) / R, `ttft_answer_ms ${m.ttft_answer_ms} ≥ ${T + (THINK * 1000) / R}`);
      assert.ok(m.ttft_answer_ms! > m.ttft_ms!, 'the answer starts after the reasoning');
      assert.equal(c.client.chunkMs.length, THINK + ANSWER, 'every token chunk is timed, reasoning included');
      assert.equal(c.server!.eval_count, THINK + ANSWER, 'plumbing: eval_count counts both');
      const thinking = outputText(trDir, c.thinkingFile)!;
      const answer = outputText(trDir, c.outputFile)!;
      assert.equal(thinking.length, c.thinkingChars);
      assert.equal(answer.length, c.textChars, 'the answer file holds the answer only');
      assert.equal(thinking.trim().split(/\s+/).length, THINK);
      assert.equal(answer.trim().split(/\s+/).length, ANSWER);
    }
    assert.equal((readMeta(trDir).summary.variants[0].outputs as OutputStats).thinking_calls, 2);
    const report = readFileSync(writeReport(trDir, { charts: false }).reportFile, 'utf8');
    assert.match(report, /### Prompt cache, thinking and structured output/);
    assert.match(report, /\| `ttft_answer_ms` \| Client time to first answer token/);
    assert.match(report, /\| `thinking` \| A thinking model/);
    const row = (await loadTrView(dirname(trDir), basename(trDir))).callSettings!.rows[0];
    assert.equal(row.thinkingCalls, 2);
    assert.ok(row.ttftAnswerMsMean! > row.ttftMsMean!, 'dashboard: both TTFTs, the answer later');
  });

  it('think: false is sent and skips the reasoning (ttft_answer_ms = ttft_ms, no thinking file)', async () => {
    const { calls } = await run(x({ think: false }));
    for (const c of calls) {
      assert.equal(c.think, false);
      assert.equal(c.thinkingChars, undefined);
      assert.equal(c.thinkingFile, undefined);
      assert.equal(c.metrics!.ttft_answer_ms, c.metrics!.ttft_ms);
      assert.equal(c.server!.eval_count, ANSWER, 'plumbing: no thinking tokens');
    }
  });

  it('per variant: think "high" on one variant, false on another', async () => {
    const { calls, trDir } = await run(x({ variants: [{ name: 'thinks', think: 'high' }, { name: 'quick', think: false }], order: 'sequential' }));
    assert.deepEqual((readMeta(trDir).experiment as unknown as NormalizedExperiment).variants.map((v) => v.think), ['high', false]);
    assert.deepEqual(calls.map((c) => c.think), ['high', 'high', false, false]);
    assert.deepEqual(calls.map((c) => (c.thinkingChars ?? 0) > 0), [true, true, false, false]);
  });

  it('think sent to a model without the thinking capability: bad input before anything runs (Ollama would answer 400 to every call)', async () => {
    const ws = makeWorkspace(false);
    await assert.rejects(
      runExperiment(normalizeExperiment(x({ model: 'tiny:latest', variants: [{ name: 'off', think: false }, { name: 'on', think: 'low' }] })), { reportsDir: ws.reportsDir, gpuSampling: false }),
      (err: Error & { code?: string; where?: string }) => err.code === 'E_BAD_INPUT' && /variant "on" sends think to model 'tiny:latest', which does not think/.test(err.message) && /endpoint 'default'/.test(err.where ?? ''),
    );
    assert.equal(existsSync(ws.reportsDir), false, 'nothing written');
    // think: false alone is accepted (Ollama refuses only think true or a level): the run goes ahead.
    const { valid } = await run(x({ model: 'tiny:latest', think: false }));
    assert.deepEqual(valid, [true, true]);
  });

  it('a later workflow step receives the answer of the earlier one, never its reasoning', async () => {
    const ws = makeWorkspace(false);
    const file: ExperimentFile = {
      title: 'steps', kind: 'agent', model: 'tiny-think:latest', endpoints: { default: e.url }, repetitions: 1, warmup: 0, promptCache: 'warm',
      workflow: { type: 'steps', steps: [{ name: 'plan', prompt: 'plan it' }, { name: 'act', prompt: 'do: {{steps.plan}}' }] },
    };
    const r = await runExperiment(normalizeExperiment(file), { reportsDir: ws.reportsDir, gpuSampling: false });
    const [plan, act] = readRunsSync(r.trDir).runs[0].calls;
    assert.ok((plan.thinkingChars ?? 0) > 0, 'the first step thought');
    // The second prompt is the template with the first step's answer (and nothing else) in place of {{steps.plan}}.
    assert.ok(plan.textChars !== null, 'a call of ours knows its answer length');
    assert.equal(act.promptChars, 'do: '.length + plan.textChars);
    assert.notEqual(plan.textChars, plan.thinkingChars, 'answer and reasoning lengths differ, so the check can tell them apart');
  });
});
