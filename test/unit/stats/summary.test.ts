import assert from 'node:assert/strict';
import { SummaryAccumulator, buildSummary } from '../../../src/core/stats/accumulator.js';
import { compareSamples } from '../../../src/core/stats/compare.js';
import { statOf } from '../../../src/core/stats/summaryTypes.js';
import type { RunRecord } from '../../../src/core/types.js';
import { makeAgent, makeRun } from './fixtures.js';

function close(actual: number | null | undefined, expected: number, rel = 1e-9): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

const VARIANTS = [{ name: 'baseline', options: {} }, { name: 'chimera', options: { num_gpu: 60, num_ctx: 512 } }];
const BASE_TPS = [100, 102, 98, 101, 99];
const CHIM_TPS = [110, 111, 109, 112, 108];

/** A prompt TR: per variant one warm-up with absurd values, one invalid, one failed, one cancelled, five counted runs. */
function promptRuns(): RunRecord[] {
  const runs: RunRecord[] = [];
  let n = 0;
  for (const [variant, rates] of [['baseline', BASE_TPS], ['chimera', CHIM_TPS]] as const) {
    runs.push(makeRun({ run: n++, variant, warmup: true, calls: [{ tps: 5, ttftMs: 9000 }] }));
    runs.push(makeRun({ run: n++, variant, valid: false, calls: [{ tps: 1 }] }));
    runs.push(makeRun({ run: n++, variant, status: 'failed', calls: [{ tps: 1, status: 'failed' }] }));
    runs.push(makeRun({ run: n++, variant, status: 'cancelled' }));
    rates.forEach((tps, i) => runs.push(makeRun({ run: n++, variant, calls: [{ tps, ttftMs: 40 + i }], wallMs: 900 + i })));
  }
  return runs;
}

describe('stats/summary', () => {
  it('counts only ok, valid, non-warm-up runs and reports the excluded ones', () => {
    const s = buildSummary(promptRuns(), { kind: 'prompt', variants: VARIANTS });
    assert.deepEqual(s.counts, { runs: 18, counted: 10, solo: 0, warmup: 2, failed: 2, cancelled: 2, invalid: 2, cold: 0 });
    const [b, c] = s.variants;
    assert.equal(b.name, 'baseline');
    assert.equal(b.n, 5);
    assert.deepEqual(b.excluded, { warmup: 1, failed: 1, cancelled: 1, invalid: 1, cold: 0 });
    assert.deepEqual(c.options, { num_gpu: 60, num_ctx: 512 });
    close(statOf(b, 'decode_tps')?.mean, mean(BASE_TPS));
    close(statOf(c, 'decode_tps')?.mean, mean(CHIM_TPS));
    assert.equal(statOf(b, 'ttft_ms')?.max, 44);
    assert.equal(statOf(b, 'wall_ms')?.min, 900);
    assert.equal(s.reference, 'baseline');
    assert.equal(b.stages, undefined, 'a single stage is not repeated as per-stage statistics');
  });

  it('compares each variant with the reference on decode_tps, ttft_ms and e2e_ms for prompt runs', () => {
    const s = buildSummary(promptRuns(), { kind: 'prompt', variants: VARIANTS });
    assert.deepEqual(s.comparisons.map((c) => [c.a, c.b, c.metric]), [
      ['baseline', 'chimera', 'decode_tps'], ['baseline', 'chimera', 'ttft_ms'], ['baseline', 'chimera', 'e2e_ms'],
    ]);
    const tps = s.comparisons[0];
    close(tps.diff, mean(CHIM_TPS) - mean(BASE_TPS));
    assert.ok(tps.p !== null && tps.p < 0.001);
    assert.match(tps.verdict, /^chimera is 10\.0% faster than baseline on decode_tps \(95% CI \[/);
    // identical TTFTs in both variants (40..44): no spread difference, nothing detected
    assert.equal(s.comparisons[1].diff, 0);
    assert.equal(s.comparisons[1].detectable, false);
  });

  it('is JSON-clean (no NaN or Infinity) and deterministic', () => {
    const s1 = buildSummary(promptRuns(), { kind: 'prompt', variants: VARIANTS });
    const s2 = buildSummary(promptRuns(), { kind: 'prompt', variants: VARIANTS });
    const text = JSON.stringify(s1);
    assert.deepEqual(JSON.parse(text), s1);
    assert.equal(text, JSON.stringify(s2));
  });

  it('the streaming accumulator gives the same summary as buildSummary', () => {
    const acc = new SummaryAccumulator({ kind: 'prompt', variants: VARIANTS });
    for (const r of promptRuns()) acc.add(r);
    assert.deepEqual(acc.finish(), buildSummary(promptRuns(), { kind: 'prompt', variants: VARIANTS }));
  });

  it('per-run values of two accumulators (two TRs) feed compareSamples', () => {
    const accA = new SummaryAccumulator({ kind: 'prompt', variants: VARIANTS });
    const accB = new SummaryAccumulator({ kind: 'prompt', variants: VARIANTS });
    for (const r of promptRuns()) {
      accA.add(r);
      accB.add(r);
    }
    assert.deepEqual([...accA.values('baseline', 'decode_tps')], BASE_TPS);
    assert.deepEqual([...accB.values('chimera', 'decode_tps')], CHIM_TPS);
    assert.equal(accA.values('nope', 'decode_tps').length, 0);
    const c = compareSamples(accA.values('baseline', 'decode_tps'), accB.values('chimera', 'decode_tps'), { a: 'TR1:baseline', b: 'TR2:chimera', metric: 'decode_tps' });
    const inOneTr = buildSummary(promptRuns(), { kind: 'prompt', variants: VARIANTS }).comparisons[0];
    assert.equal(c.p, inOneTr.p);
    assert.deepEqual(c.ci95, inOneTr.ci95);
    assert.deepEqual(c.bootstrapCi95, inOneTr.bootstrapCi95);
    assert.match(c.verdict, /^TR2:chimera is 10\.0% faster than TR1:baseline/);
  });

  it('token-weighted and mean-of-rates throughput differ when calls differ in length, and are labelled', () => {
    // One long fast call (1000 tokens at 100 tok/s = 10 s) and one short slow call (10 tokens at 10 tok/s = 1 s):
    // weighted = 1010 / 11 s = 91.818 tok/s; mean of rates = (100 + 10) / 2 = 55 tok/s.
    const runs = [makeRun({ run: 0, variant: 'v', calls: [{ tps: 100, evalCount: 1000 }, { tps: 10, evalCount: 10 }] })];
    const v = buildSummary(runs, { kind: 'prompt', variants: [{ name: 'v', options: {} }] }).variants[0];
    close(v.decode_tps_weighted?.value, 1010 / 11, 1e-6);
    assert.equal(v.decode_tps_weighted?.eval_count, 1010);
    close(v.decode_tps_call_mean?.value, 55);
    assert.equal(v.decode_tps_call_mean?.calls, 2);
    assert.match(v.decode_tps_weighted?.label ?? '', /Σ eval_count \/ Σ eval_duration/);
    assert.match(v.decode_tps_call_mean?.label ?? '', /Mean of per-call decode rates/);
    // The per-run value is the mean over the run's calls: 55, n = 1 → sd and CI undefined.
    const tps = statOf(v, 'decode_tps');
    close(tps?.mean, 55);
    assert.equal(tps?.sd, null);
    assert.equal(tps?.ci95, null);
  });

  it('keeps analysis and report calls apart, and summarises stage durations', () => {
    // TR111_v2-like: analysis calls near 117 tok/s, report calls near 112 tok/s (ORIGINS.md §3.2).
    const analysis = [117, 118, 116];
    const report = [112, 111, 113];
    const runs = analysis.map((a, i) => makeRun({
      run: i, variant: 'agent', wallMs: 20000 + i,
      calls: [{ stage: 'analysis', tps: a, ttftMs: 300 }, { stage: 'report', tps: report[i], ttftMs: 100 }],
      stages: { ingest: 10 + i, analysis: 9000, report: 11000, total: 20010 + i },
    }));
    const v = buildSummary(runs, { kind: 'agent', variants: [{ name: 'agent', options: {} }] }).variants[0];
    assert.ok(v.stages);
    assert.deepEqual(Object.keys(v.stages), ['analysis', 'report']);
    close(statOf(v.stages.analysis, 'decode_tps')?.mean, 117);
    close(statOf(v.stages.report, 'decode_tps')?.mean, 112);
    close(statOf(v.stages.analysis, 'ttft_ms')?.mean, 300);
    assert.equal(v.stages.report.calls, 3);
    assert.equal(v.stages.report.n, 3);
    close(statOf(v, 'decode_tps')?.mean, (117 + 112) / 2);
    close(v.stageDurations?.ingest.mean, 11);
    assert.deepEqual(Object.keys(v.stageDurations ?? {}), ['ingest', 'analysis', 'report', 'total']);
  });

  it('agent kinds compare wall_ms instead of e2e_ms; metrics missing on either side are skipped', () => {
    const runs = [0, 1, 2, 3].map((i) => makeRun({ run: i, variant: i % 2 ? 'b' : 'a', wallMs: 1000 + i * 10, command: { process_wall_ms: 1000 + i, startup_ms: 20 + i, peak_rss_mb: 70 + i, cpu_ms: 500 } }));
    const s = buildSummary(runs, { kind: 'command', variants: [{ name: 'a', options: {} }, { name: 'b', options: {} }] });
    assert.deepEqual(s.comparisons.map((c) => c.metric), ['wall_ms']);
    const a = s.variants[0];
    close(statOf(a, 'startup_ms')?.mean, 21);
    close(statOf(a, 'peak_rss_mb')?.mean, 71);
    assert.equal(statOf(a, 'cpu_ms')?.sd, 0);
    assert.equal(statOf(a, 'decode_tps'), null);
  });

  it('multi-agent: per-agent statistics, solo baselines apart, contention rate and rule, no double-counted calls', () => {
    const runs: RunRecord[] = [];
    const speedups = [1.4, 1.6, 1.7, 1.45];
    speedups.forEach((sp, i) => {
      const r = makeRun({
        run: i, variant: 'dual', wallMs: 2000,
        agents: [makeAgent('collector', 1900 + i, [{ tps: 42 }]), makeAgent('insight', 1950, [{ tps: 41 }], i === 3 ? 'failed' : 'ok')],
        multiAgent: { overlap_efficiency: 95 + i, speedup_vs_sequential: sp, aggregate_tps: 83 + i, contention: sp < 1.5 },
      });
      r.calls = r.agents!.flatMap((a) => a.calls); // a runner may also copy the agents' calls here
      runs.push(r);
    });
    runs.push(makeRun({ run: 10, variant: 'dual', soloAgent: 'collector', wallMs: 1100, calls: [{ tps: 114 }] }));
    runs.push(makeRun({ run: 11, variant: 'dual', soloAgent: 'collector', wallMs: 1000, calls: [{ tps: 115 }] }));
    const rule = { rule: 'overlap-speedup-below', threshold: 1.5 };
    const s = buildSummary(runs, { kind: 'multi-agent', variants: [{ name: 'dual', options: {} }], contentionRule: rule });
    const v = s.variants[0];
    assert.equal(v.n, 4);
    assert.equal(s.counts.solo, 2);
    assert.equal(v.decode_tps_call_mean?.calls, 8, 'each agent call once');
    close(statOf(v, 'decode_tps')?.mean, 41.5);
    assert.ok(v.agents);
    assert.equal(v.agents.collector.n, 4);
    assert.equal(v.agents.insight.n, 3);
    assert.equal(v.agents.insight.failed, 1);
    close(statOf(v.agents.collector, 'wall_ms')?.mean, 1901.5);
    assert.ok(v.solo);
    close(statOf(v.solo.collector, 'decode_tps')?.mean, 114.5);
    close(statOf(v.solo.collector, 'wall_ms')?.mean, 1050);
    const ma = s.multiAgent;
    assert.ok(ma);
    assert.equal(ma.runs, 4);
    close(ma.speedup_vs_sequential?.mean, mean(speedups));
    close(ma.overlap_efficiency?.median, 96.5);
    close(ma.aggregate_tps?.mean, 84.5);
    assert.equal(ma.jain_fairness, null);
    assert.equal(ma.contention_flagged, 2);
    assert.equal(ma.contention_rate, 0.5);
    assert.deepEqual(ma.contention_rule, rule);
    assert.deepEqual(v.contention, { flagged: 2, runs: 4, undecided: 0, rate: 0.5 });
  });

  it('outliers are flagged by run number and stay in the statistics', () => {
    const walls = [1000, 1010, 990, 1005, 995, 5000];
    const runs = walls.map((w, i) => makeRun({ run: 100 + i, variant: 'v', wallMs: w }));
    const wall = statOf(buildSummary(runs, { kind: 'agent', variants: [{ name: 'v', options: {} }] }).variants[0], 'wall_ms');
    assert.equal(wall?.outliers, 1);
    assert.deepEqual(wall?.outlierRuns, [105]);
    close(wall?.mean, mean(walls));
    assert.equal(wall?.n, 6);
  });

  it('variants seen only in the runs are kept (declared: false); scenarios pool their variants', () => {
    const runs = [
      makeRun({ run: 0, variant: 'a', wallMs: 10 }), makeRun({ run: 1, variant: 'b', wallMs: 20 }),
      makeRun({ run: 2, variant: 'a', wallMs: 12 }), makeRun({ run: 3, variant: 'ghost', wallMs: 30 }),
    ];
    const s = buildSummary(runs, { kind: 'agent', variants: [{ name: 'a', options: {}, scenario: 'homo' }, { name: 'b', options: {}, scenario: 'homo' }] });
    assert.deepEqual(s.variants.map((v) => [v.name, v.declared, v.n]), [['a', true, 2], ['b', true, 1], ['ghost', false, 1]]);
    assert.equal(s.scenarios?.length, 1);
    assert.deepEqual(s.scenarios?.[0].variants, ['a', 'b']);
    close(statOf(s.scenarios![0], 'wall_ms')?.mean, 14);
  });

  it('a reference with no counted runs is skipped: the first variant with runs becomes the reference', () => {
    const runs = [makeRun({ run: 0, variant: 'a', warmup: true }), makeRun({ run: 1, variant: 'b', wallMs: 5 }), makeRun({ run: 2, variant: 'c', wallMs: 6 })];
    const s = buildSummary(runs, { kind: 'agent', variants: ['a', 'b', 'c'].map((name) => ({ name, options: {} })) });
    assert.equal(s.reference, 'b');
    assert.deepEqual(s.comparisons.map((c) => [c.a, c.b]), [['b', 'c']]);
    assert.equal(s.variants[0].n, 0);
    assert.equal(statOf(s.variants[0], 'wall_ms'), null);
  });

  it('no runs at all: empty statistics, no comparisons, no reference', () => {
    const s = buildSummary([], { kind: 'prompt', variants: VARIANTS });
    assert.equal(s.reference, null);
    assert.deepEqual(s.comparisons, []);
    assert.deepEqual(s.variants.map((v) => v.n), [0, 0]);
    assert.equal(s.variants[0].decode_tps_weighted, null);
  });

  it('streams many runs without keeping them: 50,000 runs give the closed-form mean and median', () => {
    const acc = new SummaryAccumulator({ kind: 'prompt', variants: VARIANTS });
    const N = 50_000;
    for (let i = 0; i < N; i++) acc.add(makeRun({ run: i, variant: i % 2 ? 'chimera' : 'baseline', wallMs: i }));
    const s = acc.finish();
    const base = statOf(s.variants[0], 'wall_ms');
    assert.equal(base?.n, N / 2);
    close(base?.mean, N / 2 - 1); // even numbers 0..49998
    close(base?.median, N / 2 - 1);
    assert.equal(s.comparisons.length, 0, 'no call metrics, prompt kind compares e2e_ms/decode_tps/ttft_ms only');
  });
});
