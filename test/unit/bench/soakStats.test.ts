// The soak's verdict: the RSS slope per 1,000 runs after warm-up, from samples with a known trend.
import assert from 'node:assert/strict';
import { fitLine, rssTrend, type SoakSample } from '../../../bench/lib/soakStats';

const samples = (n: number, rss: (runs: number, t: number) => number): SoakSample[] =>
  Array.from({ length: n }, (_, i) => ({ t: i * 3, runs: i * 12, rssMb: rss(i * 12, i * 3), fds: 30 }));

describe('soak statistics', () => {
  it('fits a line exactly through exact points, and refuses too few points or no spread', () => {
    assert.deepEqual(fitLine([0, 1, 2, 3], [1, 3, 5, 7]), { a: 1, b: 2 });
    assert.equal(fitLine([1, 2], [1, 2]), null);
    assert.equal(fitLine([2, 2, 2], [1, 2, 3]), null);
  });

  it('a leak of 95 KB per run reads as 95 MB per 1,000 runs; warm-up growth in the first third is left out', () => {
    const leak = rssTrend(samples(60, (runs) => 120 + runs * 0.095));
    assert.ok(Math.abs(leak.rssSlopeMbPer1kRuns! - 95) < 1e-9);
    // Steep growth during the first third (heap warming up), flat after: slope 0.
    const warm = rssTrend(samples(60, (_runs, t) => (t < 60 ? 100 + t : 160)));
    assert.equal(warm.rssSlopeMbPer1kRuns, 0);
    assert.equal(warm.rssGrowthPct, 0);
    assert.equal(warm.window.fromRuns, 20 * 12);
  });
});
