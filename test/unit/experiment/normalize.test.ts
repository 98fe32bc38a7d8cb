import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandSweep, experimentHash, formatSweepValue, normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';

describe('experiment normalisation', () => {
  it('names sweep variants like the original folders', () => {
    const v = expandSweep({ num_gpu: [60, 80, 120], num_ctx: [512, 1024], temperature: [0.6, 0.8] });
    assert.equal(v.length, 12);
    assert.equal(v[0].name, 'gpu60_ctx512_temp0p6');
    assert.deepEqual(v[0].options, { num_gpu: 60, num_ctx: 512, temperature: 0.6 });
    assert.equal(v[11].name, 'gpu120_ctx1024_temp0p8');
    assert.deepEqual(['0p8', 'm1', 'true', 'a_b'], [formatSweepValue(0.8), formatSweepValue(-1), formatSweepValue(true), formatSweepValue('a/b')]);
  });

  it('fills defaults and sends no options for an empty variant unless maxTokens is set', () => {
    const x: ExperimentFile = { title: 't', kind: 'prompt', prompts: ['p'], variants: [{ name: 'baseline', options: {} }, { name: 'c', options: { num_ctx: 512 } }] };
    const n = normalizeExperiment(x);
    assert.equal(n.repetitions, 5);
    assert.equal(n.warmup, 1);
    assert.equal(n.order, 'interleaved');
    assert.equal(n.endpoints.default, 'http://127.0.0.1:11434');
    assert.equal(n.timeoutMs, 120000);
    assert.deepEqual(n.variants[0].options, {});
    const m = normalizeExperiment({ ...x, maxTokens: 64, variants: [{ name: 'a', options: {} }, { name: 'b', options: { num_predict: 8 } }] });
    assert.deepEqual(m.variants[0].options, { num_predict: 64 });
    assert.deepEqual(m.variants[1].options, { num_predict: 8 }, 'a variant option wins over maxTokens');
  });

  it('appends sweep variants after declared ones and refuses a name produced twice', () => {
    const n = normalizeExperiment({ title: 't', kind: 'prompt', prompts: ['p'], variants: [{ name: 'baseline' }], sweep: { num_gpu: [60], num_ctx: [256, 512] } });
    assert.deepEqual(n.variants.map((v) => [v.name, v.source]), [['baseline', 'declared'], ['gpu60_ctx256', 'sweep'], ['gpu60_ctx512', 'sweep']]);
    assert.deepEqual(n.sweep, { num_gpu: [60], num_ctx: [256, 512] }, 'the sweep as written is kept for reports');
    assert.throws(() => normalizeExperiment({ title: 't', kind: 'prompt', prompts: ['p'], variants: [{ name: 'gpu60' }], sweep: { num_gpu: [60] } }), /produced twice/);
  });

  it('crosses implementations with option variants for the command kind', () => {
    const base: ExperimentFile = { title: 't', kind: 'command', implementations: [{ name: 'rust', argv: ['r'] }, { name: 'python', argv: ['p'] }] };
    assert.deepEqual(normalizeExperiment(base).variants.map((v) => v.name), ['rust', 'python']);
    const crossed = normalizeExperiment({ ...base, sweep: { num_ctx: [512, 1024] } });
    assert.deepEqual(crossed.variants.map((v) => v.name), ['rust@ctx512', 'rust@ctx1024', 'python@ctx512', 'python@ctx1024']);
    assert.equal(crossed.variants[3].implementation, 'python');
  });

  it('reads promptsFile relative to the experiment file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-'));
    writeFileSync(join(dir, 'p.txt'), 'first\n\n second \n');
    const file = join(dir, 'a.experiment.json');
    const n = normalizeExperiment({ title: 't', kind: 'prompt', promptsFile: 'p.txt' }, { sourceFile: file });
    assert.deepEqual(n.prompts, ['first', 'second']);
    assert.throws(() => normalizeExperiment({ title: 't', kind: 'prompt', promptsFile: 'none.txt' }, { sourceFile: file }), /promptsFile none\.txt cannot be read/);
  });

  it('hashes independently of key order and machine paths', () => {
    const a = normalizeExperiment({ title: 't', kind: 'prompt', prompts: ['p'], seed: 1 }, { workspaceDir: '/a' });
    const b = normalizeExperiment({ seed: 1, prompts: ['p'], kind: 'prompt', title: 't' } as ExperimentFile, { workspaceDir: '/b' });
    assert.equal(experimentHash(a), experimentHash(b));
    assert.match(experimentHash(a), /^sha256:[0-9a-f]{64}$/);
    const c = normalizeExperiment({ title: 't', kind: 'prompt', prompts: ['p'], seed: 2 });
    assert.notEqual(experimentHash(a), experimentHash(c));
  });

  it('applies endpoint overrides (CLI --endpoint NAME=URL)', () => {
    const n = normalizeExperiment({ title: 't', kind: 'prompt', prompts: ['p'], endpoints: { default: 'http://a:1' } }, { endpointOverrides: { default: 'http://b:2' } });
    assert.equal(n.endpoints.default, 'http://b:2');
  });
});
