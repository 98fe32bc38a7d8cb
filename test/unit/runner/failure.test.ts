// An exception mid-experiment (a throwing listener, a write that fails) must not leave meta.json
// `running` forever: the TR ends `failed` with the message, the runs already recorded stay, the files
// are closed, and the caller still sees the original error.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { makeWorkspace } from '../../helpers/workspace';

describe('runner: an exception mid-experiment finishes the TR as failed (real engine)', function () {
  this.timeout(60_000);
  let engine: EngineHandle;
  before(async () => {
    engine = await startEngine({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 1000, tokens: 5 } });
  });
  after(async () => engine.stop());

  const experiment = () => normalizeExperiment({ title: 'boom', kind: 'prompt', model: 'tiny:latest', endpoints: { default: engine.url }, prompts: ['a'], repetitions: 4, warmup: 0 });

  it('a listener that throws after the second run: failed with the message, two runs kept, error rethrown', async () => {
    const ws = makeWorkspace(false);
    let trDir = '';
    let finished = 0;
    await assert.rejects(
      runExperiment(experiment(), {
        reportsDir: ws.reportsDir, gpuSampling: false,
        onEvent: (ev) => {
          if (ev.type === 'experiment-started') trDir = ev.trDir;
          if (ev.type === 'run-finished' && ++finished === 2) throw new Error('listener exploded');
        },
      }),
      /listener exploded/,
    );
    const meta = readMeta(trDir);
    assert.equal(meta.status, 'failed');
    assert.equal(meta.writer, undefined, 'no live writer is claimed any more');
    assert.ok(meta.finishedAt);
    assert.deepEqual(meta.error, { code: 'E_INTERNAL', message: 'listener exploded' });
    assert.ok(meta.notes?.some((n) => n.includes('listener exploded')));
    assert.equal(meta.counts.completed, 2);
    assert.equal(readRunsSync(trDir).runs.length, 2);
    assert.equal(meta.summary.variants[0]?.n, 2, 'the summary holds the runs recorded before the error');
  });

  it('a store write that fails (summary.csv cannot be written): failed with the write error, not running', async () => {
    const ws = makeWorkspace(false);
    let trDir = '';
    await assert.rejects(
      runExperiment(experiment(), {
        reportsDir: ws.reportsDir, gpuSampling: false,
        onEvent: (ev) => {
          if (ev.type === 'experiment-started') {
            trDir = ev.trDir;
            // A folder where the summary goes: the final write fails as a full or broken disk would.
            mkdirSync(join(trDir, 'summary.csv', 'in-the-way'), { recursive: true });
          }
        },
      }),
      (e: unknown) => e instanceof Error && /EISDIR|ENOTEMPTY|EEXIST/.test(e.message),
    );
    const meta = readMeta(trDir);
    assert.equal(meta.status, 'failed');
    assert.match(meta.error?.message ?? '', /EISDIR|ENOTEMPTY|EEXIST/);
    assert.equal(readRunsSync(trDir).runs.length, 4, 'every run recorded before the failure stays');
    assert.equal(meta.summary.variants[0]?.n, 4);
  });
});
