// Security checks of the core and the CLI: a `command` experiment never goes through a shell (shell
// syntax in argv arrives literally and runs nothing), is refused in an untrusted workspace before
// anything is written or started, and endpoint URLs are http/https only.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineHandle } from '../../../engine/api';
import { ChimeraError } from '../../../src/core/errors';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { makeWorkspace } from '../../helpers/workspace';
import { EnginePool } from '../ollama/engineHarness';
import { cli, ensureCliBuilt, readTr, snapshotTree, treeChanges, writeExperiment } from './helpers';

// The program records its argv, then makes one call through the proxy (OLLAMA_HOST) so the run is valid.
const PROGRAM = `
const fs = require('node:fs');
fs.writeFileSync(process.env.CHIMERAFORGE_RUN_DIR + '/argv.json', JSON.stringify(process.argv.slice(1)));
const host = process.env.OLLAMA_HOST.startsWith('http') ? process.env.OLLAMA_HOST : 'http://' + process.env.OLLAMA_HOST;
fetch(host + '/api/generate', { method: 'POST', body: JSON.stringify({ model: 'tiny:latest', prompt: 'hi', stream: false }) })
  .then((r) => r.json()).then((j) => { if (!j.done) process.exit(5); });
`;

/** argv elements a shell would act on; `${run_dir}` is a Chimeraforge placeholder, filled in. */
const HOSTILE = [';rm -rf ${run_dir}', '$(touch pwned-subst)', '`touch pwned-backtick`', '&& touch pwned-and', '| tee pwned-pipe', '> pwned-redirect', '*', '$HOME'];

function commandExperiment(engineUrl: string): ExperimentFile {
  return {
    title: 'no shell', kind: 'command', model: 'tiny:latest', endpoints: { default: engineUrl }, repetitions: 1, warmup: 0,
    implementations: [{ name: 'literal', argv: [process.execPath, '-e', PROGRAM, ...HOSTILE] }],
  };
}

describe('fault matrix: security (core and CLI)', function () {
  this.timeout(120_000);
  const pool = new EnginePool();
  let engine: EngineHandle;

  before(async () => {
    ensureCliBuilt();
    engine = await pool.start({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 500, tokens: 4 } });
  });
  after(() => pool.stopAll());

  it('command experiments never use a shell: hostile argv arrives literally and runs nothing', async () => {
    const ws = makeWorkspace(true);
    const f = writeExperiment(ws.dir, 'cmd.experiment.json', commandExperiment(engine.url));
    const r = await cli(['run', f, '--json'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const trDir = join(ws.reportsDir, 'TR1');
    const { runs } = readTr(trDir);
    assert.equal(runs[0].status, 'ok', runs[0].error);
    const runDir = join(trDir, 'outputs', readdirSync(join(trDir, 'outputs'))[0]);
    const argv = JSON.parse(readFileSync(join(runDir, 'argv.json'), 'utf8')) as string[];
    assert.deepEqual(argv, HOSTILE.map((a) => a.replace('${run_dir}', runDir)));
    // Nothing the shell syntax asked for happened, and the run dir the ";rm -rf" named is still there.
    assert.ok(existsSync(join(runDir, 'argv.json')));
    const pwned = [ws.dir, runDir].flatMap((d) => readdirSync(d).filter((n) => n.startsWith('pwned')));
    assert.deepEqual(pwned, []);
  });

  it('a command experiment in an untrusted workspace: E_UNTRUSTED, nothing written, nothing started', async () => {
    const ws = makeWorkspace(true);
    const x = normalizeExperiment(commandExperiment(engine.url), { workspaceDir: ws.dir });
    const before = snapshotTree(ws.dir);
    const statsBefore = await engine.stats();
    await assert.rejects(runExperiment(x, { reportsDir: ws.reportsDir, trusted: false }), (e: unknown) => {
      assert.ok(e instanceof ChimeraError);
      assert.equal(e.code, 'E_UNTRUSTED');
      assert.match(e.message, /"no shell" runs workspace commands, which are refused in an untrusted workspace/);
      assert.match(e.hint ?? '', /trust the workspace/);
      return true;
    });
    assert.deepEqual(treeChanges(before, snapshotTree(ws.dir)), []);
    assert.equal(existsSync(ws.reportsDir), false);
    // Not even the preflight reached the endpoint.
    assert.equal((await engine.stats()).requests, statsBefore.requests + 1);
  });

  const URLS: [string, boolean][] = [
    ['http://127.0.0.1:11434', true],
    ['https://ollama.example.com', true],
    ['file:///etc/passwd', false],
    ['ftp://127.0.0.1:11434', false],
    ['javascript:alert(1)', false],
    ['data:text/plain,hello', false],
    ['ws://127.0.0.1:11434', false],
    ['http://user:secret@127.0.0.1:11434', false],
  ];
  for (const [url, ok] of URLS) {
    it(`endpoint URL ${url}: ${ok ? 'accepted' : 'refused with E_BAD_INPUT naming the endpoint'}`, () => {
      const x: ExperimentFile = { title: 'u', kind: 'prompt', prompts: ['a'] };
      const run = (): unknown => normalizeExperiment(x, { endpointOverrides: { remote: url } });
      if (ok) {
        assert.equal((normalizeExperiment(x, { endpointOverrides: { remote: url } })).endpoints.remote, url);
        return;
      }
      assert.throws(run, (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_INPUT' && /^endpoint 'remote': /.test(e.message));
    });
  }
});
