// The capacity kind end to end against the paced engine with known slots: the numbers asserted follow
// from the schedule (service time S = ttft + tokens/rate, slots = --parallel), not from the engine's
// reports, so a wrong formula or a late load generator makes these fail.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { knee, type CapacitySummary } from '../../../src/core/capacity/summary';
import type { RunnerEvent } from '../../../src/core/runner/events';
import { makeWorkspace } from '../../helpers/workspace';
import { cli, requireBuiltCli } from '../../helpers/cli';
import { demoSummaryLines } from '../../../src/cli/demoSummary';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const T = 50; // paced ttft (ms)
const TPS = 200;
const TOKENS = 10;
// A request holds its slot from ttft to the done line, written with the last token (engine/README.md):
// S = T + (n−1)·1000/r = 95 ms.
const S = T + ((TOKENS - 1) * 1000) / TPS;
const D = 3; // durationS
const SLOTS = 2;

describe('capacity kind (paced engine, known slots)', function () {
  this.timeout(180_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'paced', parallel: SLOTS, paced: { ttftMs: T, tokensPerSec: TPS, tokens: TOKENS, loadMs: 0 } });
  });
  after(async () => e?.stop());

  it('concurrency sweep: throughput flat beyond the slots, p95 TTFT grows with the queue, knee and max level where the schedule puts them', async () => {
    const ws = makeWorkspace(false);
    const file: ExperimentFile = {
      title: 'capacity paced', kind: 'capacity', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['hello'], repetitions: 2,
      load: { mode: 'concurrency', levels: [1, 2, 4, 8, 16], durationS: D, warmupS: 0.5 },
      // Expected p95 TTFT per level: T + (L/SLOTS − 1)·S for L ≥ SLOTS → 50, 50, 145, 335: level 8 breaks 250.
      slo: { ttft_ms: { p95: 250 } },
    };
    const events: RunnerEvent[] = [];
    const r = await runExperiment(normalizeExperiment(file), { reportsDir: ws.reportsDir, gpuSampling: false, onEvent: (ev) => events.push(ev) });
    assert.equal(r.status, 'complete');
    const meta = readMeta(r.trDir);
    const cap = meta.summary.capacity as CapacitySummary;
    assert.equal(cap.mode, 'concurrency');
    const v = cap.variants[0];
    assert.deepEqual(v.levels.map((l) => l.level), [1, 2, 4, 8], 'level 16 skipped after level 8 broke the SLO');
    assert.equal(meta.counts.skipped, 2);
    assert.equal(v.stopped_early?.reason, 'slo');
    assert.equal(v.stopped_early?.level, 8);
    const at = (L: number) => v.levels.find((l) => l.level === L)!;
    // The checks are about the schedule, not this machine's speed (a loaded 2-core machine stretches
    // every hold and adds stalls; a level-1 request here took 115 ms for a 95 ms schedule). Three kinds:
    // (1) exact bounds — timers only fire late, so holds are ≥ S and TTFTs ≥ T plus the holds waited;
    // (2) identities of a closed loop — each completion starts the next request on its worker, so the
    //     completions in the window (throughput) equal the starts in it (achieved_rps) up to the L
    //     workers at the window's edges;
    // (3) the queue drains at the measured rate — with SLOTS slots busy, a request at level L waits for
    //     the L − SLOTS ahead of it: TTFT p50 ≈ T(level 1) + (L − SLOTS) / throughput(L). That holds at
    //     any speed, and only if the engine really serves SLOTS at a time.
    const tObs = at(1).ttft_ms!.p50.mean;
    assert.ok(at(1).e2e_ms!.p50.mean >= S - 1 && tObs >= T - 1, `level 1 e2e ${at(1).e2e_ms!.p50.mean} ≥ S ${S} and ttft ${tObs} ≥ T ${T}: timers never fire early`);
    const mostPerSlot = (Math.floor((D * 1000) / S) + 1) / D;
    for (const L of [1, 2, 4, 8]) {
      const thr = at(L).throughput_rps.mean;
      assert.ok(thr <= Math.min(L, SLOTS) * mostPerSlot, `throughput at ${L}: ${thr} > the most ${Math.min(L, SLOTS)} slot(s) of ${S} ms fit`);
      assert.ok(Math.abs(thr - at(L).achieved_rps.mean) <= (L + 0.5) / D, `closed loop at ${L}: completions ${thr}/s vs starts ${at(L).achieved_rps.mean}/s in the window`);
    }
    for (const L of [2, 4, 8]) {
      const least = T + (L / SLOTS - 1) * S;
      const drained = tObs + ((L - SLOTS) * 1000) / at(L).throughput_rps.mean;
      const p50 = at(L).ttft_ms!.p50.mean;
      assert.ok(p50 >= least - 2, `p50 ttft at ${L}: ${p50} < schedule ${least}`);
      assert.ok(at(L).ttft_ms!.p95.mean >= least - 2, `p95 ttft at ${L}: ${at(L).ttft_ms!.p95.mean} < schedule ${least}`);
      assert.ok(Math.abs(p50 - drained) <= 0.15 * drained + 10, `p50 ttft at ${L}: ${p50} vs ${tObs} + ${L - SLOTS} / throughput = ${drained}`);
    }
    assert.ok(at(4).ttft_ms!.p50.mean > at(2).ttft_ms!.p50.mean && at(8).ttft_ms!.p50.mean > at(4).ttft_ms!.p50.mean, 'TTFT grows with the queue');
    assert.ok(at(8).queue_ms!.p50.mean > at(2).queue_ms!.p50.mean + S, 'queue_ms shows the slot wait');
    assert.ok(at(8).server_residual_ms!.p95.mean > 2 * S * 0.9, `server_residual_ms at 8 holds the slot wait (${at(8).server_residual_ms!.p95.mean})`);
    // output_tps = throughput × tokens per request (Σ eval_count / window).
    assert.ok(Math.abs(at(4).output_tps.mean - at(4).throughput_rps.mean * TOKENS) < 1e-6);
    // The knee: the summary applies the rule to the levels it built from the raw records. Where it
    // lands between 2 and 4 depends on how much this machine's turnaround left slots idle at 2; never 1
    // (level 2 fills a second slot: output about doubles).
    assert.equal(v.knee, knee(v.levels).value);
    assert.notEqual(v.knee, 1);
    // The SLO (p95 TTFT ≤ 250): 8 breaks it by the schedule alone (p95 ≥ T + 3S = 335, exact); 1 and 2
    // meet it (50 ms asked; a stall of 200 ms on ≥ 5% of requests would be needed to break them); 4
    // (145 ms asked) meets it unless stalls pushed its p95 past 250 — then the verdict says so.
    const meets4 = at(4).ttft_ms!.p95.mean <= 250;
    assert.deepEqual([at(1), at(2), at(4), at(8)].map((l) => l.meets_slo), [true, true, meets4, false]);
    assert.equal(v.max_level_meeting_slo, meets4 ? 4 : 2);
    assert.ok(at(4).ttft_ms!.p95.ci95 !== null, 'CI across 2 repetitions');
    // Goodput counts requests with TTFT ≤ 250: at 8 every steady request waits three holds (≥ 335 ms,
    // exact); at 1 nothing waits (50 ms asked).
    assert.ok(at(1).goodput_pct!.mean >= 80, `goodput at 1: ${at(1).goodput_pct!.mean}`);
    assert.ok(at(8).goodput_pct!.mean < 50, 'at 8 most requests wait 3 slots (335 ms > 250)');
    assert.equal(at(8).in_flight_max, 8);
    assert.equal(at(8).errors, 0);
    // The send lag is measured (bench/ measures how small it is; here only: below one service time, or
    // the latencies above would describe the generator, not the server).
    assert.ok(at(8).send_lag_ms!.p50.mean < at(1).e2e_ms!.p50.mean, `send lag p50 ${at(8).send_lag_ms!.p50.mean}`);
    // Raw records: warm-up requests recorded, not counted.
    const runs = readRunsSync(r.trDir).runs;
    assert.equal(runs.length, 8);
    const first = runs[0].capacity!;
    assert.ok(first.requests.some((q) => q.warmup) && first.requests.some((q) => !q.warmup));
    assert.equal(at(1).requests, runs.filter((x) => x.capacity!.level === 1).reduce((s, x) => s + x.capacity!.requests.filter((q) => !q.warmup).length, 0));
    assert.ok(events.some((ev) => ev.type === 'capacity-progress' && ev.level === 8 && ev.inFlight === 8), 'live progress shows 8 in flight');
  });

  it('rate mode below capacity: the achieved rate and the throughput equal the rate asked', async () => {
    const ws = makeWorkspace(false);
    const file: ExperimentFile = {
      title: 'capacity rate', kind: 'capacity', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['hello'], repetitions: 1,
      load: { mode: 'rate', rates: [5, 10], arrival: 'constant', durationS: 3, warmupS: 0.5 },
    };
    const r = await runExperiment(normalizeExperiment(file), { reportsDir: ws.reportsDir, gpuSampling: false });
    assert.equal(r.status, 'complete');
    const cap = readMeta(r.trDir).summary.capacity as CapacitySummary;
    for (const l of cap.variants[0].levels) {
      assert.ok(Math.abs(l.achieved_rps.mean - l.level) / l.level < 0.04, `achieved ${l.achieved_rps.mean} vs asked ${l.level}`);
      assert.ok(Math.abs(l.throughput_rps.mean - l.level) / l.level < 0.1, `throughput ${l.throughput_rps.mean} vs asked ${l.level}`);
      // Below capacity (utilisation ≤ 0.5, constant arrivals 100 ms ≥ S apart) nothing waits: TTFT ≈ T.
      assert.ok(l.ttft_ms!.p50.mean < T + 20, `p50 ttft ${l.ttft_ms!.p50.mean}`);
      // A stall delays the tail of the send lag, not its median.
      assert.ok(l.send_lag_ms!.p50.mean >= 0 && l.send_lag_ms!.p50.mean < S, `send lag p50 ${l.send_lag_ms!.p50.mean}`);
    }
    assert.equal(cap.variants[0].max_level_meeting_slo, null);
    assert.equal(cap.variants[0].max_level_reason, 'no slo declared');
    // The demo's closing lines: the verdict and output_tps per level, never one decode_tps mean pooled over the levels.
    const lines = demoSummaryLines([r]);
    assert.ok(lines.some((l) => l.includes('default: no SLO declared')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes(`output_tps by level (requests/s): 5: ${cap.variants[0].levels[0].output_tps.mean.toFixed(1)}`)), lines.join('\n'));
    assert.ok(!lines.some((l) => /decode_tps/.test(l)), lines.join('\n'));
  });

  it('CLI: chimeraforge run <capacity experiment> --json carries summary.capacity; exit 0', () => {
    requireBuiltCli();
    const ws = makeWorkspace(false);
    const file = join(ws.dir, 'cap.experiment.json');
    writeFileSync(file, JSON.stringify({ title: 'cli capacity', kind: 'capacity', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['hi'], repetitions: 1, load: { mode: 'concurrency', levels: [1, 4], durationS: 1, warmupS: 0.2 } }));
    const r = cli(['run', file, '--json', '--reports-dir', ws.reportsDir, '--no-gpu-sampling'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { summary: { capacity: CapacitySummary }; reportFile: string };
    assert.deepEqual(out.summary.capacity.variants[0].levels.map((l) => l.level), [1, 4]);
    assert.ok(out.summary.capacity.variants[0].levels[1].throughput_rps.mean > out.summary.capacity.variants[0].levels[0].throughput_rps.mean);
    // The report: a Capacity section with the verdict, one row per level, and the capacity figures.
    const report = readFileSync(out.reportFile, 'utf8');
    assert.match(report, /## \d+\. Capacity\n/);
    assert.match(report, /`default`: no SLO declared; highest output [\d.,]+ tok\/s/);
    assert.match(report, /\| 4 \| \d+ \| 0 \|/);
    assert.match(report, /capacity_throughput\.png/);
    assert.match(report, /capacity_latency_throughput\.png/);
    assert.match(report, /throughput_rps/, 'definitions in Methodology');
  });
});
