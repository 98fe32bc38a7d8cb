import assert from 'node:assert/strict';
import { compareSamples } from '../../../src/core/stats/compare.js';
import { SEEDED_A, SEEDED_B } from './fixtures.js';

function close(actual: number | null | undefined, expected: number, rel = 1e-7): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
}

describe('stats/compare', () => {
  it('quotes the Welch CI (as % of A) so "not detectable" never comes with a CI that excludes zero', () => {
    // Hand check for the slower-decode case below: diff −4, se 0.5, t(0.975, 8) 2.306 → [−5.153, −2.847] → [−4.95%, −2.74%] of 104.
    const c = compareSamples([104, 105, 103, 104.5, 103.5], [100, 101, 99, 100.5, 99.5], { a: 'A', b: 'B', metric: 'decode_tps' });
    assert.ok(Math.abs(c.percentCi95![0] - -4.955) < 0.01 && Math.abs(c.percentCi95![1] - -2.738) < 0.01, String(c.percentCi95));
    const wide = compareSamples([100, 140, 90, 130, 95], [110, 150, 95, 150, 100], { a: 'A', b: 'B', metric: 'decode_tps' });
    assert.equal(wide.detectable, false);
    assert.ok(wide.percentCi95![0] < 0 && wide.percentCi95![1] > 0, String(wide.percentCi95));
  });

  it('seeded variants: Welch p and CI match scipy, ratio, g and bootstrap are filled, verdict says faster', () => {
    // Reference: scipy 1.17.1 ttest_ind(b, a, equal_var=False): p = 0.0017649225985165988,
    // confidence_interval() = [3.0265143213794534, 10.340985678620553]; ratio CI and g from numpy (see twoSample.test.ts).
    const c = compareSamples(SEEDED_A, SEEDED_B, { a: 'baseline', b: 'chimera', metric: 'decode_tps' });
    close(c.p, 0.0017649225985165988, 1e-6);
    close(c.ci95?.[0], 3.0265143213794534);
    close(c.ci95?.[1], 10.340985678620553);
    close(c.diff, 105.75 - 99.06625);
    close(c.ratio, 1.067467477571827);
    close(c.ratioCi95?.[0], 1.0302407962405087);
    close(c.g, 1.9459722808559317);
    close(c.percent, 6.7467477571827);
    assert.equal(c.detectable, true);
    assert.equal(c.sampleSizeHint, null);
    assert.equal(c.nA, 8);
    assert.equal(c.nB, 7);
    assert.ok(c.bootstrapCi95 && c.bootstrapCi95[0] > 0);
    assert.deepEqual(c.bootstrap, { resamples: 2000, seed: 20240611 });
    assert.equal(c.verdict, 'chimera is 6.7% faster than baseline on decode_tps (95% CI [3.1%, 10.4%], Welch p = 0.002, n=8 vs 7)');
  });

  it('is deterministic: same input, same comparison (bootstrap included)', () => {
    const c1 = compareSamples(SEEDED_A, SEEDED_B, { a: 'a', b: 'b', metric: 'decode_tps' });
    const c2 = compareSamples(SEEDED_A, SEEDED_B, { a: 'a', b: 'b', metric: 'decode_tps' });
    assert.deepEqual(c1, c2);
  });

  // Direction words follow the metric: tok/s higher is faster, ms lower is faster, MB lower is smaller.
  // Percent CIs: the ratio CI (delta method on log) evaluated with numpy/scipy 1.17.1, turned to the word's
  // direction ((ratio − 1) going up, (1 − ratio) going down); p from scipy ttest_ind(equal_var=False).
  const directions: [string, number[], number[], string][] = [
    ['decode_tps', [100, 101, 99, 100.5, 99.5], [104, 105, 103, 104.5, 103.5], 'B is 4.0% faster than A on decode_tps (95% CI [2.8%, 5.2%], Welch p < 0.001, n=5 vs 5)'],
    ['decode_tps', [104, 105, 103, 104.5, 103.5], [100, 101, 99, 100.5, 99.5], 'B is 3.8% slower than A on decode_tps (95% CI [2.7%, 5.0%], Welch p < 0.001, n=5 vs 5)'],
    ['ttft_ms', [104, 105, 103, 104.5, 103.5], [100, 101, 99, 100.5, 99.5], 'B is 3.8% faster than A on ttft_ms (95% CI [2.7%, 5.0%], Welch p < 0.001, n=5 vs 5)'],
    ['e2e_ms', [100, 101, 99, 100.5, 99.5], [104, 105, 103, 104.5, 103.5], 'B is 4.0% slower than A on e2e_ms (95% CI [2.8%, 5.2%], Welch p < 0.001, n=5 vs 5)'],
    ['peak_rss_mb', [100, 101, 99, 100.5, 99.5], [50, 51, 49, 50.5, 49.5], 'B is 50.0% smaller than A on peak_rss_mb (95% CI [48.8%, 51.2%], Welch p < 0.001, n=5 vs 5)'],
  ];
  for (const [metric, a, b, verdict] of directions) {
    it(`verdict: ${verdict}`, () => {
      const c = compareSamples(a, b, { a: 'A', b: 'B', metric });
      assert.equal(c.verdict, verdict);
      assert.equal(c.better, metric.endsWith('_tps') ? 'higher' : 'lower');
    });
  }

  it('no detectable difference: says so with the observed change and a power-based run count for 2%', () => {
    const a = [100, 101, 99, 100.5, 99.5];
    const b = [100, 102, 98, 100.5, 99.6];
    const c = compareSamples(a, b, { a: 'A', b: 'B', metric: 'ttft_ms' });
    assert.equal(c.detectable, false);
    assert.ok(c.p !== null && c.p > 0.9);
    // sd_a = 0.7906, sd_b = 1.4824; δ = 2 ms; the smallest n with Welch power ≥ 0.8 is 7 (see power tests for the method).
    assert.deepEqual(c.sampleSizeHint, { detectPercent: 2, runsPerVariant: 7 });
    assert.equal(c.verdict,
      'no detectable difference on ttft_ms between B and A at n=5 vs 5 (B +0.020%, 95% CI [-1.8%, 1.8%], Welch p = 0.979); about 7 runs per variant would detect a 2% difference');
  });

  it('enough runs and still nothing detected: says a real difference is likely smaller than 2%', () => {
    const a = [100, 101, 99, 100.5, 99.5, 100.2, 99.8, 100.1, 99.9, 100];
    const b = [100.1, 101, 99.1, 100.4, 99.5, 100.3, 99.8, 100, 99.9, 100.1];
    const c = compareSamples(a, b, { a: 'A', b: 'B', metric: 'decode_tps' });
    assert.equal(c.detectable, false);
    // scipy 1.17.1 nct with the observed sds (0.5375, 0.5138) and δ = 2: power 0.530 at n = 2, 0.928 at n = 3.
    assert.equal(c.sampleSizeHint?.runsPerVariant, 3);
    assert.match(c.verdict, /; 3 runs per variant would detect a 2% difference with power 0\.8, so a real difference is likely smaller than 2%$/);
  });

  it('the detect percent is configurable and changes the run count', () => {
    const a = [100, 101, 99, 100.5, 99.5];
    const b = [100, 102, 98, 100.5, 99.6];
    const c = compareSamples(a, b, { a: 'A', b: 'B', metric: 'ttft_ms', detectPercent: 0.5 });
    assert.equal(c.sampleSizeHint?.detectPercent, 0.5);
    assert.ok((c.sampleSizeHint?.runsPerVariant ?? 0) > 7);
    assert.match(c.verdict, /would detect a 0\.5% difference$/);
  });

  it('a difference too small to ever detect says "more than 10,000,000 runs"', () => {
    const c = compareSamples([100, 200, 0, 150, 50], [101, 199, 1, 149, 52], { a: 'A', b: 'B', metric: 'decode_tps', detectPercent: 0.0001 });
    assert.deepEqual(c.sampleSizeHint, { detectPercent: 0.0001, runsPerVariant: null });
    assert.match(c.verdict, /; more than 10,000,000 runs per variant would be needed to detect a 0\.0001% difference$/);
  });

  it('equal means, zero variance on both sides: not testable (no variation), p/CI/g null, never "no difference"', () => {
    const c = compareSamples([42, 42], [42, 42, 42], { a: 'A', b: 'B', metric: 'decode_tps' });
    assert.equal(c.diff, 0);
    for (const k of ['p', 'ci95', 'ratioCi95', 'bootstrapCi95', 'g', 't', 'df', 'percentCi95'] as const) assert.equal(c[k], null, k);
    assert.equal(c.detectable, false);
    assert.match(c.degenerate ?? '', /zero variance/);
    assert.equal(c.bootstrap.skipped, 'no variation in either group');
    assert.equal(c.verdict, 'not testable (no variation) on decode_tps: every run of A gave 42 tok/s and every run of B gave 42 tok/s (n=2 vs 3); a test needs spread in at least one group');
  });

  it('different means, zero variance on both sides: not testable (no variation) — p null, never p = 0 "detectable"', () => {
    const c = compareSamples([100, 100], [104, 104, 104], { a: 'A', b: 'B', metric: 'decode_tps' });
    assert.equal(c.diff, 4);
    assert.equal(c.ratio, 1.04);
    assert.ok(Math.abs((c.percent ?? NaN) - 4) < 1e-9);
    for (const k of ['p', 'ci95', 'ratioCi95', 'bootstrapCi95', 'g', 't', 'df', 'percentCi95', 'sampleSizeHint'] as const) assert.equal(c[k], null, k);
    assert.equal(c.detectable, false);
    assert.equal(c.verdict, 'not testable (no variation) on decode_tps: every run of A gave 100 tok/s and every run of B gave 104 tok/s (n=2 vs 3); a test needs spread in at least one group');
  });

  it('one run in a group: point estimates only, every inferential quantity null', () => {
    const c = compareSamples([100], [101, 103, 102], { a: 'A', b: 'B', metric: 'decode_tps' });
    assert.equal(c.diff, 2);
    assert.equal(c.ratio, 1.02);
    for (const k of ['ci95', 'ratioCi95', 'bootstrapCi95', 'p', 'g', 't', 'df', 'sampleSizeHint'] as const) assert.equal(c[k], null, k);
    assert.equal(c.detectable, false);
    assert.equal(c.bootstrap.skipped, 'fewer than 2 runs in a group');
    assert.equal(c.verdict, 'not testable on decode_tps: n=1 vs 3 runs (at least 2 per variant are needed); the observed change of B against A is +2.0%');
  });

  it('one run each side, equal values: "not testable", never "no difference", p null', () => {
    const c = compareSamples([5], [5], { a: 'A', b: 'B', metric: 'e2e_ms' });
    assert.equal(c.p, null);
    assert.match(c.verdict, /^not testable on e2e_ms: n=1 vs 1/);
  });

  it('an empty group is an input error', () => {
    assert.throws(() => compareSamples([], [1, 2], { a: 'A', b: 'B', metric: 'decode_tps' }), { code: 'E_BAD_INPUT' });
  });

  it('a reference mean of 0 has no ratio; the verdict falls back to units', () => {
    const c = compareSamples([0, 0.1, -0.1], [5, 5.1, 4.9], { a: 'A', b: 'B', metric: 'start_skew_ms' });
    assert.equal(c.ratio, null);
    assert.equal(c.percent, null);
    assert.equal(c.sampleSizeHint, null);
    assert.match(c.verdict, /^B is 5 ms slower than A on start_skew_ms \(95% CI of the difference \[4\.\d+, 5\.\d+\] ms, Welch p < 0\.001, n=3 vs 3\)$/);
  });

  it('large groups skip the bootstrap and say why', () => {
    const a = Array.from({ length: 6000 }, (_, i) => 100 + (i % 7));
    const b = Array.from({ length: 6000 }, (_, i) => 101 + (i % 5));
    const c = compareSamples(a, b, { a: 'A', b: 'B', metric: 'decode_tps' });
    assert.equal(c.bootstrapCi95, null);
    assert.match(c.bootstrap.skipped ?? '', /Welch CI is accurate/);
    assert.ok(c.ci95 !== null);
  });
});
