// Adaptive repetitions end to end on the real engine (fault mode = paced + injected stalls). The noise
// is real: the engine stalls a seeded half of its responses for 300 ms after token 10. A variant of 6
// tokens at 20 tok/s has sent all its tokens by then (its client decode rate keeps to the schedule, give
// or take this machine's timer jitter: quiet); one of 20 tokens at 100 tok/s is stalled mid-stream in
// about half of its runs (its client decode rate swings between ~100 and ~39 tok/s: noisy). The target
// (±15%) leaves room for one late timer among the quiet runs; the noisy spread stays far above it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import type { RunnerEvent } from '../../../src/core/runner/events';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { prepareReport } from '../../../src/core/report/write';
import { makeWorkspace } from '../../helpers/workspace';

const QUIET = { name: 'quiet', options: { paced_tokens: 6, paced_tps: 20 } };
const NOISY = { name: 'noisy', options: { paced_tokens: 20 } };

describe('adaptive repetitions on the engine', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'fault', paced: { ttftMs: 20, tokensPerSec: 100, tokens: 20 }, fault: { kind: 'stall', stallMs: 300, atToken: 10, probability: 0.5, seed: 7 } });
  });
  after(async () => e?.stop());

  const experiment = (over: Partial<ExperimentFile>): ExperimentFile => ({
    title: 'adaptive', kind: 'prompt', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['a', 'b'], warmup: 1,
    repetitions: { min: 4, max: 10, until: { metric: 'client_decode_tps', ciHalfWidthPct: 15 } }, ...over,
  });

  it('sequential: the quiet variant stops before max (target met), the noisy one runs to max; meta.json and the report say why', async () => {
    const ws = makeWorkspace(false);
    const events: RunnerEvent[] = [];
    const r = await runExperiment(normalizeExperiment(experiment({ order: 'sequential', variants: [QUIET, NOISY] })), { reportsDir: ws.reportsDir, onEvent: (ev) => events.push(ev), gpuSampling: false });
    assert.equal(r.status, 'complete');
    const stats = await e.stats();
    assert.ok(stats.faultsInjected > 0, 'the engine stalled some responses');
    const meta = readMeta(r.trDir);
    const a = meta.adaptive!;
    assert.equal(a.stopped, 'max-reached');
    const [quiet, noisy] = a.variants;
    assert.equal(quiet.met, true, `quiet ±${quiet.halfWidthPct}%`);
    assert.ok(quiet.repetitions < 10, `quiet stopped after ${quiet.repetitions} of max 10`);
    assert.equal(noisy.repetitions, 10);
    assert.equal(noisy.met, false, `noisy ±${noisy.halfWidthPct}%`);
    const runs = readRunsSync(r.trDir).runs;
    const measured = (v: string): number => runs.filter((x) => x.variant === v && !x.warmup).length;
    assert.equal(measured('quiet'), quiet.repetitions);
    assert.equal(measured('noisy'), 10);
    assert.equal(meta.counts.planned, runs.length, 'planned grew with the added runs');
    assert.deepEqual(runs.map((x) => x.run), runs.map((_, i) => i), 'runs numbered in order');
    // Sequential order kept: every quiet run before every noisy one.
    assert.ok(runs.findLastIndex((x) => x.variant === 'quiet') < runs.findIndex((x) => x.variant === 'noisy'));
    // The check's half-width is the summary's CI of the same metric over the same runs.
    const s = meta.summary.variants.find((v) => v.name === 'noisy') as unknown as { client_decode_tps: { mean: number; ci95: [number, number]; n: number } };
    const hw = ((s.client_decode_tps.ci95[1] - s.client_decode_tps.ci95[0]) / 2 / s.client_decode_tps.mean) * 100;
    assert.ok(Math.abs(hw - noisy.halfWidthPct!) < 1e-9);
    const checks = events.filter((ev) => ev.type === 'adaptive-check');
    assert.equal(checks.length, a.checks.length);
    assert.equal(checks.at(-1)!.type === 'adaptive-check' && checks.at(-1)!.decision, 'stop');
    const report = prepareReport(r.trDir, ws.reportsDir, false).markdown;
    assert.match(report, /Adaptive repetitions/);
    assert.match(report, /stopped at max 10 repetitions: noisy ±/);
  });

  it('interleaved, quiet only: stops before max with the target met', async () => {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment(experiment({ variants: [QUIET, { name: 'quiet2', options: { paced_tokens: 7, paced_tps: 20 } }] })), { reportsDir: ws.reportsDir, gpuSampling: false });
    const meta = readMeta(r.trDir);
    assert.equal(meta.adaptive!.stopped, 'target-met', meta.adaptive!.reason);
    assert.match(meta.adaptive!.reason, /^every variant's 95% CI half-width of client_decode_tps was ≤ 15%/);
    const reps = meta.adaptive!.variants.map((v) => v.repetitions);
    assert.equal(reps[0], reps[1], 'interleaved rounds keep the variants level');
    assert.ok(reps[0] < 10, `stopped after ${reps[0]}`);
    assert.equal(readRunsSync(r.trDir).runs.filter((x) => !x.warmup).length, reps[0] * 2);
    assert.equal(JSON.parse(readFileSync(join(r.trDir, 'meta.json'), 'utf8')).adaptive.until.metric, 'client_decode_tps');
  });
});
