// Pure helpers of the benchmark: percentiles, spreads over repetitions, error summaries, drift detection
// and the per-million CPU extrapolation. Values checked by hand (NumPy's default percentile method).
import assert from 'node:assert/strict';
import { driftOf, errorP99, maxSustained, median, percentile, round, spreadOf, type DriftRule, type RampStep } from '../../../bench/lib/stats';
import { perMillion } from '../../../bench/overhead';

describe('bench stats: percentile (linear interpolation)', () => {
  const CASES: [number[], number, number][] = [
    [[1, 2, 3, 4], 50, 2.5],
    [[4, 1, 3, 2], 0, 1],
    [[4, 1, 3, 2], 100, 4],
    [[10, 20, 30, 40, 50], 25, 20],
    [[10, 20, 30, 40, 50], 99, 49.6],
    [[7], 99, 7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9.1],
  ];
  for (const [xs, p, want] of CASES) {
    it(`p${p} of [${xs.join(', ')}] = ${want}`, () => assert.ok(Math.abs(percentile(xs, p) - want) < 1e-9, `${percentile(xs, p)}`));
  }
  it('is NaN for no values and refuses p outside 0..100', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], -1), RangeError);
  });
  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    assert.equal(median(xs), 2);
    assert.deepEqual(xs, [3, 1, 2]);
  });
});

describe('bench stats: spreadOf and round', () => {
  it('gives median, min, max, quartiles and the repetitions, skipping non-finite values', () => {
    assert.deepEqual(spreadOf([5, 1, Number.NaN, 3, 2, 4]), { median: 3, min: 1, max: 5, q1: 2, q3: 4, n: 5, reps: [5, 1, 3, 2, 4] });
  });
  it('refuses a figure without any finite repetition', () => {
    assert.throws(() => spreadOf([Number.NaN, Number.POSITIVE_INFINITY]), RangeError);
  });
  const R: [number, number, number][] = [[1.23456, 3, 1.235], [-0.0004, 3, -0], [1234.5678, 1, 1234.6], [2, 0, 2]];
  for (const [x, d, want] of R) it(`round(${x}, ${d}) = ${want}`, () => assert.equal(round(x, d), want));
});

describe('bench stats: errorP99 over the streams of one repetition', () => {
  it('takes |ttft error| and |rate error| p99, and the signed median ttft error', () => {
    const e = errorP99([
      { ttftErrMs: 2, tpsRelErr: -0.01 },
      { ttftErrMs: -1, tpsRelErr: 0.002 },
      { ttftErrMs: 4, tpsRelErr: 0.004 },
    ]);
    assert.ok(Math.abs(e.ttftAbsErrMsP99 - 3.96) < 1e-9, `${e.ttftAbsErrMsP99}`);
    assert.ok(Math.abs(e.tpsRelErrP99 - 0.00988) < 1e-12, `${e.tpsRelErrP99}`);
    assert.equal(e.ttftErrMsMedian, 2);
  });
});

describe('bench stats: drift detection on a throughput ramp', () => {
  const rule: DriftRule = { maxRateLoss: 0.01, maxTtftDriftMs: 5 };
  const step = (aggregateTps: number, rateRatio: number, ttftErrMsP99: number): RampStep => ({ aggregateTps, rateRatio, ttftErrMsP99 });
  const base = step(8000, 1, 2);
  const CASES: [string, RampStep, string | null][] = [
    ['on schedule', step(16000, 0.995, 3), null],
    ['exactly 1% slow is still on schedule', step(16000, 0.99, 2), null],
    ['1.5% slow', step(16000, 0.985, 2), 'decode rate -1.5% off the schedule'],
    ['2% fast (late first token, on-time end)', step(16000, 1.02, 2), 'decode rate 2% off the schedule'],
    ['ttft 6 ms above the first step', step(16000, 1, 8), 'ttft p99 error 6 ms above the lowest rate\'s'],
  ];
  for (const [name, s, want] of CASES) it(name, () => assert.equal(driftOf(s, base, rule), want));

  it('maxSustained stops at the first drifting step', () => {
    const steps = [base, step(16000, 0.998, 2.5), step(40000, 0.97, 3), step(80000, 1, 2)];
    assert.deepEqual(maxSustained(steps, rule), { maxTps: 16000, stoppedBy: '40000 tok/s: decode rate -3% off the schedule' });
    assert.deepEqual(maxSustained(steps.slice(0, 2), rule), { maxTps: 16000, stoppedBy: null });
    assert.deepEqual(maxSustained([], rule), { maxTps: 0, stoppedBy: null });
  });
});

describe('bench overhead: CPU per million tokens', () => {
  const CASES: [number, number, number, number][] = [
    // fixed µs, total µs over `tokens`, tokens → fixed + per-token × 1e6
    [50_000, 450_000, 100_000, 50_000 + 4 * 1e6],
    [0, 300_000, 100_000, 3e6],
    [60_000, 50_000, 10_000, 60_000],
  ];
  for (const [fixed, total, tokens, want] of CASES) {
    it(`fixed ${fixed} µs, ${total} µs over ${tokens} tokens → ${want} µs`, () => assert.equal(perMillion(fixed, total, tokens), want));
  }
});
