// Long runs hold steady (issue 17): what the runner, its result and the live views keep does not grow
// with the number of runs. Counted in retained objects, never in RSS or time (the machine is noisy).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { runExperiment, type RunResult } from '../../../src/core/runner/runExperiment';
import { GpuSampler } from '../../../src/core/runner/resources';
import type { RunnerEvent } from '../../../src/core/runner/events';
import { MAX_LISTED_OUTLIERS } from '../../../src/core/stats/table';
import { systemClock } from '../../../src/core/ports';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { recomputeSummary } from '../../../src/core/report/recompute';
import { SummaryAccumulator } from '../../../src/core/stats/accumulator';
import { applyLiveEvent, emptyLiveState, LIVE_WINDOW_POINTS, LIVE_WINDOW_RUNS } from '../../../src/shared/liveState';
import { LiveStamper } from '../../../src/vscode/dashboard/batcher';
import { makeWorkspace } from '../../helpers/workspace';
import { experimentEvents } from '../webview/liveEvents';

/** The longest array anywhere in a JSON-like value: per-run data held in a result would show up here. */
function longestArray(v: unknown): number {
  if (Array.isArray(v)) return Math.max(v.length, ...v.map(longestArray));
  if (v && typeof v === 'object') return Math.max(0, ...Object.values(v).map(longestArray));
  return 0;
}

describe('bounded memory over many runs', function () {
  this.timeout(120_000);
  let engine: EngineHandle;
  before(async () => {
    engine = await startEngine({ mode: 'paced', paced: { ttftMs: 1, tokensPerSec: 5000, tokens: 4 } });
  });
  after(async () => {
    await engine?.stop();
  });

  async function run(repetitions: number): Promise<{ r: RunResult; events: number }> {
    const ws = makeWorkspace(false);
    const x = normalizeExperiment({ title: 'many', kind: 'prompt', model: 'tiny:latest', endpoints: { default: engine.url }, prompts: ['a', 'b'], repetitions, warmup: 0, variants: [{ name: 'A', options: {} }, { name: 'B', options: { temperature: 0.5 } }] });
    let events = 0;
    const r = await runExperiment(x, { reportsDir: ws.reportsDir, gpuSampling: false, onEvent: () => events++ });
    return { r, events };
  }

  it('the run result holds no run records: its size does not grow from 10 to 300 runs; runs.jsonl has them all', async () => {
    const small = await run(5);
    const large = await run(150);
    assert.deepEqual(Object.keys(large.r).sort(), ['meta', 'status', 'trDir', 'trId']);
    assert.equal(large.r.meta.counts.completed, 300);
    assert.equal(readRunsSync(large.r.trDir).runs.length, 300, 'every run is on disk');
    // The summary has the same shape whatever the run count: no array as long as the runs (or calls).
    // (outlier run numbers are listed up to MAX_LISTED_OUTLIERS per metric: a fixed cap.)
    assert.ok(longestArray(large.r) <= MAX_LISTED_OUTLIERS, `longest array in the result after 300 runs: ${longestArray(large.r)}`);
    const size = (r: RunResult): number => JSON.stringify(r).length;
    assert.ok(size(large.r) < size(small.r) * 1.2, `result ${size(small.r)} B after 10 runs, ${size(large.r)} B after 300`);
    // The statistics are the streaming accumulator's: the same counts as the files say.
    assert.equal(large.r.meta.summary.variants.map((v) => v.n).join(','), '150,150');
  });

  it('without adaptive repetitions nothing of the runs is kept while they run: the summary is one pass over runs.jsonl at the end', async () => {
    // SummaryAccumulator keeps per-run columns (exact percentiles): fed during the run, the CLI grew
    // ~4 KB a 16-agent run (60-minute soak, 52,326 runs). Every add() must come after the last run.
    const ws = makeWorkspace(false);
    const x = normalizeExperiment({ title: 'after', kind: 'prompt', model: 'tiny:latest', endpoints: { default: engine.url }, prompts: ['a'], repetitions: 20, warmup: 0, variants: [{ name: 'A', options: {} }, { name: 'B', options: { temperature: 0.5 } }] });
    const add = SummaryAccumulator.prototype.add;
    let finished = 0;
    let addsDuringRuns = 0;
    let addsAfter = 0;
    SummaryAccumulator.prototype.add = function (this: SummaryAccumulator, r) {
      if (finished < 40) addsDuringRuns++;
      else addsAfter++;
      add.call(this, r);
    };
    let r: RunResult;
    try {
      r = await runExperiment(x, { reportsDir: ws.reportsDir, gpuSampling: false, onEvent: (e) => { if (e.type === 'run-finished') finished++; } });
    } finally {
      SummaryAccumulator.prototype.add = add;
    }
    assert.equal(finished, 40);
    assert.equal(addsDuringRuns, 0, 'the runner fed an accumulator while runs were going');
    assert.equal(addsAfter, 40, 'one pass over the 40 runs of runs.jsonl');
    assert.deepEqual(r.meta.summary, recomputeSummary(readMeta(r.trDir), readRunsSync(r.trDir).runs), 'the summary is the one the report recomputes from the file');
  });

  it('the live state keeps bounded windows: latest runs, latest points per series, no finished streams', () => {
    const s = emptyLiveState();
    const stamper = new LiveStamper(() => 0);
    const runs = LIVE_WINDOW_RUNS * 3;
    for (const e of experimentEvents({ runs, variants: ['A'], agents: ['a1', 'a2', 'a3', 'a4'], callsPerRun: 2, updatesPerCall: 3 })) applyLiveEvent(s, stamper.stamp(e));
    assert.equal(s.done, runs);
    assert.equal(s.runs.length, LIVE_WINDOW_RUNS);
    assert.equal(s.runs.at(-1)!.run, runs, 'the latest runs are the ones kept');
    for (const list of [...Object.values(s.tokens), ...Object.values(s.ttft)]) assert.ok(list.length <= LIVE_WINDOW_POINTS, `${list.length} points`);
    assert.ok(Object.values(s.tokens).some((l) => l.length === LIVE_WINDOW_POINTS), 'windows are full: the trim is what bounds them');
    assert.deepEqual(Object.keys(s.streams), []);
    assert.equal((stamper as unknown as { last: Map<string, unknown> }).last.size, 0, 'the stamper forgets finished runs');
  });

  it('a trim keeps an open stream pointing at its own point', () => {
    const s = emptyLiveState();
    const stamper = new LiveStamper(() => 0);
    const events = experimentEvents({ runs: LIVE_WINDOW_POINTS + 5, variants: ['A'], callsPerRun: 1, updatesPerCall: 3 });
    for (const e of events.slice(0, -1)) applyLiveEvent(s, stamper.stamp(e));
    // One more run streams while the window is full: its point is updated in place, not duplicated.
    const run = LIVE_WINDOW_POINTS + 10;
    const tokens = (n: number): RunnerEvent => ({ type: 'tokens', run, variant: 'A', stage: 'generate', tokens: n, elapsedMs: 30 + n * 10, tps: ((n - 1) * 1000) / (n * 10) });
    applyLiveEvent(s, stamper.stamp(tokens(9)));
    applyLiveEvent(s, stamper.stamp(tokens(13)));
    const list = s.tokens.A;
    assert.equal(list.length, LIVE_WINDOW_POINTS + 1);
    assert.equal(list.filter((p) => p.run === run).length, 1);
    applyLiveEvent(s, stamper.stamp({ type: 'run-finished', run, variant: 'A', warmup: false, status: 'ok', valid: true, wallMs: 1, done: run, planned: run, etaMs: 0 }));
    assert.equal(s.tokens.A.length, LIVE_WINDOW_POINTS);
    assert.equal(s.tokens.A.at(-1)!.run, run);
  });

  it('the GPU sampler keeps only the samples of the current run (FAKE probe: no GPU here)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-gpu-bounded-'));
    const probe = async () => [{ name: 'FAKE', utilizationPct: 50, memoryUsedMb: 1000, temperatureC: 60, powerW: 100 }];
    const s = (await GpuSampler.start(dir, systemClock, 5, probe))!;
    try {
      for (let i = 0; i < 20; i++) {
        const t0 = systemClock.now();
        await new Promise((r) => setTimeout(r, 25));
        assert.ok(s.summaryBetween(t0, systemClock.now())!.samples >= 1);
        assert.ok(s.held <= 12, `${s.held} samples held after run ${i}`);
      }
    } finally {
      s.stop();
    }
  });
});
