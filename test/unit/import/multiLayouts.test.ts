import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importResults, type ImportResult } from '../../../src/core/import/importer';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import type { Meta, RunRecord } from '../../../src/core/types';
import { close, raw, ROOTS, rustEfficiency, workspace } from './helpers';

const P = ROOTS.pythonMulti;
const T = ROOTS.runtimeMatrix;

function load(result: ImportResult): { meta: Meta; runs: RunRecord[] } {
  return { meta: readMeta(result.dir), runs: readRunsSync(result.dir).runs };
}

describe('import: python-multi (TR110 layout)', () => {
  let result: ImportResult;
  let meta: Meta;
  let runs: RunRecord[];
  before(() => {
    const ws = workspace();
    result = importResults(join(ws.data, P), { reportsDir: ws.reports, as: 'TR9110', title: 'TR110 subset' });
    ({ meta, runs } = load(result));
  });

  it('imports 12 runs of 3 tests with agents (wall times, no per-call records) under the requested id and title', () => {
    assert.equal(result.id, 'TR9110');
    assert.equal(meta.title, 'TR110 subset');
    assert.equal(runs.length, 12);
    assert.deepEqual([...new Set(runs.map((r) => r.variant))], ['test002', 'test108', 'test201']);
    const r = runs[0];
    const src = raw(`${P}/phase_1_test_002/run_1/metrics.json`);
    assert.deepEqual(r.agents!.map((a) => [a.name, a.wallMs, a.calls.length, a.endpoint]), [
      ['collector', src.collector_execution_time * 1000, 0, 'default'],
      ['insight', src.insight_execution_time * 1000, 0, 'b'],
    ]);
    assert.deepEqual(r.agents![1].options, src.insight.configuration);
    assert.equal(r.startedAt, raw(`${P}/comprehensive_test_summary.json`).all_test_results[0].start_time);
  });

  it('recomputes efficiency = Σ agent wall / wall / 2 × 100, and aggregate tok/s from the stored token totals', () => {
    for (const [variant, rep] of [['test002', 1], ['test108', 2], ['test201', 2]] as const) {
      const folder = { test002: 'phase_1_test_002', test108: 'phase_2_test_108', test201: 'phase_3_test_201' }[variant];
      const d = raw(`${P}/${folder}/run_${rep}/metrics.json`);
      const r = runs.find((x) => x.variant === variant && x.repetition === rep)!;
      const speedup = (d.collector_execution_time + d.insight_execution_time) / d.summary.concurrent_wall_time;
      assert.ok(close(r.multiAgent!.overlap_efficiency, speedup * 50));
      assert.ok(close(speedup, d.summary.concurrency_speedup));
      assert.equal(r.multiAgent!.contention, d.summary.resource_contention_detected);
      const tokens = d.collector.aggregate_metrics.total_tokens_generated + d.insight.aggregate_metrics.total_tokens_generated;
      assert.ok(close(r.multiAgent!.aggregate_tps!, tokens / d.summary.concurrent_wall_time));
      assert.equal(r.multiAgent!.jain_fairness, null);
    }
  });

  it('contention 5/5 in test002 (all speedups < 1.5), 0 elsewhere; test002 mean 73.15 as published', () => {
    const v = (meta.summary.variants as unknown as { name: string; contention: { flagged: number; runs: number }; overlap_efficiency: { mean: number } }[]);
    assert.deepEqual(v.map((x) => [x.name, x.contention.flagged, x.contention.runs]), [['test002', 5, 5], ['test108', 0, 5], ['test201', 0, 2]]);
    assert.equal(Math.round(v[0].overlap_efficiency.mean * 100) / 100, 73.15);
  });

  it('a test without summary.json is imported and reported; stored aggregates of the others agree', () => {
    assert.deepEqual(result.skipped.map((s) => s.file), ['phase_3_test_201/summary.json']);
    const agree = meta.differences!.filter((d) => d.what.startsWith('Per-test')).map((d) => [d.what.split(' vs ')[0], d.recomputed]);
    assert.deepEqual(agree, [
      ['Per-test summary.json aggregate.average_efficiency', 'all 2 agree'],
      ['Per-test summary.json aggregate.average_concurrency_speedup', 'all 2 agree'],
      ['Per-test summary.json aggregate.contention_detected_runs', 'all 2 agree'],
    ]);
    const top = meta.differences!.find((d) => d.what.startsWith('Best configuration'))!;
    assert.equal(top.agrees, true);
    assert.match(String(top.recomputed), /^test108: 99\.2507/);
    assert.match(meta.metricDefinitions['original.average_ttft_ms'], /server-side/);
  });
});

describe('import: runtime-matrix (TR115_v2 layout)', () => {
  let result: ImportResult;
  let meta: Meta;
  let runs: RunRecord[];
  before(() => {
    const ws = workspace();
    result = importResults(join(ws.data, T), { reportsDir: ws.reports });
    ({ meta, runs } = load(result));
  });

  it('variants are runtime/config with the runtime as scenario; the outer run_<n> is the repetition', () => {
    assert.equal(result.id, 'TR115_v2');
    assert.deepEqual(runs.map((r) => [r.variant, r.repetition]), [
      ['async-std/chimera_homo_gpu80_ctx512', 1], ['async-std/chimera_homo_gpu80_ctx512', 2],
      ['tokio-default/chimera_homo_gpu80_ctx2048', 1], ['tokio-default/chimera_homo_gpu80_ctx2048', 2], ['tokio-default/chimera_homo_gpu80_ctx2048', 3],
    ]);
    const s = meta.summary as unknown as { scenarios: { name: string; n: number; overlap_efficiency: { mean: number; sd: number } }[] };
    const rel = (rt: string, cfg: string, n: number): string => `${T}/runtime-${rt}/${cfg}/run_${n}/run_1/metrics.json`;
    const tokio = [1, 2, 3].map((n) => rustEfficiency(rel('tokio-default', 'chimera_homo_gpu80_ctx2048', n)));
    const m = tokio.reduce((a, b) => a + b, 0) / 3;
    const sd = Math.sqrt(tokio.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
    const byName = Object.fromEntries(s.scenarios.map((x) => [x.name, x]));
    assert.ok(close(byName['tokio-default'].overlap_efficiency.mean, m));
    assert.ok(close(byName['tokio-default'].overlap_efficiency.sd, sd));
    assert.equal(byName['async-std'].n, 2);
    assert.ok(byName['async-std'].overlap_efficiency.mean < 50.001 && byName['async-std'].overlap_efficiency.mean > 49.99);
  });

  it('async-std runs are contended (speedup ≈ 1.0 < 1.5); a run folder without summary.json is reported', () => {
    assert.deepEqual(runs.map((r) => r.multiAgent!.contention), [true, true, false, false, false]);
    assert.deepEqual(result.skipped.map((s) => [s.file, s.reason.split(':')[0]]), [['runtime-tokio-default/chimera_homo_gpu80_ctx2048/run_3/summary.json', 'missing']]);
    const agg = meta.differences!.find((d) => d.what.startsWith('Per-run summary.json'))!;
    assert.equal(agg.recomputed, 'all 4 agree');
    assert.deepEqual(meta.experiment.runtimes, ['async-std', 'tokio-default']);
  });
});
