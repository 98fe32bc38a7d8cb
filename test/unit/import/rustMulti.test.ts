import assert from 'node:assert/strict';
import { readOutputs } from '../../../src/core/store/outputs';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importResults, type ImportResult } from '../../../src/core/import/importer';
import { listTrs } from '../../../src/core/store/list';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { buildSummary } from '../../../src/core/stats/accumulator';
import type { Meta, RunRecord } from '../../../src/core/types';
import { close, raw, ROOTS, rustEfficiency, workspace } from './helpers';

const R = ROOTS.rustMulti;

describe('import: rust-multi (TR114_v2 layout)', () => {
  let result: ImportResult;
  let meta: Meta;
  let runs: RunRecord[];
  before(() => {
    const ws = workspace();
    result = importResults(join(ws.data, R), { reportsDir: ws.reports });
    meta = readMeta(result.dir);
    runs = readRunsSync(result.dir).runs;
  });

  it('writes one run per usable run folder under the layout\'s own id, merging both scenario spellings', () => {
    assert.equal(result.id, 'TR114_v2');
    assert.equal(runs.length, 9);
    assert.deepEqual([...new Set(runs.map((r) => r.variant))], ['test005', 'test103', 'test108']);
    const scen = Object.fromEntries((meta.experiment.variants as { name: string; scenario: string }[]).map((v) => [v.name, v.scenario]));
    assert.deepEqual(scen, { test005: 'baseline_vs_chimera', test103: 'chimera_homo', test108: 'chimera_homo' });
    assert.ok(meta.notes!.some((n) => n.includes('chimera_homo and chimera-homo are one scenario')));
    assert.deepEqual(meta.counts, { planned: 9, completed: 9, warmup: 0, failed: 0, invalid: 0, cancelled: 0 });
    assert.equal(meta.status, 'complete');
  });

  it('reports every unusable file with its reason and never stops', () => {
    const skipped = Object.fromEntries(result.skipped.map((s) => [s.file, s.reason]));
    assert.equal(result.skipped.length, 5);
    assert.equal(skipped['chimera-homo/test108/run_3'], 'empty run folder');
    assert.equal(skipped['chimera-homo/test108/run_4/metrics.json'], '0-byte file');
    assert.match(skipped['chimera-homo/test108/run_5/metrics.json'], /^not JSON: /);
    assert.match(skipped['chimera-homo/test108/notes.txt'], /not a result file/);
    assert.match(skipped['chimera_homo/test103/summary.json'], /^missing: .*test103.*2 runs are imported/);
    assert.deepEqual(meta.imported!.skipped, result.skipped);
    assert.equal(meta.imported!.commit, '1c11f382');
    assert.equal(meta.imported!.layout, 'rust-multi');
  });

  it('maps per-call fields: server ms → ns, client streaming TTFT and elapsed into client timings', () => {
    const src = raw(`${R}/chimera-homo/test108/run_1/metrics.json`);
    const m = src.collector.result.llm_calls[0].metrics;
    const run = runs.find((r) => r.variant === 'test108' && r.repetition === 1)!;
    const c = run.agents![0].calls[0];
    assert.equal(run.agents![0].name, 'collector');
    assert.deepEqual(
      [c.server!.eval_duration, c.server!.load_duration, c.server!.prompt_eval_duration, c.server!.eval_count, c.server!.total_duration],
      [Math.round(m.eval_duration_ms * 1e6), Math.round(m.load_duration_ms * 1e6), Math.round(m.prompt_eval_duration_ms * 1e6), m.tokens_generated, 0],
    );
    assert.equal(c.client.firstTokenMs, m.ttft_ms);
    assert.equal(c.client.endMs, m.total_duration_ms);
    assert.ok(close(c.metrics!.decode_tps!, m.throughput_tokens_per_sec));
    assert.ok(close(c.metrics!.server_ttft_ms!, m.load_duration_ms + m.prompt_eval_duration_ms));
    assert.equal(c.metrics!.ttft_ms, m.ttft_ms);
    assert.equal(c.stream, true);
    assert.equal(run.agents![0].wallMs, src.collector.execution_time_s * 1000);
    assert.equal(run.wallMs, src.summary.concurrent_wall_time_s * 1000);
    assert.equal(run.agents![1].endpoint, 'b');
    assert.equal(c.url, 'http://localhost:11434');
    assert.equal(readOutputs(result.dir, [c.outputFile!]).get(c.outputFile!), src.collector.result.llm_calls[0].response);
  });

  it('recomputes overlap efficiency and contention from the agent walls (hand-computed per run)', () => {
    const table: [string, number, number, boolean][] = [
      ['test005', 1, rustEfficiency(`${R}/baseline-vs-chimera/test005/run_1/metrics.json`), false],
      ['test005', 4, rustEfficiency(`${R}/baseline-vs-chimera/test005/run_4/metrics.json`), true],
      ['test108', 1, 99.99192202979053, false],
      ['test103', 2, rustEfficiency(`${R}/chimera_homo/test103/run_2/metrics.json`), false],
    ];
    for (const [variant, rep, eff, contention] of table) {
      const r = runs.find((x) => x.variant === variant && x.repetition === rep)!;
      assert.ok(close(r.multiAgent!.overlap_efficiency, eff), `${variant} run ${rep}`);
      assert.equal(r.multiAgent!.contention, contention);
      assert.equal(r.multiAgent!.speedup_vs_sequential, null);
      assert.equal(r.multiAgent!.start_skew_ms, null);
      assert.equal((r.original!.summary as { efficiency_percent: number }).efficiency_percent, raw(`${R}/${variant === 'test005' ? 'baseline-vs-chimera' : variant === 'test108' ? 'chimera-homo' : 'chimera_homo'}/${variant}/run_${rep}/metrics.json`).summary.efficiency_percent);
    }
  });

  it('marks a call without counters failed (left out of rates) but keeps its run, with a note', () => {
    const r = runs.find((x) => x.variant === 'test005' && x.repetition === 4)!;
    const bad = r.agents!.flatMap((a) => a.calls).filter((c) => c.status === 'failed');
    assert.equal(bad.length, 1);
    assert.equal(bad[0].error!.code, 'E_NO_DONE');
    assert.equal(r.valid, true);
    assert.ok(meta.notes!.some((n) => n.startsWith('1 run(s) hold a call that ended without server counters (test005 #4)')));
  });

  it('summary: per test and per scenario, overall mean and contention over all runs', () => {
    const s = meta.summary as unknown as { multiAgent: { runs: number; contention_flagged: number; overlap_efficiency: { mean: number; max: number } }; scenarios: { name: string; n: number }[] };
    const effs = runs.map((r) => r.multiAgent!.overlap_efficiency);
    assert.equal(s.multiAgent.runs, 9);
    assert.equal(s.multiAgent.contention_flagged, 1);
    assert.ok(close(s.multiAgent.overlap_efficiency.mean, effs.reduce((a, b) => a + b, 0) / 9));
    assert.ok(close(s.multiAgent.overlap_efficiency.max, 99.99192202979053));
    assert.deepEqual(s.scenarios.map((x) => [x.name, x.n]), [['baseline_vs_chimera', 5], ['chimera_homo', 4]]);
  });

  it('differences: stored per-run values agree; test108\'s summary.json (5 runs) disagrees with the 2 usable runs', () => {
    const by = Object.fromEntries(meta.differences!.map((d) => [d.what.split(' vs ')[0], d]));
    assert.equal(by['Per-run efficiency_percent'].agrees, true);
    assert.equal(by['Per-run efficiency_percent'].recomputed, 'all 9 agree');
    assert.equal(by['Per-run resource_contention_detected'].agrees, true);
    const agg = by['Per-test summary.json aggregate.average_efficiency'];
    assert.equal(agg.agrees, false);
    assert.equal(agg.recomputed, '1 of 2 differ: test108');
    assert.equal(by['Per-test summary.json run count'].recomputed, '1 of 2 differ: test108');
    // The published TR114_v2 claims only apply to the full 135-run data set.
    assert.ok(!meta.differences!.some((d) => d.what.startsWith('TR114_v2')));
  });

  it('the imported TR is listed, and its runs rebuild the same summary from meta.experiment', () => {
    const listed = listTrs(join(result.dir, '..'));
    assert.deepEqual(listed.map((t) => [t.id, t.status, t.kind, t.imported]), [['TR114_v2', 'complete', 'multi-agent', true]]);
    const x = meta.experiment as unknown as { variants: { name: string; options: Record<string, unknown>; scenario?: string }[]; contention: unknown };
    const again = buildSummary(runs, { kind: meta.kind, variants: x.variants, contentionRule: x.contention });
    assert.deepEqual(JSON.parse(JSON.stringify(again.scenarios)), JSON.parse(JSON.stringify((meta.summary as unknown as { scenarios: unknown }).scenarios)));
    assert.match(readFileSync(join(result.dir, 'summary.csv'), 'utf8'), /^row_type,variant,scenario/);
    assert.equal((meta.experiment.contention as { threshold: number }).threshold, 1.5);
    assert.match(meta.metricDefinitions['original.ttft_ms'], /client-side/);
    assert.equal(meta.environment.host.os, 'windows');
    assert.equal(meta.environment.host.hostname, 'SahilKadadekar');
  });

  it('meta.experiment states the original protocol; the TR spans the data\'s own times', () => {
    const x = meta.experiment as unknown as Record<string, unknown>;
    assert.deepEqual(x.agents, [
      { name: 'collector', endpoint: 'default', options: runs[0].agents![0].options },
      { name: 'insight', endpoint: 'b', options: runs[0].agents![1].options },
    ]);
    assert.deepEqual([x.sequentialBaseline, x.warmup, x.maxTokens, x.model, x.repetitions], [false, 0, null, 'gemma3:latest', 5]);
    const stamps = runs.map((r) => Date.parse(r.startedAt));
    assert.equal(meta.createdAt, new Date(Math.min(...stamps)).toISOString());
    assert.equal(meta.finishedAt, new Date(Math.max(...stamps)).toISOString());
    assert.ok(Date.parse(String(meta.imported!.importedAt)) > Date.parse(meta.finishedAt!));
  });

  it('the same test under both scenario spellings is imported once; the second copy is reported', () => {
    const ws = workspace();
    const root = join(ws.data, R);
    cpSync(join(root, 'chimera-homo', 'test108'), join(root, 'chimera_homo', 'test108'), { recursive: true });
    const r = importResults(root, { reportsDir: ws.reports });
    assert.equal(r.runs, 9);
    const dup = r.skipped.filter((x) => x.reason.startsWith('duplicate of'));
    assert.deepEqual(dup, [{ file: 'chimera-homo/test108', reason: 'duplicate of chimera_homo/test108 (same test in another scenario spelling); first copy kept' }]);
  });
});
