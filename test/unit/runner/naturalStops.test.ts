// Natural stops against the paced engine: a model that ends its answer before maxTokens gives a valid,
// counted output (maxTokens is a cap); minOutputTokens makes shorter outputs invalid.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import type { OutputStats } from '../../../src/core/stats/outputs';
import { makeWorkspace } from '../../helpers/workspace';
import { readFileSync } from 'node:fs';
import { writeReport } from '../../../src/core/report/write';

describe('natural stops (paced engine)', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 1000, tokens: 64 } });
  });
  after(() => e.stop());

  // "short" ends its answer after 3 tokens (paced_tokens) although 64 are allowed; "full" runs to the cap.
  const experiment = (extra: Partial<ExperimentFile> = {}): ExperimentFile => ({
    title: 'stops', kind: 'prompt', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['a'], repetitions: 3, warmup: 0, maxTokens: 32, order: 'sequential',
    variants: [{ name: 'short', options: { paced_tokens: 3 } }, { name: 'full', options: {} }], ...extra,
  });

  it('an early EOS is valid, counted and shown with the output-length distribution', async () => {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment(experiment()), { reportsDir: ws.reportsDir, gpuSampling: false });
    assert.equal(r.status, 'complete');
    const runs = readRunsSync(r.trDir).runs;
    assert.ok(runs.every((x) => x.valid), runs.map((x) => x.invalidReason).join('; '));
    const meta = readMeta(r.trDir);
    assert.equal(meta.counts.invalid, 0);
    const outputs = (name: string): OutputStats => meta.summary.variants.find((v) => v.name === name)!.outputs as OutputStats;
    assert.deepEqual(outputs('short'), { calls: 3, natural_stops: 3, natural_stop_share: 1, length_stops: 0, low_precision_calls: 3, thinking_calls: 0, json_checked: 0, json_valid: 0, output_tokens: { n: 3, min: 3, median: 3, p95: 3, max: 3 } });
    assert.deepEqual(outputs('full'), { calls: 3, natural_stops: 0, natural_stop_share: 0, length_stops: 3, low_precision_calls: 0, thinking_calls: 0, json_checked: 0, json_valid: 0, output_tokens: { n: 3, min: 32, median: 32, p95: 32, max: 32 } });
    const report = readFileSync(writeReport(r.trDir, { charts: false }).reportFile, 'utf8');
    assert.match(report, /### Outputs and stops/);
    assert.match(report, /\| `short` \| 3 \| 3 \(100(\.0)?%\) \| 0 \| 3 \/ 3 \/ 3 \/ 3 \| 3 \| 0 \|/);
    assert.match(report, /No minOutputTokens is set/);
  });

  it('minOutputTokens makes shorter outputs invalid, with the reason', async () => {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment(experiment({ minOutputTokens: 10 })), { reportsDir: ws.reportsDir, gpuSampling: false });
    const runs = readRunsSync(r.trDir).runs;
    const short = runs.filter((x) => x.variant === 'short');
    assert.ok(short.every((x) => !x.valid && x.invalidReason === 'output too short: prompt generated 3 tokens, below minOutputTokens 10 (done_reason stop)'), short.map((x) => x.invalidReason).join('; '));
    assert.ok(runs.filter((x) => x.variant === 'full').every((x) => x.valid));
    assert.equal(readMeta(r.trDir).counts.invalid, 3);
  });
});
