// Multi-agent: every agent's input walk happens before the start barrier, so the agents start together
// and the concurrent wall time holds only their work. The walk is synchronous: done after the barrier it
// made each agent wait for the previous agents' walks (a start offset of about one walk per agent).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readRunsSync } from '../../../src/core/store/read';
import { makeWorkspace } from '../../helpers/workspace';

describe('multi-agent: inputs are ingested before the start barrier (real engines)', function () {
  this.timeout(120_000);
  const engines: EngineHandle[] = [];
  after(async () => Promise.all(engines.map((e) => e.stop())));

  it('the second agent does not wait for the first agent\'s walk; ingest is recorded outside the wall time', async () => {
    const paced = { ttftMs: 20, tokensPerSec: 200, tokens: 10 };
    engines.push(await startEngine({ mode: 'paced', paced }), await startEngine({ mode: 'paced', paced }));
    const ws = makeWorkspace(false);
    // Enough files that one walk takes far longer than the agents' starts in one tick.
    for (let d = 0; d < 40; d++) {
      mkdirSync(join(ws.dir, 'data', `d${d}`), { recursive: true });
      for (let f = 0; f < 50; f++) writeFileSync(join(ws.dir, 'data', `d${d}`, `f${f}.csv`), `model,tokens_s\nm${f},${d + f}\n`);
    }
    const workflow = { type: 'steps' as const, inputs: ['data/**/*.csv'], steps: [{ name: 'analysis', prompt: 'Files: {{files}}' }] };
    const x = normalizeExperiment({
      title: 'ingest', kind: 'multi-agent', model: 'tiny:latest', endpoints: { default: engines[0].url, b: engines[1].url }, repetitions: 2, warmup: 0,
      sequentialBaseline: false, workflow, agents: [{ name: 'collector', endpoint: 'default' }, { name: 'insight', endpoint: 'b' }],
    }, { workspaceDir: ws.dir });
    const r = await runExperiment(x, { reportsDir: ws.reportsDir, gpuSampling: false });
    const runs = readRunsSync(r.trDir).runs.filter((run) => run.multiAgent);
    assert.equal(runs.length, 2);
    for (const run of runs) {
      assert.equal(run.valid, true, run.invalidReason);
      const [a, b] = run.agents!;
      assert.deepEqual([a.filesIngested, b.filesIngested], [2000, 2000]);
      const walk = Math.min(a.stages!.ingest, b.stages!.ingest);
      assert.ok(walk > 0, 'the walk was timed');
      // Before: insight started only after collector's walk (offset ≥ one walk).
      assert.ok(b.startOffsetMs < walk / 2, `insight started ${b.startOffsetMs} ms after collector; one walk takes ${walk} ms`);
      // The agents' wall and stages.total hold the calls only: the walk is not inside them.
      assert.ok(Math.abs(a.stages!.total - a.wallMs) < 1e-6);
      assert.ok(run.multiAgent!.concurrent_wall_ms <= Math.max(a.wallMs, b.wallMs) + b.startOffsetMs + 1e-6);
    }
  });
});
