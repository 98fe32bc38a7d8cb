// applyModelOverride: one model for every call (experiment, variants, agents), what it replaced recorded.
import assert from 'node:assert/strict';
import { applyModelOverride, modelsOf } from '../../../src/core/experiment/modelOverride';
import { experimentHash, normalizeExperiment } from '../../../src/core/experiment/normalize';
import { ChimeraError } from '../../../src/core/errors';

const multi = normalizeExperiment({
  title: 'm', kind: 'multi-agent', model: 'a:latest', prompts: ['p'],
  agents: [{ name: 'x', model: 'b:latest' }, { name: 'y' }],
  variants: [{ name: 'v1' }, { name: 'v2', model: 'c:latest' }],
});

describe('experiment: --model override', () => {
  it('the experiment\'s, each variant\'s and each agent\'s model all become NAME', () => {
    assert.deepEqual(modelsOf(multi), ['a:latest', 'c:latest', 'b:latest']);
    const o = applyModelOverride(multi, 'n:1b');
    assert.equal(o.model, 'n:1b');
    assert.deepEqual(o.variants.map((v) => v.model), ['n:1b', 'n:1b']);
    assert.deepEqual(o.agents?.map((a) => a.model), ['n:1b', 'n:1b']);
    assert.deepEqual(modelsOf(o), ['n:1b']);
    assert.deepEqual(o.modelOverride, { model: 'n:1b', replaced: ['a:latest', 'c:latest', 'b:latest'] });
    // everything else is as normalised
    assert.deepEqual({ ...o, model: multi.model, variants: multi.variants, agents: multi.agents, modelOverride: undefined }, { ...multi, modelOverride: undefined });
  });

  it('a model the file already names is not listed as replaced; the hash tells the runs apart', () => {
    const o = applyModelOverride(multi, 'c:latest');
    assert.deepEqual(o.modelOverride?.replaced, ['a:latest', 'b:latest']);
    assert.notEqual(experimentHash(o), experimentHash(multi));
  });

  it('no NAME: the experiment unchanged; a blank or spaced NAME: E_BAD_INPUT naming where it came from', () => {
    assert.equal(applyModelOverride(multi, undefined), multi);
    for (const bad of ['', '  ', 'gemma 3']) {
      assert.throws(() => applyModelOverride(multi, bad, '--model'), (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_INPUT' && e.where === '--model');
    }
  });
});
