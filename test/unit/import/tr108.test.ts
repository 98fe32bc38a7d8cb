import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cellNumber, csvRecords, parseCsv } from '../../../src/core/import/csv';
import { importResults, type ImportResult } from '../../../src/core/import/importer';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import type { Meta, RunRecord } from '../../../src/core/types';
import { close, ROOTS, workspace } from './helpers';

describe('import: CSV reader', () => {
  const cases: [string, string[][]][] = [
    ['a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['"x","y, z"\r\n"q""uote",\n', [['x', 'y, z'], ['q"uote', '']]],
    ['a\n\n"multi\nline"\n', [['a'], ['multi\nline']]],
    ['no,newline', [['no', 'newline']]],
  ];
  for (const [text, rows] of cases) it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseCsv(text), rows));

  it('keys rows by header, reports rows of the wrong width by line, reads numbers strictly', () => {
    const r = csvRecords('\uFEFFa,b\n1,2\n3\n4,5\n');
    assert.deepEqual(r.records, [{ a: '1', b: '2' }, { a: '4', b: '5' }]);
    assert.deepEqual(r.bad, [3]);
    assert.deepEqual(['1.5', '', ' ', 'x', undefined].map(cellNumber), [1.5, undefined, undefined, undefined, undefined]);
  });
});

describe('import: tr108-csv (TR108 layout)', () => {
  let result: ImportResult;
  let meta: Meta;
  let runs: RunRecord[];
  before(() => {
    const ws = workspace();
    result = importResults(join(ws.data, ROOTS.tr108), { reportsDir: ws.reports });
    meta = readMeta(result.dir);
    runs = readRunsSync(result.dir).runs;
  });

  it('one prompt-kind run per CSV row; variants model/config with the model as scenario', () => {
    assert.equal(result.id, 'TR108');
    assert.equal(meta.kind, 'prompt');
    assert.equal(runs.length, 34);
    const per = new Map<string, number>();
    for (const r of runs) per.set(r.variant, (per.get(r.variant) ?? 0) + 1);
    assert.equal(per.get('llama3.1_8b-instruct-q4_0/baseline'), 5);
    assert.equal(per.get('llama3.1_8b-instruct-q8_0/baseline'), 5);
    assert.equal(per.get('gemma3_270m/baseline'), 5);
    assert.equal(per.get('gemma3_270m/g999_c1024_t0.2'), 1);
    assert.equal(per.get('llama3.1_8b-instruct-q4_0/g999_c1024_t0.2'), 1);
    const v = (meta.experiment.variants as { name: string; scenario: string; options: Record<string, unknown> }[]).find((x) => x.name === 'gemma3_270m/g999_c2048_t0.4')!;
    assert.deepEqual([v.scenario, v.options], ['gemma3_270m', { num_gpu: 999, num_ctx: 2048, temperature: 0.4 }]);
  });

  it('server fields from seconds to ns; TTFT is server-side (load + prompt_eval), client timings not measured (null)', () => {
    const r = runs.find((x) => x.variant === 'llama3.1_8b-instruct-q4_0/g999_c1024_t0.2')!;
    const row = r.original!.row as Record<string, string>;
    const c = r.calls[0];
    assert.deepEqual(
      [c.server!.load_duration, c.server!.prompt_eval_duration, c.server!.eval_duration, c.server!.eval_count, c.server!.prompt_eval_count],
      [Math.round(Number(row.load_s) * 1e9), Math.round(Number(row.prompt_eval_s) * 1e9), Math.round(Number(row.eval_s) * 1e9), 99, 25],
    );
    assert.ok(close(c.metrics!.server_ttft_ms!, (Number(row.load_s) + Number(row.prompt_eval_s)) * 1000));
    assert.ok(close(c.metrics!.server_ttft_ms! / 1000, Number(row.ttft_s), 1e-6));
    assert.equal(c.metrics!.ttft_ms, null);
    assert.equal(c.metrics!.e2e_ms, null);
    assert.equal(c.client.endMs, null);
    assert.equal(r.wallMs, null);
    assert.ok(Math.abs(c.metrics!.decode_tps! - Number(row.tokens_s)) < 0.01);
    assert.equal(c.startedAt, '2025-09-30T20:11:33');
    assert.match(meta.metricDefinitions['original.ttft_s'], /server-side/);
  });

  it('timed-out rows are failed runs with the original error; summaries exclude them', () => {
    const failed = runs.filter((r) => r.status === 'failed');
    assert.deepEqual(failed.map((r) => [r.variant, r.error]), [['gemma3_270m/g60_c1024_t0.2', 'timed out'], ['gemma3_270m/g60_c1024_t0.4', 'timed out']]);
    assert.equal(meta.counts.failed, 2);
    const v = (meta.summary.variants as unknown as { name: string; n: number; excluded: { failed: number } }[]).find((x) => x.name === 'gemma3_270m/g60_c1024_t0.2')!;
    assert.deepEqual([v.n, v.excluded.failed], [0, 1]);
  });

  it('baseline statistics equal hand-computed means; the summary CSVs agree with the raw rows', () => {
    const v = (meta.summary.variants as unknown as { name: string; server_ttft_ms: { mean: number }; decode_tps: { mean: number } }[]).find((x) => x.name === 'gemma3_270m/baseline')!;
    assert.ok(close(v.server_ttft_ms.mean, (7836.6299 + 63.1949 + 87.3913 + 62.0672 + 55.0553) / 5, 1e-9));
    const q4 = (meta.summary.variants as unknown as { name: string; decode_tps: { mean: number } }[]).find((x) => x.name === 'llama3.1_8b-instruct-q4_0/baseline')!;
    assert.equal(Math.round(q4.decode_tps.mean * 100) / 100, 76.59);
    assert.deepEqual(meta.differences!.map((d) => [d.agrees, d.recomputed]), [[true, 'all 12 agree'], [true, 'all 12 agree']]);
  });

  it('the GPU comes from the data (NVML sample), nothing is skipped', () => {
    assert.deepEqual(meta.environment.gpus, [{ name: 'NVIDIA GeForce RTX 4080 Laptop GPU', memoryTotalMb: 12282 }]);
    assert.ok((meta.imported!.environmentSources as string[]).some((s) => s.includes('baseline_system_metrics.json')));
    assert.deepEqual(result.skipped, []);
  });
});
