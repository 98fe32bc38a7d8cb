import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importResults, type ImportResult } from '../../../src/core/import/importer';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import type { Meta, RunRecord } from '../../../src/core/types';
import { close, raw, ROOTS, workspace } from './helpers';

const S = ROOTS.rustSingle;
const W = ROOTS.pythonSweep;

describe('import: rust-single (TR111_v2 layout)', () => {
  let result: ImportResult;
  let meta: Meta;
  let runs: RunRecord[];
  before(() => {
    const ws = workspace();
    result = importResults(join(ws.data, S), { reportsDir: ws.reports });
    meta = readMeta(result.dir);
    runs = readRunsSync(result.dir).runs;
  });

  it('one run per workflow run (3 per agent), baseline_default first, variants config/agent', () => {
    assert.equal(result.id, 'TR111_v2');
    assert.equal(meta.kind, 'agent');
    assert.equal(runs.length, 12);
    assert.deepEqual([...new Set(runs.map((r) => r.variant))], ['baseline_default/baseline', 'baseline_default/chimera', 'gpu60_ctx512_temp0p6/baseline', 'gpu60_ctx512_temp0p6/chimera']);
    assert.deepEqual(runs.slice(0, 3).map((r) => r.repetition), [1, 2, 3]);
    assert.equal((meta.summary as unknown as { reference: string }).reference, 'baseline_default/baseline');
  });

  it('maps calls, stages (s → ms) and files ingested from the workflow runs', () => {
    const src = raw(`${S}/baseline_default/data/metrics.json`).baseline;
    const w = src.workflow_runs[1];
    const r = runs[1];
    assert.deepEqual(r.stages, { ingest: w.workflow.ingest_seconds * 1000, analysis: w.workflow.analysis_seconds * 1000, report: w.workflow.report_seconds * 1000, total: w.workflow.total_seconds * 1000 });
    assert.equal(r.wallMs, w.workflow.total_seconds * 1000);
    assert.equal(r.filesIngested, 101);
    assert.deepEqual(r.calls.map((c) => c.stage), ['analysis', 'report']);
    const m = w.llm_calls[1].metrics;
    assert.equal(r.calls[1].server!.eval_duration, Math.round(m.eval_duration_ms * 1e6));
    assert.equal(r.calls[1].client.firstTokenMs, m.ttft_ms);
    assert.ok(close(r.calls[1].client.sendOffsetMs, (w.workflow.ingest_seconds + w.workflow.analysis_seconds) * 1000));
    assert.equal(r.calls[0].options && Object.keys(r.calls[0].options).length, 0);
  });

  it('the TR111_v2 baseline: mean of its 6 per-call rates is the stored 114.539 tok/s', () => {
    const v = (meta.summary.variants as unknown as { name: string; decode_tps_call_mean: { value: number; calls: number }; decode_tps: { mean: number } }[])[0];
    const stored = raw(`${S}/baseline_default/data/metrics.json`).baseline.aggregate_metrics.average_tokens_per_second;
    assert.equal(v.decode_tps_call_mean.calls, 6);
    assert.ok(close(v.decode_tps_call_mean.value, stored));
    assert.ok(close(v.decode_tps.mean, stored), 'per-run means of 2 calls average to the same value');
    assert.equal(Math.round(stored * 100) / 100, 114.54);
  });

  it('a call without counters is failed; the original averaged it in as 0 tok/s, so that difference is shown', () => {
    const src = raw(`${S}/gpu60_ctx512_temp0p6/data/metrics.json`).chimera;
    const rates = src.llm_calls.map((c: { metrics: { throughput_tokens_per_sec: number } }) => c.metrics.throughput_tokens_per_sec);
    const chimera = runs.filter((r) => r.variant === 'gpu60_ctx512_temp0p6/chimera').flatMap((r) => r.calls);
    assert.deepEqual(chimera.map((c) => c.status), rates.map((x: number) => (x === 0 ? 'failed' : 'ok')));
    const ours = (meta.summary.variants as unknown as { name: string; decode_tps_call_mean: { value: number } }[]).find((v) => v.name === 'gpu60_ctx512_temp0p6/chimera')!;
    const nonzero = rates.filter((x: number) => x > 0);
    assert.ok(close(ours.decode_tps_call_mean.value, nonzero.reduce((a: number, b: number) => a + b, 0) / nonzero.length));
    const d = meta.differences!.find((x) => x.what.startsWith('Agent aggregate average_tokens_per_second'))!;
    assert.equal(d.recomputed, '1 of 4 differ: gpu60_ctx512_temp0p6/chimera');
    assert.equal(meta.differences!.find((x) => x.what.startsWith('Agent aggregate average_ttft_ms'))!.agrees, true);
  });

  it('an empty config folder is reported; environment from system_info; TTFT defined as client-side', () => {
    assert.deepEqual(result.skipped, [{ file: 'gpu80_ctx256_temp0p6', reason: 'empty config folder' }]);
    assert.deepEqual([meta.environment.host.os, meta.environment.host.arch, meta.environment.gpus.length], ['windows', 'x86_64', 0]);
    assert.match(meta.metricDefinitions.ttft_ms, /^Client time to first token/);
    // The fixture is a subset of the published data (another content hash): the reports' hardware is not attached.
    assert.equal(meta.imported!.reportedHardware, undefined);
    assert.equal(meta.imported!.publishedDataSet, false);
    assert.match(String(meta.imported!.contentHash), /^sha256:[0-9a-f]{64}$/);
    assert.ok(meta.notes!.some((n) => n.includes('is not the published rust-single data set')));
  });
});

describe('import: python-sweep (TR109 layout)', () => {
  let result: ImportResult;
  let meta: Meta;
  let runs: RunRecord[];
  before(() => {
    const ws = workspace();
    result = importResults(join(ws.data, W), { reportsDir: ws.reports });
    meta = readMeta(result.dir);
    runs = readRunsSync(result.dir).runs;
  });

  it('one run per agent per config, wall = the agent\'s execution_time, original aggregates kept', () => {
    assert.equal(result.id, 'TR109');
    assert.deepEqual(runs.map((r) => r.variant), ['gpu60_ctx512_temp0p8/baseline', 'gpu60_ctx512_temp0p8/chimera', 'gpu80_ctx1024_temp0p6/baseline', 'gpu80_ctx1024_temp0p6/chimera']);
    const src = raw(`${W}/run_gpu60_ctx512_temp0p8/data/metrics.json`)[0];
    assert.equal(runs[1].wallMs, src.chimera_results.execution_time * 1000);
    assert.equal(runs[1].startedAt, src.chimera_results.start_time);
    assert.deepEqual(runs[1].original!.aggregate_metrics, src.chimera_results.metrics.aggregate_metrics);
    assert.equal((runs[1].original!.performance_delta as { throughput_improvement_percent: number }).throughput_improvement_percent, 2.199829799751128);
    assert.deepEqual(runs[1].calls, []);
  });

  it('runs that ingested 0 files are invalid (counted, not used) and said so', () => {
    assert.ok(runs.every((r) => !r.valid && r.filesIngested === 0 && /0 files/.test(r.invalidReason ?? '')));
    assert.equal(meta.counts.invalid, 4);
    assert.ok(meta.notes!.some((n) => n.startsWith('4 agent runs ingested 0 files')));
  });

  it('the 0-byte metrics.json is skipped; stored deltas agree with the stored averages', () => {
    assert.deepEqual(result.skipped, [{ file: 'run_gpu120_ctx256_temp0p6/data/metrics.json', reason: '0-byte file' }]);
    assert.deepEqual(meta.differences!.map((d) => [d.agrees, d.recomputed]), [[true, 'all 2 agree'], [true, 'all 2 agree']]);
  });
});
