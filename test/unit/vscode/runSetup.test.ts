// Experiment files prepared with the extension's settings; the reproducible CLI command and its reading back.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChimeraError } from '../../../src/core/errors';
import { cliCommand, endpointsNeedingConsent, experimentFileOfCommand, prepareExperiment } from '../../../src/vscode/runSetup';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { formatEta } from '../../../src/vscode/progress';

const settings = { endpoints: { default: 'http://10.0.0.1:11434', b: 'http://10.0.0.2:11434' }, defaultModel: 'qwen:0.5b', defaultRepetitions: 7, defaultWarmup: 2 };

describe('vscode runSetup: prepareExperiment', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'cf-runsetup-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, v: unknown): string => {
    const f = join(dir, name);
    writeFileSync(f, typeof v === 'string' ? v : JSON.stringify(v));
    return f;
  };

  it('fills model, repetitions, warm-ups and endpoint URLs from the settings', () => {
    const x = prepareExperiment(write('a.experiment.json', { title: 't', kind: 'prompt', prompts: ['hi'] }), settings, dir);
    assert.equal(x.model, 'qwen:0.5b');
    assert.equal(x.repetitions, 7);
    assert.equal(x.warmup, 2);
    assert.deepEqual(x.endpoints, settings.endpoints);
  });

  it('the file\'s own values win over the settings', () => {
    const x = prepareExperiment(write('b.experiment.json', { title: 't', kind: 'prompt', prompts: ['hi'], model: 'gemma3:1b', repetitions: 3, warmup: 0, endpoints: { default: 'http://file:8080' } }), settings, dir);
    assert.equal(x.model, 'gemma3:1b');
    assert.equal(x.repetitions, 3);
    assert.equal(x.warmup, 0);
    assert.deepEqual(x.endpoints, { default: 'http://file:8080', b: 'http://10.0.0.2:11434' });
  });

  it('a managed endpoint: kept as the file has it (not the settings\' URL), no consent asked (it is local), refused untrusted before its server starts', async () => {
    const f = write('m.experiment.json', { title: 't', kind: 'prompt', prompts: ['hi'], endpoints: { default: { url: 'http://localhost:11999', server: { env: { OLLAMA_NUM_PARALLEL: '2' } } } } });
    const x = prepareExperiment(f, settings, dir, undefined, false);
    assert.equal(x.endpoints.default, 'http://127.0.0.1:11999');
    assert.deepEqual(x.endpointServers, { default: { env: { OLLAMA_NUM_PARALLEL: '2' }, port: 11999 } });
    assert.deepEqual(endpointsNeedingConsent(f, x, false), []);
    // `ollama serve` would be spawned by a trusted run: the untrusted one must throw before that.
    await assert.rejects(runExperiment(x, { reportsDir: join(dir, 'reports'), trusted: false, gpuSampling: false }), (e: unknown) => e instanceof ChimeraError && e.code === 'E_UNTRUSTED' && /endpoints\.default\.server/.test(e.message));
  });

  const bad: { name: string; body: unknown; code: string; paths: RegExp[] }[] = [
    { name: 'wrong types and a negative count', body: { title: 't', kind: 'prompt', prompts: ['x'], repetitions: -1, variants: [{ name: 'a', options: { num_ctx: 'big' } }] }, code: 'E_BAD_INPUT', paths: [/- repetitions: must be >= 1 \(got -1\)/, /- variants\[0\]\.options\.num_ctx: must be integer/] },
    { name: 'unknown kind', body: { title: 't', kind: 'dance' }, code: 'E_BAD_INPUT', paths: [/- kind: must be one of/] },
    { name: 'not JSON', body: '{ "title": ', code: 'E_BAD_JSON', paths: [/line 1, column \d+/] },
  ];
  for (const b of bad) {
    it(`${b.name}: ${b.code} naming the file and every JSON path`, () => {
      const f = write(`bad-${b.code}-${b.paths.length}.experiment.json`, b.body);
      assert.throws(() => prepareExperiment(f, settings, dir), (e: unknown) => {
        assert.ok(e instanceof ChimeraError);
        assert.equal(e.code, b.code);
        assert.equal(e.where, f);
        const text = e.describe();
        for (const p of b.paths) assert.match(text, p);
        return true;
      });
    });
  }
});

describe('vscode runSetup: the recorded command', () => {
  const cases: { file: string; expect: string }[] = [
    { file: '/ws/exp/a.experiment.json', expect: 'chimeraforge run exp/a.experiment.json --reports-dir reports --endpoint default=http://h:1' },
    { file: '/ws/my exp.experiment.json', expect: 'chimeraforge run "my exp.experiment.json" --reports-dir reports --endpoint default=http://h:1' },
    { file: '/elsewhere/b.experiment.json', expect: 'chimeraforge run /elsewhere/b.experiment.json --reports-dir reports --endpoint default=http://h:1' },
  ];
  for (const c of cases) {
    it(`${c.file} → ${c.expect}, and read back`, () => {
      const cmd = cliCommand(c.file, '/ws', '/ws/reports', { default: 'http://h:1' });
      assert.equal(cmd, c.expect);
      const back = experimentFileOfCommand(cmd);
      assert.equal(back, c.file.startsWith('/ws/') ? c.file.slice(4) : c.file);
    });
  }

  it('commands that are not a run give no file', () => {
    assert.equal(experimentFileOfCommand(undefined), null);
    assert.equal(experimentFileOfCommand('chimeraforge import /data'), null);
  });
});

describe('vscode progress: formatEta', () => {
  const cases: [number | null, string][] = [[null, ''], [-5, ''], [400, '0s'], [42_000, '42s'], [61_000, '1m 01s'], [3_725_000, '1h 02m']];
  for (const [ms, text] of cases) it(`${ms} ms → "${text}"`, () => assert.equal(formatEta(ms), text));
});
