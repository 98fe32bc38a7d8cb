// The capacity statistics and the load generator's schedule, on records and clocks whose values are
// known: each expected number is worked out by hand from the definitions (capacity/definitions.ts).
import assert from 'node:assert/strict';
import { arrivalTimes, runLoad } from '../../../src/core/capacity/loadgen';
import { cellStats } from '../../../src/core/capacity/cell';
import { knee, levelSummary, stopAfter } from '../../../src/core/capacity/summary';
import type { CapacityRequest, CapacityRunRecord } from '../../../src/core/capacity/types';
import type { CallRecord } from '../../../src/core/types';
import { parseExperiment } from '../../../src/core/experiment/load';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { buildPlan } from '../../../src/core/experiment/plan';
import { systemClock } from '../../../src/core/ports';

function call(ttft: number, tpot: number, evalCount: number): CallRecord {
  return {
    stage: 'prompt', endpoint: 'default', url: 'http://x', model: 'm', api: 'generate', options: {}, startedAt: '', status: 'ok',
    server: { total_duration: 0, load_duration: 0, prompt_eval_count: 1, prompt_eval_duration: 0, eval_count: evalCount, eval_duration: 1, done_reason: 'stop' },
    client: { sendOffsetMs: 0, headersMs: null, firstTokenMs: ttft, endMs: 0, chunkMs: [] },
    metrics: { ttft_ms: ttft, tpot_ms: tpot, queue_ms: 0, server_residual_ms: 0 } as CallRecord['metrics'],
    textChars: 0,
  };
}

function req(i: number, startMs: number, endMs: number, ttft: number, warmup = false, ok = true): CapacityRequest {
  return { i, scheduledMs: startMs - 1, startMs, sendLagMs: 1, endMs, inFlight: 1, warmup, endpoint: 'default', status: ok ? 'ok' : 'failed', calls: ok ? [call(ttft, 10, 5)] : [] };
}

describe('capacity statistics', () => {
  it('one run: counted = started after the warm-up; throughput = ok completions inside the window / durationS; goodput by the tightest bound', () => {
    const rec: CapacityRunRecord = {
      mode: 'concurrency', level: 1, arrival: null, seed: null, warmupMs: 1000, durationMs: 2000, slo: { ttft_ms: { p95: 300, p99: 200 } },
      requests: [
        req(0, 0, 1100, 100, true), // warm-up: ends in the window → throughput, not counted
        req(1, 1100, 1500, 150),
        req(2, 1500, 2500, 250), // ttft 250 > tightest bound 200: not good
        req(3, 2500, 2900, 50, false, false), // failed
        req(4, 2900, 3400, 80), // ends after the window: counted, not in throughput
      ],
    };
    const c = cellStats(rec);
    assert.equal(c.requests, 4);
    assert.equal(c.errors, 1);
    assert.equal(c.error_rate_pct, 25);
    assert.equal(c.throughput_rps, 3 / 2); // requests 0, 1, 2 ended ok inside [1000, 3000)
    assert.equal(c.output_tps, (3 * 5) / 2);
    assert.equal(c.achieved_rps, 4 / 2);
    assert.equal(c.goodput_pct, (2 / 4) * 100); // 1 and 4
    assert.equal(c.goodput_rps, 2 / 2); // good and ended inside the window: 0 (warm-up start) and 1; 4 ended after it
    // ttft over ok calls of counted requests: 150, 250, 80 → p50 = 150; p90 = 80+… type 7: sorted [80,150,250], k=(n−1)p
    assert.equal(c.latency.ttft_ms!.p50, 150);
    assert.equal(c.latency.ttft_ms!.p90, 150 + 0.8 * 100);
    assert.deepEqual(c.latency.e2e_ms!.p50, 500); // e2e of ok counted requests: 400, 1000, 500
  });

  it('levels: CI across repetitions, SLO verdict, knee (output_tps +<10% while p95 TTFT grows), stop rules', () => {
    const cellAt = (tps: number, ttftP95: number) => ({
      requests: 10, errors: 0, errors_by_code: {}, retries: 0, retried_requests: 0, error_rate_pct: 0, throughput_rps: tps / 10, output_tps: tps, achieved_rps: 1, goodput_pct: 100, goodput_rps: 1, in_flight_max: 1, send_lag_ms: null,
      latency: { ttft_ms: { p50: ttftP95, p90: ttftP95, p95: ttftP95, p99: ttftP95 }, tpot_ms: null, e2e_ms: null, queue_ms: null, server_residual_ms: null },
    });
    const slo = { ttft_ms: { p95: 300 } };
    const levels = [
      levelSummary(1, [cellAt(50, 100), cellAt(50, 100)], slo),
      levelSummary(2, [cellAt(100, 100), cellAt(100, 110)], slo),
      levelSummary(4, [cellAt(105, 200), cellAt(105, 200)], slo), // +5% while TTFT grows: the knee is at 2
      levelSummary(8, [cellAt(106, 400), cellAt(106, 500)], slo),
    ];
    assert.deepEqual(levels.map((l) => l.meets_slo), [true, true, true, false]);
    assert.deepEqual(levels[3].slo_broken, ['ttft_ms p95 450.0 > 300']);
    assert.equal(levels[3].ttft_ms!.p95.mean, 450);
    assert.ok(levels[3].ttft_ms!.p95.ci95![0] < 400 && levels[3].ttft_ms!.p95.ci95![1] > 500);
    assert.equal(knee(levels).value, 2);
    assert.equal(knee(levels.slice(0, 2)).value, null);
    assert.equal(stopAfter(levels[3], { afterSloBroken: true, errorRatePct: null })?.reason, 'slo');
    assert.equal(stopAfter(levels[3], { afterSloBroken: false, errorRatePct: null }), null);
  });

  it('arrivals: constant = k/rate; Poisson reproducible from the seed with mean gap 1000/rate', () => {
    assert.deepEqual(arrivalTimes(4, 'constant', 1, 1000), [0, 250, 500, 750]);
    const a = arrivalTimes(100, 'poisson', 7, 200_000);
    assert.deepEqual(a, arrivalTimes(100, 'poisson', 7, 200_000));
    assert.notDeepEqual(a.slice(0, 5), arrivalTimes(100, 'poisson', 8, 200_000).slice(0, 5));
    const meanGap = a[a.length - 1] / (a.length - 1);
    assert.ok(Math.abs(meanGap - 10) < 0.3, `mean gap ${meanGap}`);
  });

  it('closed loop keeps exactly N in flight; a unit never throws into the generator', async () => {
    let inFlight = 0;
    let most = 0;
    const units = await runLoad({ mode: 'concurrency', level: 3, arrival: null, seed: 0, warmupMs: 50, durationMs: 200 }, {
      clock: systemClock, signal: new AbortController().signal,
      unit: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return 'ok';
      },
    });
    assert.equal(most, 3);
    assert.ok(units.every((u) => u.inFlight <= 3 && u.result === 'ok' && u.endMs >= u.startMs));
    assert.ok(units.some((u) => u.warmup) && units.some((u) => !u.warmup));
    assert.ok(units.every((u) => u.scheduledMs < 250), 'nothing scheduled after the window');
  });
});

describe('capacity experiment file', () => {
  const text = (o: object): string => JSON.stringify({ title: 't', kind: 'capacity', prompts: ['p'], ...o });
  it('validates modes and levels with JSON paths', () => {
    assert.throws(() => parseExperiment(text({ load: { mode: 'concurrency' } }), 'f.json'), (e: Error & { details?: string[] }) => e.details!.some((d) => d.includes('load') && d.includes('levels')));
    assert.throws(() => parseExperiment(text({ load: { mode: 'rate', rates: [2, 1] } }), 'f.json'), (e: Error & { details?: string[] }) => e.details!.some((d) => d.startsWith('load.rates[1]')));
    assert.throws(() => parseExperiment(text({ load: { mode: 'concurrency', levels: [1], arrival: 'poisson' } }), 'f.json'), (e: Error & { details?: string[] }) => e.details!.some((d) => d.startsWith('load.arrival')));
    assert.throws(() => parseExperiment(text({ load: { mode: 'concurrency', levels: [1], endpoints: ['zz'] } }), 'f.json'), (e: Error & { details?: string[] }) => e.details!.some((d) => d.includes('unknown endpoint "zz"')));
    assert.throws(() => parseExperiment(JSON.stringify({ title: 't', kind: 'prompt', prompts: ['p'], slo: { ttft_ms: { p95: 1 } } }), 'f.json'), (e: Error & { details?: string[] }) => e.details!.some((d) => d.startsWith('slo: only kind "capacity"')));
  });

  it('normalises defaults and plans variant × level × repetition, variant by variant', () => {
    const x = normalizeExperiment(parseExperiment(text({ load: { mode: 'rate', rates: [1, 2] }, repetitions: 2, variants: [{ name: 'a' }, { name: 'b' }], slo: { e2e_ms: { p99: 1000 } } }), 'f.json'));
    assert.deepEqual(x.capacity, { load: { mode: 'rate', levels: [1, 2], arrival: 'poisson', durationS: 60, warmupS: 5, seed: 42, endpoints: ['default'] }, slo: { e2e_ms: { p99: 1000 } }, stop: { afterSloBroken: true, errorRatePct: null } });
    assert.equal(x.warmup, 0);
    assert.deepEqual(buildPlan(x).map((p) => `${p.variant}${p.level}.${p.repetition}`), ['a1.1', 'a1.2', 'a2.1', 'a2.2', 'b1.1', 'b1.2', 'b2.1', 'b2.2']);
  });
});
