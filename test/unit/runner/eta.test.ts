// The ETA after each run: elapsed already holds the cooldowns between runs, so they are taken out before
// averaging the run time and added back once per remaining run.
import assert from 'node:assert/strict';
import { etaMs } from '../../../src/core/runner/eta';

describe('runner ETA', () => {
  it('2 of 5 runs of 100 ms with a 50 ms cooldown: elapsed 250 ms → 3 × (100 + 50) = 450 ms (not 525: the cooldown counted twice)', () => {
    // elapsed = run + cooldown + run = 250; mean run = (250 − 1 × 50) / 2 = 100; left 3 → 3 × 100 + 3 × 50
    assert.equal(etaMs(250, 2, 5, 50), 450);
  });

  it('exact for uneven runs: mean run time × left + cooldown × left', () => {
    // runs 80, 120, 100 with 30 ms cooldowns: elapsed = 300 + 2 × 30 = 360; mean 100; left 7
    assert.equal(etaMs(360, 3, 10, 30), 7 * 100 + 7 * 30);
  });

  it('without a cooldown it is the mean run time × runs left; 0 when done; null before the first run', () => {
    assert.equal(etaMs(300, 3, 6, 0), 300);
    assert.equal(etaMs(900, 6, 6, 25), 0);
    assert.equal(etaMs(0, 0, 6, 25), null);
  });
});
