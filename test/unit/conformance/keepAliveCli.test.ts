// Conformance: a unit-less keep_alive string ("300") is an HTTP 400 for every request on a real Ollama
// (Go's time.ParseDuration). The built CLI refuses it at load time: exit 2, naming the file and the JSON
// path, before any endpoint is asked and before anything is written.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { cli, requireBuiltCli } from '../../helpers/cli';
import { makeWorkspace } from '../../helpers/workspace';

describe('conformance: unit-less keep_alive through the built CLI', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  before(async () => {
    requireBuiltCli();
    e = await startEngine({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 1000, tokens: 4 } });
  });
  after(() => e?.stop());

  async function requests(): Promise<number> {
    return (await e.stats()).requests;
  }

  for (const keepAlive of ['300', '45', '1.5']) {
    it(`keepAlive ${JSON.stringify(keepAlive)}: exit 2 naming the file and the JSON path, no request sent, nothing written`, async () => {
      const ws = makeWorkspace(false);
      const f = join(ws.dir, 'ka.experiment.json');
      writeFileSync(f, JSON.stringify({ title: 'ka', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 1, keepAlive }, null, 2));
      const before = await requests();
      const r = cli(['run', f, '--endpoint', `default=${e.url}`], ws.dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /ka\.experiment\.json/);
      assert.match(r.stderr, /- keepAlive: /, r.stderr);
      assert.ok(r.stderr.includes(keepAlive), r.stderr);
      assert.equal(await requests(), before + 1, 'the endpoint was never asked (the one request between is this stats request)');
      assert.equal(existsSync(ws.reportsDir), false, 'no TR directory');
    });
  }

  it('a Go duration ("300s") runs: the same file with a unit is accepted (the refusal above is about the unit)', async () => {
    const ws = makeWorkspace(false);
    const f = join(ws.dir, 'ka.experiment.json');
    writeFileSync(f, JSON.stringify({ title: 'ka', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 1, keepAlive: '300s' }, null, 2));
    const r = cli(['run', f, '--endpoint', `default=${e.url}`], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(ws.reportsDir), true);
  });
});
