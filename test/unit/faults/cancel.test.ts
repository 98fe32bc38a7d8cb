// Cancelling a run from outside: SIGTERM between runs, and SIGINT/SIGTERM while a streamed call is
// really in flight (a slow paced schedule). Exit 130, a valid `cancelled` TR, every finished run kept,
// and the request in flight aborted at the server (it stops counting it long before its schedule ends).
// A kill -9 mid-call leaves an interrupted TR that `report` turns into a PARTIAL report. SIGINT between
// runs and kill -9 between runs are in test/unit/cli/cli.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { EngineHandle } from '../../../engine/api';
import { makeWorkspace } from '../../helpers/workspace';
import { EnginePool } from '../ollama/engineHarness';
import { cli, ensureCliBuilt, readTr, snapshotTree, startCli, treeChanges, waitFor, watchMeta, writeExperiment } from './helpers';

describe('fault matrix: cancel by signal (CLI)', function () {
  this.timeout(120_000);
  const pool = new EnginePool();
  let fast: EngineHandle;
  let slow: EngineHandle;
  // A call on the slow engine takes 50 ms + 200 tokens / 20 per s = 10 s: a signal lands mid-stream.
  const SLOW = { ttftMs: 50, tokensPerSec: 20, tokens: 200 };

  before(async () => {
    ensureCliBuilt();
    [fast, slow] = await Promise.all([
      pool.start({ mode: 'paced', paced: { ttftMs: 10, tokensPerSec: 200, tokens: 8 } }),
      pool.start({ mode: 'paced', paced: SLOW }),
    ]);
  });
  after(() => pool.stopAll());

  it('SIGTERM between runs: exit 130, cancelled TR, finished runs intact', async () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'a.experiment.json', { title: 'sigterm', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 50, warmup: 0 });
    const watch = watchMeta(join(ws.reportsDir, 'TR1', 'meta.json'));
    const p = startCli(['run', f, '--endpoint', `default=${fast.url}`], ws.dir);
    await waitFor(() => /run 3\/50/.test(p.stderrSoFar()), 60_000, 'run 3 to finish');
    p.child.kill('SIGTERM');
    const r = await p.done;
    await watch.stop();
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /SIGTERM: cancelling/);
    const { meta, runs } = readTr(join(ws.reportsDir, 'TR1'));
    assert.equal(meta.status, 'cancelled');
    assert.ok(meta.finishedAt);
    assert.ok(runs.length >= 3 && runs.length < 50, `${runs.length} runs`);
    const ok = runs.filter((x) => x.status === 'ok');
    assert.ok(ok.length >= 3);
    assert.equal(meta.counts.completed, ok.length);
    assert.deepEqual(watch.failures, []);
    assert.deepEqual(watch.statuses, ['running', 'cancelled']);
  });

  it('kill -9 while a call streams: finished runs intact, list says interrupted, report builds a PARTIAL report', async () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'k.experiment.json', { title: 'kill -9', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 40, warmup: 0 });
    const watch = watchMeta(join(ws.reportsDir, 'TR1', 'meta.json'));
    const p = startCli(['run', f, '--endpoint', `default=${fast.url}`], ws.dir);
    await waitFor(() => /run 3\/40/.test(p.stderrSoFar()), 60_000, 'run 3 to finish');
    // The next call starts right away; wait until it is at the server, then kill without warning.
    await waitFor(async () => (await fast.stats()).inFlight === 1, 10_000, 'the next call in flight');
    p.child.kill('SIGKILL');
    const r = await p.done;
    await watch.stop();
    assert.equal(r.signal, 'SIGKILL');
    const { meta, runs } = readTr(join(ws.reportsDir, 'TR1'));
    assert.equal(meta.status, 'running');
    assert.ok(runs.length >= 3 && runs.length < 40, `${runs.length} runs`);
    for (const run of runs) assert.equal(run.status, 'ok');
    assert.equal(meta.counts.completed, runs.length);
    assert.deepEqual(watch.failures, []);
    const list = await cli(['list'], ws.dir);
    assert.match(list.stdout, /^TR1\s+interrupted\s+prompt/m);
    const rep = await cli(['report', 'TR1'], ws.dir);
    assert.equal(rep.code, 0, rep.stderr);
    const md = readFileSync(join(ws.reportsDir, 'Technical_Report_1.md'), 'utf8');
    assert.match(md, /\*\*PARTIAL — interrupted\.\*\*/);
  });

  it('a second SIGTERM while the first is being handled exits at once, files still valid', async () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'b.experiment.json', { title: 'double', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 3, warmup: 0 });
    const p = startCli(['run', f, '--endpoint', `default=${slow.url}`], ws.dir);
    await waitFor(async () => (await slow.stats()).inFlight === 1, 60_000, 'the call to reach the engine');
    p.child.kill('SIGTERM');
    p.child.kill('SIGTERM');
    const r = await p.done;
    assert.equal(r.code, 130, r.stderr);
    const { meta } = readTr(join(ws.reportsDir, 'TR1'));
    assert.ok(['running', 'cancelled'].includes(meta.status), meta.status);
  });

  it('SIGTERM while the endpoint is being checked (before any TR exists): exit 130, nothing written', async () => {
    let asked = false;
    // Never answers; the first request shows the CLI is inside its endpoint check (signal handlers set).
    const silent = createServer(() => { asked = true; });
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
    try {
      const ws = makeWorkspace(false);
      const f = writeExperiment(ws.dir, 'p.experiment.json', { title: 'preflight cancel', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 2, warmup: 0 });
      const before = snapshotTree(ws.dir);
      const p = startCli(['run', f, '--endpoint', `default=http://127.0.0.1:${(silent.address() as { port: number }).port}`], ws.dir);
      await waitFor(() => asked, 30_000, 'the endpoint check to start');
      p.child.kill('SIGTERM');
      const r = await p.done;
      assert.equal(r.code, 130, r.stderr);
      assert.deepEqual(treeChanges(before, snapshotTree(ws.dir)), []);
    } finally {
      silent.closeAllConnections();
      await new Promise((res) => silent.close(res));
    }
  });

  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    it(`${sig} while a streamed call is in flight: the request is aborted, the run recorded as cancelled`, async () => {
      const ws = makeWorkspace(false);
      const f = writeExperiment(ws.dir, 'slow.experiment.json', { title: `mid-stream ${sig}`, kind: 'prompt', model: 'tiny:latest', prompts: ['a long answer please'], repetitions: 3, warmup: 0 });
      const watch = watchMeta(join(ws.reportsDir, 'TR1', 'meta.json'));
      const p = startCli(['run', f, '--endpoint', `default=${slow.url}`], ws.dir);
      // In flight, and past its first tokens (TTFT is 50 ms, a token every 50 ms).
      await waitFor(async () => (await slow.stats()).inFlight === 1, 60_000, 'the call to reach the engine');
      await new Promise((res) => setTimeout(res, 600));
      p.child.kill(sig);
      const r = await p.done;
      await watch.stop();
      assert.equal(r.code, 130, r.stderr);
      // The server saw the connection close: nothing is in flight right after the CLI exited, though the
      // call had about 9 s of its schedule left.
      await waitFor(async () => (await slow.stats()).inFlight === 0, 3_000, 'the engine to see the request aborted');
      const { meta, runs } = readTr(join(ws.reportsDir, 'TR1'));
      assert.equal(meta.status, 'cancelled');
      assert.equal(runs.length, 1);
      const [run] = runs;
      assert.equal(run.status, 'cancelled');
      assert.equal(run.valid, false);
      assert.equal(run.calls[0].error?.code, 'E_ABORTED');
      // The tokens that did arrive are kept with their timings.
      const chunks = run.calls[0].client.chunkMs.length;
      assert.ok(chunks >= 1 && chunks < SLOW.tokens, `${chunks} chunks before the cancel`);
      assert.equal(meta.counts.cancelled, 1);
      assert.equal(meta.counts.completed, 0);
      assert.deepEqual(watch.failures, []);
      assert.deepEqual(watch.statuses, ['running', 'cancelled']);
    });
  }
});
