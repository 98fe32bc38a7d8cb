// Conformance: keep_alive expiry on the engine (a real unload and reload, load_duration shows it) puts a
// model load inside measured runs; the harness marks them cold, leaves them out, counts and lists them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { writeReport } from '../../../src/core/report/write';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { makeWorkspace } from '../../helpers/workspace';

describe('conformance: keep_alive expiry → cold runs (paced engine)', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 1000, tokens: 8, loadMs: 300 } });
  });
  after(() => e.stop());

  // keep_alive 1 s and a 1.5 s cooldown: the model unloads between every two runs.
  const x = (extra: Partial<ExperimentFile> = {}): ExperimentFile => ({
    title: 'expiry', kind: 'prompt', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['a'], repetitions: 2, warmup: 1, keepAlive: '1s', cooldownMs: 1500, ...extra,
  });

  it('runs that reloaded the model are cold, excluded by default, counted and listed; the warning is recorded', async () => {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment(x()), { reportsDir: ws.reportsDir, gpuSampling: false });
    const runs = readRunsSync(r.trDir).runs;
    const measured = runs.filter((run) => !run.warmup);
    assert.equal(measured.length, 2);
    for (const run of measured) {
      assert.equal(run.cold, true, `run ${run.run} cold`);
      assert.equal(run.valid, true);
      assert.match(run.coldReason!, /^prompt loaded tiny:latest on default: load_ms \d+ ≥ coldThresholdMs 100; no load was planned/);
      assert.ok(run.calls[0].metrics!.load_ms! >= 300, 'load_duration shows the reload (plumbing check)');
    }
    const meta = readMeta(r.trDir);
    assert.equal(meta.counts.cold, 2);
    assert.deepEqual(meta.counts.excluded, { cold: 2 });
    assert.equal(meta.summary.variants[0].n, 0, 'cold runs are left out of the statistics');
    assert.ok(meta.notes?.some((n) => /cooldownMs 1500 exceeds keepAlive "1s"/.test(n)), JSON.stringify(meta.notes));
    const report = readFileSync(writeReport(r.trDir, { charts: false }).reportFile, 'utf8');
    assert.match(report, /\| cold: unplanned model load \| 2 \|/);
    assert.match(report, /cold \(unplanned model load\): prompt loaded tiny:latest/);
  });

  it('coldRuns "include" keeps them in the statistics and still counts them', async () => {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment(x({ coldRuns: 'include' })), { reportsDir: ws.reportsDir, gpuSampling: false });
    const meta = readMeta(r.trDir);
    assert.equal(meta.counts.cold, 2);
    assert.equal(meta.counts.excluded, undefined);
    assert.equal(meta.summary.variants[0].n, 2);
  });

  it('without expiry (default keep_alive) measured runs are warm and counted', async () => {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment(x({ keepAlive: undefined, cooldownMs: 0 })), { reportsDir: ws.reportsDir, gpuSampling: false });
    const meta = readMeta(r.trDir);
    assert.equal(meta.counts.cold, undefined, 'no cold run');
    assert.equal(meta.summary.variants[0].n, 2);
    assert.equal(meta.notes, undefined);
  });
});
