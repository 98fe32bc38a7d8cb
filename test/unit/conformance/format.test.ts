// Conformance: `format` ("json" or a JSON schema) is sent as Ollama's structured-output field; the engine
// decodes under the grammar in llama mode (as real Ollama), and the harness records per call whether the
// answer is what was asked for (json_valid) and counts it per variant.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { parseExperiment } from '../../../src/core/experiment/load';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { readOutputs } from '../../../src/core/store/outputs';
import type { OutputStats } from '../../../src/core/stats/outputs';
import { makeWorkspace } from '../../helpers/workspace';

const outputsOf = (trDir: string): (OutputStats | undefined)[] => readMeta(trDir).summary.variants.map((v) => v.outputs as OutputStats | undefined);

const SCHEMA = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };

describe('conformance: structured output (llama engine, grammar-constrained decoding)', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'llama' });
  });
  after(() => e.stop());

  async function run(file: ExperimentFile): Promise<{ trDir: string; runs: ReturnType<typeof readRunsSync>['runs'] }> {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment(file), { reportsDir: ws.reportsDir, gpuSampling: false });
    return { trDir: r.trDir, runs: readRunsSync(r.trDir).runs };
  }

  it('a schema per variant and "json" at the top: sent as format, every answer checked and counted', async () => {
    const { trDir, runs } = await run({
      title: 'format', kind: 'prompt', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['answer'], repetitions: 2, warmup: 1, maxTokens: 48, order: 'sequential',
      format: 'json', variants: [{ name: 'schema', format: SCHEMA }, { name: 'json' }],
    });
    for (const run of runs) {
      const c = run.calls[0];
      if (!run.warmup) assert.equal(run.cold, undefined, 'a warm measured run');
      assert.deepEqual(c.format, run.variant === 'schema' ? SCHEMA : 'json', 'format as sent');
      const answer = readOutputs(trDir, [c.outputFile!]).get(c.outputFile!)!;
      assert.equal(c.json_valid, true, `${run.variant}: ${answer} (${c.jsonError ?? ''})`);
      const value = JSON.parse(answer) as Record<string, unknown>;
      if (run.variant === 'schema') assert.equal(typeof value.ok, 'boolean', 'the grammar followed the schema');
    }
    assert.deepEqual(readMeta(trDir).summary.variants.map((v) => v.name), ['schema', 'json']);
    assert.deepEqual(outputsOf(trDir).map((o) => [o?.json_checked, o?.json_valid]), [[2, 2], [2, 2]]);
  });

  it('an answer cut short by the num_predict cap is recorded as not JSON (json_valid false, with the reason)', async () => {
    const { trDir, runs } = await run({
      title: 'cut', kind: 'prompt', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['answer'], repetitions: 1, warmup: 1, maxTokens: 3, format: 'json',
    });
    const c = runs.find((r) => !r.warmup)!.calls[0];
    assert.equal(c.server!.done_reason, 'length');
    assert.equal(c.json_valid, false);
    assert.match(c.jsonError!, /^not JSON: /);
    assert.equal(runs.find((r) => !r.warmup)!.valid, true, 'a recorded check, not a validity rule: the timing is still a measurement');
    assert.deepEqual(outputsOf(trDir).map((o) => [o?.json_checked, o?.json_valid]), [[1, 0]]);
  });

  it('a workflow step’s own format wins over none elsewhere; steps without one are not checked', async () => {
    const { runs } = await run({
      title: 'steps', kind: 'agent', model: 'tiny:latest', endpoints: { default: e.url }, repetitions: 1, warmup: 0, maxTokens: 48,
      workflow: { type: 'steps', steps: [{ name: 'extract', prompt: 'give json', format: SCHEMA }, { name: 'write', prompt: 'use {{steps.extract}}', options: { num_predict: 4 } }] },
    });
    const [extract, write] = runs[0].calls;
    assert.deepEqual(extract.format, SCHEMA);
    assert.equal(extract.json_valid, true);
    assert.equal(write.format, undefined);
    assert.equal(write.json_valid, undefined);
  });

  it('bad input before anything runs: a format that is not "json" or an object, or a schema ajv cannot compile', () => {
    const base = { title: 't', kind: 'prompt', prompts: ['a'] };
    assert.throws(() => parseExperiment(JSON.stringify({ ...base, format: 'xml' }), 'x.json'), (err: Error & { details?: string[] }) => err.details!.some((d) => d.startsWith('format: must be "json" or a JSON schema object')));
    assert.throws(() => parseExperiment(JSON.stringify({ ...base, variants: [{ name: 'v', format: { type: 'nonsense' } }] }), 'x.json'), (err: Error & { details?: string[] }) => err.details!.some((d) => d.startsWith('variants[0].format: not a usable JSON schema')));
    assert.throws(() => parseExperiment(JSON.stringify({ ...base, kind: 'command', implementations: [{ name: 'a', argv: ['x'] }], think: true }), 'x.json'), (err: Error & { details?: string[] }) => err.details!.some((d) => d.startsWith('think: cannot apply to kind "command"')));
  });
});
