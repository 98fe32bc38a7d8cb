// `chimeraforge run --model NAME`: a file written for other models runs unedited on the engine's model.
// Every call of every variant goes to NAME (read back from the raw records), meta.json records what was
// replaced and the command that re-runs it; without --model the same file stops before running (exit 3).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import type { CallRecord, Meta } from '../../../src/core/types';
import { cli, requireBuiltCli } from '../../helpers/cli';
import { makeWorkspace } from '../../helpers/workspace';


describe('chimeraforge run --model', function () {
  this.timeout(120_000);
  let eng: EngineHandle;
  before(async () => {
    requireBuiltCli();
    eng = await startEngine({ mode: 'paced', models: ['tiny:latest', 'mid:latest'], paced: { ttftMs: 5, tokensPerSec: 1000, tokens: 6 } });
  });
  after(async () => eng?.stop());

  const experiment = {
    title: 'template for other models', kind: 'prompt', model: 'gemma3:latest', prompts: ['hi'], repetitions: 2, warmup: 0,
    variants: [{ name: 'as-file' }, { name: 'own-model', model: 'llama3.1:8b' }],
  };

  it('every call of every variant uses NAME; meta.json records the override and the command', () => {
    const ws = makeWorkspace(false);
    const f = join(ws.dir, 'x.experiment.json');
    writeFileSync(f, JSON.stringify(experiment));
    const without = cli(['run', f, '--endpoint', `default=${eng.url}`], ws.dir);
    assert.equal(without.code, 3, `the file's own models are not on the engine: ${without.stderr}`);

    const r = cli(['run', f, '--endpoint', `default=${eng.url}`, '--model', 'mid:latest', '--json'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const { trDir } = JSON.parse(r.stdout) as { trDir: string };
    const calls = readFileSync(join(trDir, 'runs.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as { variant: string; calls: CallRecord[] })
      .flatMap((run) => run.calls.map((c) => `${run.variant}:${c.model}:${c.status}`));
    assert.deepEqual(calls.sort(), ['as-file:mid:latest:ok', 'as-file:mid:latest:ok', 'own-model:mid:latest:ok', 'own-model:mid:latest:ok']);
    const meta = JSON.parse(readFileSync(join(trDir, 'meta.json'), 'utf8')) as Meta;
    const x = meta.experiment as unknown as { model: string; variants: { name: string; model: string }[]; modelOverride: unknown };
    assert.equal(x.model, 'mid:latest');
    assert.deepEqual(x.variants.map((v) => v.model), ['mid:latest', 'mid:latest']);
    assert.deepEqual(x.modelOverride, { model: 'mid:latest', replaced: ['gemma3:latest', 'llama3.1:8b'] });
    assert.match(meta.command ?? '', / --model mid:latest$/);
  });

  it('a model name with spaces is bad input (exit 2), nothing written', () => {
    const ws = makeWorkspace(false);
    const f = join(ws.dir, 'x.experiment.json');
    writeFileSync(f, JSON.stringify(experiment));
    const r = cli(['run', f, '--endpoint', `default=${eng.url}`, '--model', 'mid latest'], ws.dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /model name "mid latest" is not an Ollama model tag/);
    assert.match(r.stderr, /--model/);
    assert.equal(existsSync(ws.reportsDir), false);
  });
});
