import assert from 'node:assert/strict';
import { coefficientOfVariation, describe as describeSample, meanCi95, quantileSorted } from '../../../src/core/stats/describe.js';

function close(actual: number | null | undefined, expected: number, tol = 1e-9): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
}

describe('stats/describe', () => {
  it('percentiles match R quantile(1:10) type 7: 25% 3.25, 50% 5.5, 75% 7.75', () => {
    const d = describeSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(d);
    assert.equal(d.p25, 3.25);
    assert.equal(d.median, 5.5);
    assert.equal(d.p75, 7.75);
    assert.equal(d.min, 1);
    assert.equal(d.max, 10);
    assert.equal(d.iqr, 4.5);
    // R: sd(1:10) = 3.02765; mean ± qt(.975, 9)·sd/√10 = [3.334149, 7.665851]
    close(d.sd, 3.0276503540974917);
    close(d.ci95?.[0], 3.334149414716367, 1e-7);
    close(d.ci95?.[1], 7.665850585283633, 1e-7);
  });

  it('an unsorted sample: percentiles, sd, CI and CV match numpy/scipy', () => {
    // Reference: numpy 2.4.6 percentile(method='linear') ≡ R type 7; std(ddof=1); scipy t.interval(0.95, 10, mean, sem).
    const x = [12.5, 3.1, 7.7, 9.0, 15.2, 4.4, 8.8, 30.1, 6.0, 7.2, 11.9];
    const d = describeSample(x);
    assert.ok(d);
    const expected: [keyof typeof d, number][] = [
      ['p5', 3.75], ['p25', 6.6], ['median', 8.8], ['p75', 12.2], ['p95', 22.65], ['p99', 28.610000000000007],
      ['mean', 10.536363636363639], ['sd', 7.404630001191516],
    ];
    for (const [k, v] of expected) close(d[k] as number, v);
    close(d.ci95?.[0], 5.561865514593871, 1e-7);
    close(d.ci95?.[1], 15.510861758133407, 1e-7);
    close(d.cv, (7.404630001191516 / 10.536363636363639) * 100);
    close(d.se, 7.404630001191516 / Math.sqrt(11));
    // IQR is p75 − p25 = 5.6, not the sd (7.40): the original program confused the two.
    close(d.iqr, 5.6);
    // Tukey fences [6.6 − 8.4, 12.2 + 8.4] = [−1.8, 20.6]: 30.1 (index 7) is flagged, and still in the mean.
    close(d.fences[0], -1.8);
    close(d.fences[1], 20.6);
    assert.deepEqual(d.outlierIndices, [7]);
    assert.equal(d.outliers, 1);
    assert.equal(d.n, 11);
  });

  it('n = 1: mean, median and percentiles are the value; sd, CV, SE and CI are null (undefined)', () => {
    const d = describeSample([42]);
    assert.ok(d);
    assert.equal(d.n, 1);
    assert.equal(d.mean, 42);
    assert.equal(d.median, 42);
    assert.equal(d.p95, 42);
    assert.equal(d.sd, null);
    assert.equal(d.cv, null);
    assert.equal(d.se, null);
    assert.equal(d.ci95, null);
    assert.deepEqual(d.outlierIndices, []);
  });

  it('zero variance: sd 0, CV 0, a zero-width CI, no outliers', () => {
    const d = describeSample([7, 7, 7, 7]);
    assert.ok(d);
    assert.equal(d.sd, 0);
    assert.equal(d.cv, 0);
    assert.deepEqual(d.ci95, [7, 7]);
    assert.equal(d.outliers, 0);
  });

  it('mean 0: CV is null rather than a division by zero', () => {
    const d = describeSample([-1, 1, -2, 2]);
    assert.ok(d);
    assert.equal(d.mean, 0);
    assert.equal(d.cv, null);
    assert.equal(coefficientOfVariation(0, 0), null);
    assert.equal(coefficientOfVariation(null, 5), null);
  });

  it('empty sample → null; NaN or Infinity → E_INTERNAL', () => {
    assert.equal(describeSample([]), null);
    assert.throws(() => describeSample([1, Number.NaN]), { code: 'E_INTERNAL' });
    assert.throws(() => describeSample([1, Number.POSITIVE_INFINITY]), { code: 'E_INTERNAL' });
    assert.throws(() => quantileSorted([], 0.5), { code: 'E_INTERNAL' });
  });

  it('quantileSorted interpolates at k = (n−1)·p', () => {
    const rows: [number[], number, number][] = [
      [[10, 20], 0.95, 19.5],
      [[10, 20, 30], 0.5, 20],
      [[10, 20, 30], 0.25, 15],
      [[5], 0.99, 5],
      [[1, 2, 3, 4], 1, 4],
      [[1, 2, 3, 4], 0, 1],
    ];
    for (const [xs, p, expected] of rows) close(quantileSorted(xs, p), expected);
  });

  it('meanCi95 is null below n = 2', () => {
    assert.equal(meanCi95(3, null, 1), null);
    // R: qt(.975, 1) = 12.7062; 10 ± 12.7062·2/√2
    const ci = meanCi95(10, 2, 2);
    assert.ok(ci);
    close(ci[0], 10 - 12.706204736174694 * Math.SQRT2, 1e-7);
  });

  it('does not depend on input order and leaves the input untouched', () => {
    const x = [5, 1, 4, 2, 3];
    const d1 = describeSample(x);
    const d2 = describeSample([...x].reverse());
    assert.deepEqual(x, [5, 1, 4, 2, 3]);
    assert.equal(d1?.median, d2?.median);
    assert.equal(d1?.p95, d2?.p95);
  });
});
