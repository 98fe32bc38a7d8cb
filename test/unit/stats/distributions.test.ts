import assert from 'node:assert/strict';
import { noncentralTCdf, tCdf, tQuantile, tTwoSidedP } from '../../../src/core/stats/distributions.js';

// jstat's own accuracy is ~1e-8 (its t cdf is off by up to 5e-9), so reference values are matched to 1e-7 relative.
function close(actual: number, expected: number, rel = 1e-7): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected} (rel ${rel})`);
}

describe('stats/distributions', () => {
  // Reference: scipy 1.17.1 stats.t.ppf (same values as R 4.x qt()); t(0.975, 10) also checked with
  // mpmath at 30 digits: 2.22813885198627471565. Printed tables give 2.228, 12.706, 2.042, 4.032, 1.725.
  const quantiles: [number, number, number][] = [
    [0.975, 10, 2.228138851986274],
    [0.975, 1, 12.706204736174694],
    [0.975, 30, 2.0422724563012378],
    [0.995, 5, 4.032142983555228],
    [0.95, 20, 1.7247182429207866],
    [0.975, 17.776473516178495, 2.1028172415698014],
    [0.025, 4, -2.7764451051977943],
    [0.975, 1e8, 1.9599640082627663],
  ];
  for (const [p, df, expected] of quantiles) {
    it(`t quantile p=${p} df=${df} = ${expected}`, () => close(tQuantile(p, df), expected));
  }

  // Reference: scipy 1.17.1 stats.t.cdf.
  const cdfs: [number, number, number][] = [
    [2.0, 5, 0.9490302605850708],
    [-3.5, 12.5, 0.00206757052288064],
    [-1.8608134674868526, 17.776473516178495, 0.03969707009367908],
  ];
  for (const [x, df, expected] of cdfs) {
    it(`t cdf x=${x} df=${df} = ${expected}`, () => close(tCdf(x, df), expected));
  }

  it('two-sided p doubles the lower tail and is symmetric in t', () => {
    // R: 2*pt(-1.8608, 17.776) = 0.07939 (the sleep Welch test).
    close(tTwoSidedP(1.8608134674868526, 17.776473516178495), 0.0793941401873583);
    close(tTwoSidedP(-1.8608134674868526, 17.776473516178495), 0.0793941401873583);
    assert.equal(tTwoSidedP(0, 4), Math.min(1, 2 * tCdf(0, 4)));
  });

  // Reference: scipy 1.17.1 stats.nct.cdf.
  const ncts: [number, number, number, number][] = [
    [2.0, 10, 1.5, 0.6591540724421909],
    [-2.0, 10, 1.5, 0.0007347489962542088],
    [1.97, 500, 3.0, 0.15174197460894223],
    [2.0, 8, 0, 0.9597418810213687],
  ];
  for (const [x, df, ncp, expected] of ncts) {
    it(`noncentral t cdf x=${x} df=${df} ncp=${ncp} = ${expected}`, () => close(noncentralTCdf(x, df, ncp), expected, 1e-6));
  }

  it('rejects a non-positive df and a probability outside (0, 1)', () => {
    assert.throws(() => tQuantile(0.975, 0), { code: 'E_INTERNAL' });
    assert.throws(() => tQuantile(1, 5), { code: 'E_INTERNAL' });
    assert.throws(() => tCdf(1, -1), { code: 'E_INTERNAL' });
  });
});
