// Adaptive repetitions (PRODUCT.md §11.1) without a server: the file's checks, the plan growing in the
// experiment's order, and the stopping rule on known per-run values (the half-width formula exactly).
import assert from 'node:assert/strict';
import { parseExperiment } from '../../../src/core/experiment/load';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { buildPlan, type PlannedRun } from '../../../src/core/experiment/plan';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { AdaptiveController, ciHalfWidthPct } from '../../../src/core/runner/adaptive';
import { SummaryAccumulator } from '../../../src/core/stats/accumulator';
import { tQuantile } from '../../../src/core/stats/distributions';
import { SUMMARY_METRICS } from '../../../src/core/stats/metrics';
import schema from '../../../schema/experiment.schema.json';
import { makeRun } from '../stats/fixtures';

const base: ExperimentFile = {
  title: 't', kind: 'prompt', prompts: ['p'], warmup: 1, variants: [{ name: 'A' }, { name: 'B' }],
  repetitions: { min: 2, max: 4, until: { metric: 'decode_tps', ciHalfWidthPct: 5 } },
};
const short = (p: PlannedRun[]): string[] => p.map((r) => `${r.variant}${r.warmup ? (r.warmupReason === 'reload' ? '~' : '*') : r.repetition}`);

/** Runs the plan with the given decode rate per variant and repetition, as the runner would (record, then afterRun). */
function drive(file: ExperimentFile, tps: (variant: string, rep: number) => number): { plan: PlannedRun[]; c: AdaptiveController; checks: string[] } {
  const x = normalizeExperiment(file);
  const acc = new SummaryAccumulator({ kind: x.kind, variants: x.variants });
  const c = new AdaptiveController(x, x.adaptive!, (v, m) => acc.values(v, m));
  const plan = buildPlan(x);
  const checks: string[] = [];
  for (let i = 0; i < plan.length; i++) {
    const p = plan[i];
    assert.equal(p.index, i, 'indexes stay positions in the plan');
    const run = { ...makeRun({ run: i, variant: p.variant, warmup: p.warmup, calls: [{ tps: tps(p.variant, p.repetition) }] }), repetition: p.repetition };
    acc.add(run);
    const check = c.afterRun(plan, i);
    if (check) checks.push(`${check.repetitions}:${check.decision}`);
  }
  return { plan, c, checks };
}

describe('adaptive repetitions', () => {
  it('the file: { min, max, until } validated by the schema and the semantic checks; normalised to repetitions = min', () => {
    assert.deepEqual(parseExperiment(JSON.stringify(base), 'x.json').repetitions, base.repetitions);
    const bad = (r: unknown, kind = 'prompt'): string => {
      try {
        parseExperiment(JSON.stringify({ ...base, kind, repetitions: r }), 'x.json');
      } catch (e) {
        return (e as { describe(): string }).describe();
      }
      return 'accepted';
    };
    assert.match(bad({ min: 5, max: 3, until: { metric: 'decode_tps', ciHalfWidthPct: 2 } }), /repetitions\.max: must be ≥ repetitions\.min \(5\), got 3/);
    assert.match(bad({ min: 1, max: 3, until: { metric: 'decode_tps', ciHalfWidthPct: 2 } }), /repetitions\.min/);
    assert.match(bad({ min: 2, max: 3, until: { metric: 'nope', ciHalfWidthPct: 2 } }), /repetitions\.until\.metric/);
    assert.match(bad({ min: 2, max: 3, until: { metric: 'decode_tps', ciHalfWidthPct: 0 } }), /repetitions\.until\.ciHalfWidthPct/);
    assert.match(bad({ min: 2, max: 3, until: { metric: 'peak_rss_mb', ciHalfWidthPct: 2 } }), /"peak_rss_mb" is measured only in command experiments, never in a prompt one/);
    // Only the form of the value's own type speaks (no "must be object" for a number).
    assert.doesNotMatch(bad(0), /must be object|oneOf/);
    assert.match(bad(0), /repetitions: must be >= 1 \(got 0\)/);
    assert.match(bad({ min: 2 }), /repetitions: missing required property "max"/);
    assert.match(bad('five'), /repetitions: must be integer or object \(got "five"\)/);
    const x = normalizeExperiment(base);
    assert.equal(x.repetitions, 2);
    assert.deepEqual(x.adaptive, base.repetitions);
    assert.equal(normalizeExperiment({ ...base, repetitions: 3 }).adaptive, undefined);
  });

  it('the schema offers exactly the summary metrics', () => {
    const r = (schema as { properties: { repetitions: { oneOf: { properties?: { until: { properties: { metric: { enum: string[] } } } } }[] } } }).properties.repetitions.oneOf[1];
    assert.deepEqual(r.properties!.until.properties.metric.enum, [...SUMMARY_METRICS]);
  });

  it('half-width: t(0.975, n−1)·sd/√n as a percent of |mean|; null below 2 values or at mean 0', () => {
    const v = [100, 104, 98, 102];
    const mean = 101;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
    const r = ciHalfWidthPct(v);
    assert.equal(r.mean, mean);
    assert.ok(Math.abs(r.halfWidthPct! - (tQuantile(0.975, 3) * sd / 2 / mean) * 100) < 1e-9);
    assert.equal(ciHalfWidthPct([5]).halfWidthPct, null);
    assert.equal(ciHalfWidthPct([-1, 1]).halfWidthPct, null);
    assert.deepEqual(ciHalfWidthPct([]), { n: 0, mean: null, halfWidthPct: null });
  });

  it('interleaved: stops after min when every variant is quiet', () => {
    const { plan, c, checks } = drive(base, () => 50);
    assert.deepEqual(short(plan), ['A*', 'B*', 'A1', 'B1', 'A2', 'B2']);
    assert.deepEqual(checks, ['2:stop']);
    const o = c.outcome('finished');
    assert.equal(o.stopped, 'target-met');
    assert.deepEqual(o.variants.map((v) => [v.name, v.n, v.halfWidthPct, v.met]), [['A', 2, 0, true], ['B', 2, 0, true]]);
  });

  it('interleaved: whole rounds (every variant) until max while one variant is noisy', () => {
    const { plan, c, checks } = drive(base, (v, rep) => (v === 'B' ? (rep % 2 ? 30 : 60) : 50));
    assert.deepEqual(short(plan), ['A*', 'B*', 'A1', 'B1', 'A2', 'B2', 'A3', 'B3', 'A4', 'B4']);
    assert.deepEqual(checks, ['2:continue', '3:continue', '4:stop']);
    const o = c.outcome('finished');
    assert.equal(o.stopped, 'max-reached');
    assert.match(o.reason, /stopped at max 4 repetitions: B ±\d+\.\d\d% still > 5%/);
    assert.equal(o.checks.length, 3);
    assert.equal(o.checks[0].halfWidthPct.A, 0);
  });

  it('interleaved: a variant that narrows stops the run before max', () => {
    // B: 40, 60 (wide), then 50, 50, … — after repetition 3 the half-width is still wide; the rule keeps going until max or met.
    const { checks, c } = drive({ ...base, repetitions: { min: 2, max: 9, until: { metric: 'decode_tps', ciHalfWidthPct: 20 } } }, (v, rep) => (v === 'B' ? (rep === 1 ? 40 : rep === 2 ? 60 : 50) : 50));
    const o = c.outcome('finished');
    assert.equal(o.stopped, 'target-met');
    // n = 5: 40 60 50 50 50 → mean 50, sd 7.071, t(4) = 2.776 → 8.780 = ±17.56% of 50 ≤ 20%; n = 4: sd 8.165, t(3) = 3.182 → ±25.98% > 20%
    assert.deepEqual(checks, ['2:continue', '3:continue', '4:continue', '5:stop']);
    assert.ok(Math.abs(o.variants[1].halfWidthPct! - 17.559) < 0.001, String(o.variants[1].halfWidthPct));
    assert.equal(o.variants[1].repetitions, 5);
  });

  it('sequential: each variant\'s block grows in place, before the next variant starts', () => {
    const { plan, c, checks } = drive({ ...base, order: 'sequential' }, (v, rep) => (v === 'A' ? (rep % 2 ? 30 : 60) : 50));
    assert.deepEqual(short(plan), ['A*', 'A1', 'A2', 'A3', 'A4', 'B*', 'B1', 'B2']);
    assert.deepEqual(checks, ['2:continue', '3:continue', '4:stop', '2:stop']);
    const o = c.outcome('finished');
    assert.equal(o.stopped, 'max-reached');
    assert.deepEqual(o.variants.map((v) => [v.name, v.repetitions, v.met]), [['A', 4, false], ['B', 2, true]]);
  });

  it('random: added rounds are shuffled with their own seed, the same on a re-run', () => {
    const file: ExperimentFile = { ...base, order: 'random', seed: 3, variants: [{ name: 'A' }, { name: 'B' }, { name: 'C' }], repetitions: { min: 2, max: 6, until: { metric: 'decode_tps', ciHalfWidthPct: 1 } } };
    const noisy = (_v: string, rep: number): number => (rep % 2 ? 30 : 60);
    const a = short(drive(file, noisy).plan);
    assert.deepEqual(a, short(drive(file, noisy).plan));
    assert.equal(a.filter((s) => !s.endsWith('*')).length, 18);
    for (let rep = 3; rep <= 6; rep++) assert.deepEqual(a.slice(3 + (rep - 1) * 3, 3 + rep * 3).map((s) => s.slice(1)).sort(), [String(rep), String(rep), String(rep)], `round ${rep} holds each variant once`);
  });

  it('added rounds get re-warm runs where the loaded runner changes, like the first ones', () => {
    const file: ExperimentFile = { ...base, variants: [{ name: 'A', options: { num_ctx: 1024 } }, { name: 'B', options: { num_ctx: 2048 } }] };
    const { plan } = drive(file, (v, rep) => (v === 'B' ? (rep % 2 ? 30 : 60) : 50));
    assert.deepEqual(short(plan), ['A*', 'B*', 'A~', 'A1', 'B~', 'B1', 'A~', 'A2', 'B~', 'B2', 'A~', 'A3', 'B~', 'B3', 'A~', 'A4', 'B~', 'B4']);
  });

  it('failed and invalid runs count as repetitions but give no value: the check waits for values', () => {
    const x = normalizeExperiment({ ...base, variants: [{ name: 'A' }], warmup: 0 });
    const acc = new SummaryAccumulator({ kind: x.kind, variants: x.variants });
    const c = new AdaptiveController(x, x.adaptive!, (v, m) => acc.values(v, m));
    const plan = buildPlan(x);
    acc.add(makeRun({ run: 0, variant: 'A', status: 'failed', calls: [] }));
    c.afterRun(plan, 0);
    acc.add(makeRun({ run: 1, variant: 'A', calls: [{ tps: 50 }] }));
    const check = c.afterRun(plan, 1);
    assert.equal(check?.decision, 'continue');
    assert.deepEqual(check?.variants, [{ name: 'A', repetitions: 2, n: 1, mean: 50, halfWidthPct: null, met: false }]);
    assert.match(check!.reason, /A unknown \(n < 2 or mean 0\) > 5%: one more repetition/);
  });
});
