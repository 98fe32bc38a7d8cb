// Resource samples around runs. No GPU exists here: nvidia-smi is replaced by a FAKE script on PATH
// (named as such) that prints the CSV nvidia-smi prints; /api/ps comes from the real engine.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { GpuSampler } from '../../../src/core/runner/resources';
import { systemClock } from '../../../src/core/ports';
import { readRunsSync } from '../../../src/core/store/read';
import { makeWorkspace } from '../../helpers/workspace';

function fakeNvidiaSmi(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-fake-nvsmi-'));
  const f = join(dir, 'nvidia-smi');
  writeFileSync(f, '#!/bin/sh\necho "FAKE GPU (test double), 12282, 3400, 97, 71, 120.5, 2505, 560.94"\n');
  chmodSync(f, 0o755);
  return dir;
}

describe('resource samples around runs', function () {
  this.timeout(60_000);
  let engine: EngineHandle;
  const path = process.env.PATH;
  before(async () => {
    engine = await startEngine({ mode: 'paced', paced: { ttftMs: 10, tokensPerSec: 200, tokens: 10 } });
  });
  after(async () => {
    process.env.PATH = path;
    await engine?.stop();
  });

  it('keeps maxima of the samples taken during a run, and nothing without a GPU', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-gpu-'));
    let util = 10;
    const probe = async () => [{ name: 'FAKE', utilizationPct: (util += 40), memoryUsedMb: 1000 + util, temperatureC: 60, powerW: 100 }];
    const s = (await GpuSampler.start(dir, systemClock, 20, probe))!;
    const t0 = systemClock.now();
    await new Promise((r) => setTimeout(r, 120));
    const sum = s.summaryBetween(t0, systemClock.now())!;
    s.stop();
    assert.ok(sum.samples >= 3, `${sum.samples} samples`);
    assert.equal(sum.util_max_pct, util);
    assert.equal(sum.mem_used_max_mb, 1000 + util);
    // gpu.jsonl holds every sample; the run's maxima only those asked for during it (not the start sample).
    assert.equal(readFileSync(join(dir, 'gpu.jsonl'), 'utf8').trim().split('\n').length, sum.samples + 1);
    assert.equal(await GpuSampler.start(dir, systemClock, 20, async () => []), null);
  });

  it('a sample from before the run (the previous run\'s load) never enters the run\'s maxima', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-gpu-'));
    // The first sample sees the previous run at 99 %; every sample asked for during this run sees 20 %.
    let first = true;
    const probe = async () => {
      const util = first ? 99 : 20;
      first = false;
      return [{ name: 'FAKE', utilizationPct: util, memoryUsedMb: util * 100, temperatureC: 60, powerW: 100 }];
    };
    const s = (await GpuSampler.start(dir, systemClock, 30, probe))!;
    await new Promise((r) => setTimeout(r, 5));
    const t0 = systemClock.now(); // the run starts 5 ms after the pre-run sample, well within one interval
    await new Promise((r) => setTimeout(r, 100));
    const sum = s.summaryBetween(t0, systemClock.now())!;
    s.stop();
    assert.ok(sum.samples >= 1);
    assert.equal(sum.util_max_pct, 20);
    assert.equal(sum.mem_used_max_mb, 2000);
    // A run shorter than one interval with no sample inside it: unknown (null), not the pre-run sample.
    const s2 = (await GpuSampler.start(dir, systemClock, 10_000, probe))!;
    const t1 = systemClock.now();
    assert.equal(s2.summaryBetween(t1 + 0.001, t1 + 1), null);
    s2.stop();
  });

  it('records /api/ps after each run and nvidia-smi maxima (fake nvidia-smi on PATH)', async () => {
    process.env.PATH = `${fakeNvidiaSmi()}${delimiter}${path}`;
    const ws = makeWorkspace(false);
    const x = normalizeExperiment({ title: 'res', kind: 'prompt', model: 'tiny:latest', endpoints: { default: engine.url }, prompts: ['a'], repetitions: 2, warmup: 0 });
    // Runs of ~2.5 s: nvidia-smi (sampled every second) is asked at least twice during each run.
    await engine.configure({ paced: { ttftMs: 10, tokensPerSec: 10, tokens: 25 } });
    const r = await runExperiment(x, { reportsDir: ws.reportsDir });
    await engine.configure({ paced: { ttftMs: 10, tokensPerSec: 200, tokens: 10 } });
    const runs = readRunsSync(r.trDir).runs;
    for (const run of runs) {
      assert.deepEqual(run.loadedModels?.map((m) => [m.endpoint, m.name]), [['default', 'tiny:latest']]);
      assert.ok(run.gpu && run.gpu.samples >= 2, `${run.gpu?.samples} samples during the run`);
      assert.equal(run.gpu?.util_max_pct, 97);
      assert.equal(run.gpu?.power_max_w, 120.5);
    }
    assert.match(readFileSync(join(r.trDir, 'gpu.jsonl'), 'utf8'), /FAKE GPU \(test double\)/);
    assert.equal(r.meta.environment.gpus[0].name, 'FAKE GPU (test double)');
    const off = await runExperiment(x, { reportsDir: ws.reportsDir, gpuSampling: false });
    assert.ok(readRunsSync(off.trDir).runs.every((run) => run.gpu === undefined && run.loadedModels === undefined));
  });
});
