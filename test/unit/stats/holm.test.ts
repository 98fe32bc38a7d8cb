// Holm's step-down adjustment of the p-values of one family (all comparisons of one metric in a TR).
import assert from 'node:assert/strict';
import { comparisonTable } from '../../../src/core/report/comparisons.js';
import { buildSummary } from '../../../src/core/stats/accumulator.js';
import { applyHolm, compareSamples } from '../../../src/core/stats/compare.js';
import { holmAdjust } from '../../../src/core/stats/holm.js';
import { makeRun } from './fixtures.js';

function close(actual: number | null | undefined, expected: number, rel = 1e-12): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
}

// Reference A and three variants whose unadjusted Welch p on decode_tps are ≈ 0.0171, 0.0251 and 0.659.
const A = [100, 101, 99, 100.5, 99.5];
const B = [101.5, 102.5, 100.5, 102, 101];
const C = [101.2, 102.4, 100.2, 102.1, 101.3];
const D = [100, 101.5, 99.2, 100.6, 99.9];

describe('stats/holm', () => {
  it('holmAdjust: R p.adjust(c(0.01, 0.04, 0.03), "holm") = 0.03, 0.06, 0.06; nulls are left out of the family', () => {
    const out = holmAdjust([0.01, null, 0.04, 0.03]);
    assert.equal(out[1], null);
    close(out[0], 0.03);
    close(out[2], 0.06);
    close(out[3], 0.06);
    // capped at 1, monotone in the sorted order
    assert.deepEqual(holmAdjust([0.6, 0.5]), [1, 1]);
    assert.deepEqual(holmAdjust([0.2]), [0.2]);
  });

  it('a TR with three comparisons of one metric: p_adjusted (Holm) on each, verdicts use it', () => {
    const variants = [{ name: 'A', options: {} }, { name: 'B', options: {} }, { name: 'C', options: {} }, { name: 'D', options: {} }];
    let run = 0;
    const runs = ([['A', A], ['B', B], ['C', C], ['D', D]] as const).flatMap(([variant, rates]) => rates.map((tps) => makeRun({ run: run++, variant, calls: [{ tps }] })));
    const s = buildSummary(runs, { kind: 'prompt', variants });
    const tps = s.comparisons.filter((c) => c.metric === 'decode_tps');
    assert.deepEqual(tps.map((c) => c.b), ['B', 'C', 'D']);
    const raw = [B, C, D].map((x) => compareSamples(A, x, { a: 'A', b: 'x', metric: 'decode_tps' }).p!);
    assert.ok(raw[0] < 0.05 && raw[1] < 0.05, `unadjusted p ${raw}`);
    // Holm, m = 3: sorted p_B < p_C < p_D → 3·p_B, max(3·p_B, 2·p_C), max(…, p_D)
    close(tps[0].p_adjusted as number, 3 * raw[0]);
    close(tps[1].p_adjusted as number, Math.max(3 * raw[0], 2 * raw[1]));
    close(tps[2].p_adjusted as number, raw[2]);
    close(tps[0].p, raw[0]);
    assert.deepEqual(tps.map((c) => c.detectable), [false, false, false], 'both unadjusted detections are gone after adjustment');
    assert.deepEqual(tps[0].adjustment, { method: 'holm', comparisons: 3 });
    assert.match(tps[0].verdict, /^no detectable difference on decode_tps between B and A at n=5 vs 5 after Holm adjustment for 3 comparisons \(B \+1\.5%, 95% CI \[[^\]]+\], Welch p = 0\.017, Holm-adjusted p = 0\.051\)/);
    // the same family's other metrics: ttft_ms has no spread anywhere → p null, p_adjusted null
    const ttft = s.comparisons.filter((c) => c.metric === 'ttft_ms');
    assert.deepEqual(ttft.map((c) => [c.p, c.p_adjusted]), [[null, null], [null, null], [null, null]]);
  });

  it('one comparison of a metric: no p_adjusted (nothing to adjust for)', () => {
    let run = 0;
    const runs = ([['A', A], ['B', B]] as const).flatMap(([variant, rates]) => rates.map((tps) => makeRun({ run: run++, variant, calls: [{ tps }] })));
    const s = buildSummary(runs, { kind: 'prompt', variants: [{ name: 'A', options: {} }, { name: 'B', options: {} }] });
    for (const c of s.comparisons) assert.equal('p_adjusted' in c, false, c.metric);
    assert.equal(s.comparisons[0].detectable, true);
  });

  it('applyHolm on stored comparisons (a TR plus a cross-TR `compare`): the family grows, every member is adjusted', () => {
    const one = compareSamples(A, B, { a: 'A', b: 'B', metric: 'decode_tps' });
    const two = { ...compareSamples(A, C, { a: 'TR1:A', b: 'TR2:C', metric: 'decode_tps' }), source: 'compare' };
    const out = applyHolm([one, two]);
    close(out[0].p_adjusted as number, Math.max(2 * one.p!, two.p!));
    close(out[1].p_adjusted as number, Math.max(2 * one.p!, two.p!));
    assert.equal(out[1].source, 'compare');
    assert.equal(out[0].detectable, true, 'Holm-adjusted p = 2·0.0171 < 0.05 still detects');
    assert.match(out[0].verdict, /Welch p = 0\.017, Holm-adjusted p = 0\.034 over 2 comparisons, n=5 vs 5\)$/);
    // re-applying to an already adjusted list gives the same result (idempotent; no double adjustment)
    assert.deepEqual(applyHolm(out), out);
    // removing a member drops p_adjusted again
    assert.equal('p_adjusted' in applyHolm([out[0]])[0], false);
  });
});

describe('report: Holm-adjusted p in the comparison table', () => {
  it('a "p (Holm-adjusted)" column appears when a metric has several comparisons, "—" where none applies', () => {
    const one = compareSamples(A, B, { a: 'A', b: 'B', metric: 'decode_tps' });
    const two = compareSamples(A, C, { a: 'A', b: 'C', metric: 'decode_tps' });
    const solo = compareSamples(A, D, { a: 'A', b: 'D', metric: 'wall_ms' });
    const md = comparisonTable(applyHolm([one, two, solo]));
    assert.match(md, /\| p \(Welch\) \| p \(Holm-adjusted\) \| Hedges' g \|/);
    assert.match(md, /\| 0\.017 \| 0\.034 \|/);
    assert.match(md, /`wall_ms`(?:[^|]*\|){8} 0\.659 \| — \|/);
    assert.doesNotMatch(comparisonTable([one]), /Holm/);
  });
});
