// The gate rule (PRODUCT.md §11.5) and its CI: table-driven on the rule, reference values for the CI
// and the runs-per-side hint computed independently with numpy/scipy 1.17.1 (formulas in the comments).
import assert from 'node:assert/strict';
import { isChimeraError } from '../../../src/core/errors.js';
import { gateLine, gateRule, gateSamples, type GateDecision } from '../../../src/core/stats/gate.js';

function close(actual: number | null | undefined, expected: number, tol = 1e-6): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);
}

describe('stats/gate', () => {
  const rules: [string, 'higher' | 'lower', [number, number], number, GateDecision][] = [
    ['rate, CI above −5%', 'higher', [-3, -1], 5, 'pass'],
    ['rate, improvement', 'higher', [2, 6], 5, 'pass'],
    ['rate, CI touching −5% from above', 'higher', [-5, 2], 5, 'pass'],
    ['rate, CI wholly below −5%', 'higher', [-12, -8], 5, 'regression'],
    ['rate, CI straddles −5%', 'higher', [-7, -3], 5, 'inconclusive'],
    ['rate, margin 0 and an exact zero CI', 'higher', [0, 0], 0, 'pass'],
    ['time, CI below +5%', 'lower', [1, 3], 5, 'pass'],
    ['time, faster', 'lower', [-10, -5], 5, 'pass'],
    ['time, CI wholly above +5%', 'lower', [8, 12], 5, 'regression'],
    ['time, CI straddles +5%', 'lower', [3, 7], 5, 'inconclusive'],
    ['time, a −8% change is never a regression of a time', 'lower', [-9, -7], 5, 'pass'],
  ];
  for (const [name, better, ci, pct, expected] of rules) {
    it(`rule: ${name} → ${expected}`, () => {
      assert.equal(gateRule({ changeCi95Pct: ci, maxRegressionPct: pct, better }), expected);
    });
  }

  const base = [100, 101, 99, 100.5, 99.5];

  it('10% slower decode at a 5% margin: regression, CI = the delta-method ratio CI', () => {
    // numpy: r = 0.9; log r ± t(0.975, df 7.9128) √(s²a/(na·ma²) + s²b/(nb·mb²)) → [−11.0923%, −8.8943%].
    const g = gateSamples(base, [90, 91, 89, 90.5, 89.5], { metric: 'decode_tps', maxRegressionPct: 5 });
    assert.equal(g.decision, 'regression');
    close(g.changePct, -10, 1e-9);
    close(g.changeCi95Pct?.[0], -11.092292946847193);
    close(g.changeCi95Pct?.[1], -8.894287475466257);
    assert.equal(g.runsPerSide, null);
    assert.equal(g.line, 'decode_tps −10.0% [−11.1, −8.9], regression');
  });

  it('1% slower at a 5% margin: pass', () => {
    const g = gateSamples(base, [99, 100, 98, 99.5, 98.5], { metric: 'decode_tps', maxRegressionPct: 5 });
    close(g.changeCi95Pct?.[0], -2.1406496785065787);
    close(g.changeCi95Pct?.[1], 0.15394510387780613);
    assert.equal(g.decision, 'pass');
    assert.equal(g.line, 'decode_tps −1.0% [−2.1, 0.2], pass');
  });

  it('straddling: inconclusive with the runs per side of a log-scale Welch power calculation', () => {
    // CI [−7.8018%, −0.0414%] straddles −5%. scipy nct, sds relative to the means, δ = |log 0.96 − log 0.95|:
    // power 0.7957 at n = 83, 0.8005 at n = 84.
    const g = gateSamples(base, [96, 100, 92, 98, 94], { metric: 'decode_tps', maxRegressionPct: 5 });
    close(g.changeCi95Pct?.[0], -7.80181165368078);
    close(g.changeCi95Pct?.[1], -0.04141984458065906);
    assert.equal(g.decision, 'inconclusive');
    assert.equal(g.runsPerSide, 84);
  });

  it('a time metric: 4% slower TTFT passes at 5%, fails at 2%', () => {
    const slower = [104, 105, 103, 104.5, 103.5];
    const g5 = gateSamples(base, slower, { metric: 'ttft_ms', maxRegressionPct: 5 });
    close(g5.changeCi95Pct?.[0], 2.830027837566007);
    close(g5.changeCi95Pct?.[1], 5.183283788324378);
    assert.equal(g5.decision, 'inconclusive');
    assert.equal(gateSamples(base, slower, { metric: 'ttft_ms', maxRegressionPct: 6 }).decision, 'pass');
    assert.equal(gateSamples(base, slower, { metric: 'ttft_ms', maxRegressionPct: 2 }).decision, 'regression');
    assert.equal(g5.better, 'lower');
  });

  it('one run on a side: inconclusive, no CI, and says why no run count is given', () => {
    const g = gateSamples(base, [90], { metric: 'decode_tps' });
    assert.equal(g.decision, 'inconclusive');
    assert.equal(g.changeCi95Pct, null);
    assert.equal(g.runsPerSide, null);
    assert.match(g.note ?? '', /at least 2 runs per side/);
    assert.equal(g.maxRegressionPct, 5);
  });

  it('zero spread on both sides: the degenerate CI decides', () => {
    assert.equal(gateSamples([100, 100], [100, 100, 100], { metric: 'decode_tps', maxRegressionPct: 0 }).decision, 'pass');
    assert.equal(gateSamples([100, 100], [90, 90], { metric: 'decode_tps' }).decision, 'regression');
  });

  it('bad input: empty side, non-positive means, a margin outside [0, 100)', () => {
    const bad = (f: () => unknown): void => assert.throws(f, (e) => isChimeraError(e, 'E_BAD_INPUT'));
    bad(() => gateSamples([], [1, 2], { metric: 'decode_tps' }));
    bad(() => gateSamples([0, 0], [1, 2], { metric: 'load_ms' }));
    bad(() => gateSamples(base, base, { metric: 'decode_tps', maxRegressionPct: -1 }));
    bad(() => gateSamples(base, base, { metric: 'decode_tps', maxRegressionPct: Number.NaN }));
    bad(() => gateSamples(base, base, { metric: 'decode_tps', maxRegressionPct: 100 }));
  });

  it('the line format matches the CodeLens wording', () => {
    assert.equal(gateLine({ metric: 'decode_tps', changePct: -4.1, changeCi95Pct: [-6, -2.2], decision: 'regression' }), 'decode_tps −4.1% [−6.0, −2.2], regression');
    assert.equal(gateLine({ metric: 'ttft_ms', changePct: 1.23, changeCi95Pct: [-0.5, 3], decision: 'pass' }), 'ttft_ms +1.2% [−0.5, 3.0], pass');
  });
});
