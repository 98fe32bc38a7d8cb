// The model step of the palette's Run Experiment…: "as in the file" first, then the endpoint's models.
import assert from 'node:assert/strict';
import { modelChoices } from '../../../src/vscode/modelChoices';

const ep = { name: 'default', url: 'http://127.0.0.1:11434' };

describe('vscode model choices (Run Experiment… model step)', () => {
  it('as in the file first (the default), then every installed model, then a typed one', () => {
    const c = modelChoices(['gemma3:latest'], ep, { names: ['gemma3:latest', 'qwen3:8b'] });
    assert.deepEqual(c.map((x) => [x.kind, x.label, 'description' in x ? x.description : '']), [
      ['as-in-file', '$(file-code) As in the file', 'gemma3:latest'],
      ['separator', 'installed on default', ''],
      ['model', 'gemma3:latest', 'every call on it · named in the file'],
      ['model', 'qwen3:8b', 'every call on it'],
      ['other', '$(edit) Other model…', 'type a model tag'],
    ]);
  });

  it('several models in the file are listed; an endpoint that does not answer is said, typing still offered', () => {
    const c = modelChoices(['a:1', 'b:2'], ep, { error: 'connection refused' });
    assert.deepEqual(c.map((x) => x.kind), ['as-in-file', 'separator', 'other']);
    assert.equal(c[0].kind === 'as-in-file' && c[0].description, 'a:1, b:2 (per variant or agent)');
    assert.equal(c[1].label, 'default: models not listed');
    assert.equal(c[2].kind === 'other' && c[2].description, 'type a model tag (http://127.0.0.1:11434 did not list its models: connection refused)');
  });
});
