// The host's view data read from TR directories written by real runs (paced engine: exact schedule).
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { ChimeraError } from '../../../src/core/errors';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readRunsSync } from '../../../src/core/store/read';
import { quantileSorted } from '../../../src/core/stats/describe';
import { MIN_CALLS_FOR_TAIL } from '../../../src/core/stats/metrics';
import type { ChartPayload, HeatmapPayload } from '../../../src/shared/protocol';
import { loadCompareView } from '../../../src/vscode/dashboard/compareData';
import { loadTrView } from '../../../src/vscode/dashboard/trData';
import { makeWorkspace } from '../../helpers/workspace';

describe('webview: view data from real TR directories', function () {
  this.timeout(120_000);
  let engine: EngineHandle;
  const ws = makeWorkspace(false);
  let trA = '';
  let trB = '';
  let trSweep = '';
  let trMany = '';

  before(async () => {
    engine = await startEngine({ mode: 'paced', paced: { ttftMs: 30, tokensPerSec: 400, tokens: 16 } });
    const exp = (title: string, variants: { name: string; options: Record<string, unknown> }[]) =>
      normalizeExperiment({ title, kind: 'prompt', model: 'tiny:latest', endpoints: { default: engine.url }, prompts: ['why is the sky blue?'], repetitions: 3, warmup: 1, variants });
    trA = (await runExperiment(exp('two variants', [{ name: 'A', options: {} }, { name: 'B', options: { temperature: 0.5 } }]), { reportsDir: ws.reportsDir })).trId;
    await engine.configure({ paced: { tokensPerSec: 200 } });
    trB = (await runExperiment(exp('slower engine', [{ name: 'A', options: {} }]), { reportsDir: ws.reportsDir })).trId;
    const sweep = normalizeExperiment({ title: 'sweep', kind: 'prompt', model: 'tiny:latest', endpoints: { default: engine.url }, prompts: ['p'], repetitions: 2, warmup: 0, sweep: { top_k: [20, 40, 80], temperature: [0.2, 0.8] } });
    trSweep = (await runExperiment(sweep, { reportsDir: ws.reportsDir })).trId;
    // 20 runs of one call: enough calls (MIN_CALLS_FOR_TAIL) for the per-call tail.
    const many = normalizeExperiment({ title: 'many calls', kind: 'prompt', model: 'tiny:latest', endpoints: { default: engine.url }, prompts: ['a'], repetitions: 20, warmup: 0 });
    trMany = (await runExperiment(many, { reportsDir: ws.reportsDir })).trId;
  });
  after(async () => engine?.stop());

  it('TR view: validity counts, per-variant rows at the paced rate, figures as JSON payloads', async () => {
    const v = await loadTrView(ws.reportsDir, trA);
    assert.equal(v.trId, trA);
    assert.equal(v.status, 'complete');
    assert.deepEqual(v.validity, { runs: 8, counted: 6, warmup: 2, failed: 0, cancelled: 0, invalid: 0, solo: 0, corruptLines: 0 });
    assert.deepEqual(v.variants.map((r) => [r.name, r.n, r.options]), [['A', 3, '(server defaults)'], ['B', 3, 'temperature=0.5']]);
    // decode_tps is the server's eval_count/eval_duration over n−1 intervals: 400·16/15 for 16 tokens.
    for (const r of v.variants) {
      assert.ok(Math.abs(r.decodeTps!.mean - 400 * 16 / 15) / 400 < 0.05, `${r.name} decode ${r.decodeTps!.mean}`);
      assert.ok(r.decodeTps!.ci95 && r.decodeTps!.ci95[0] <= r.decodeTps!.mean && r.decodeTps!.mean <= r.decodeTps!.ci95[1]);
      assert.ok(r.ttftMs!.median >= 25, `ttft ${r.ttftMs!.median}`);
    }
    assert.equal(v.reference, 'A');
    assert.ok(v.comparisons.some((c) => c.a === 'A' && c.b === 'B' && c.verdict.length > 0));
    const ids = v.figures.map((f) => f.id);
    assert.ok(ids.includes('throughput') && ids.includes('ttft_box') && ids.includes('ttft_vs_tps'), ids.join(', '));
    for (const f of v.figures) {
      const text = JSON.stringify(f);
      assert.deepEqual(JSON.parse(text), f, `${f.id} survives postMessage (JSON only)`);
    }
    const tp = v.figures.find((f) => f.id === 'throughput') as ChartPayload;
    assert.deepEqual(tp.plugins, ['cfBackground', 'cfErrorBars']);
    const data = (tp.config.data as { datasets: { data: number[] }[] }).datasets[0].data;
    assert.deepEqual(data.map((x) => Math.round(x)), v.variants.map((r) => Math.round(r.decodeTps!.mean)));
  });

  it('TR view: TTFT per-run statistics say n = runs; per-call p95/p99 only from MIN_CALLS_FOR_TAIL calls, over the raw calls', async () => {
    const few = (await loadTrView(ws.reportsDir, trA)).variants[0];
    assert.equal(few.ttftMs!.runs, 3);
    assert.equal(few.ttftMs!.perCall, null, '3 calls: no per-call tail');
    const v = (await loadTrView(ws.reportsDir, trMany)).variants[0];
    assert.equal(v.ttftMs!.runs, 20);
    const calls = readRunsSync(join(ws.reportsDir, trMany)).runs.flatMap((r) => r.calls).map((c) => c.metrics!.ttft_ms!).sort((x, y) => x - y);
    assert.equal(calls.length, MIN_CALLS_FOR_TAIL);
    assert.deepEqual(v.ttftMs!.perCall, { n: 20, p95: quantileSorted(calls, 0.95), p99: quantileSorted(calls, 0.99) });
    assert.equal(v.e2eMs!.perCall!.n, 20);
  });

  it('TR view: generated text comes back verbatim (markup included) for the webview to show as text', async () => {
    const runs = readRunsSync(join(ws.reportsDir, trA)).runs;
    const last = runs.at(-1)!;
    const file = last.calls.find((c) => c.outputFile)!.outputFile!;
    const xss = '<img src=x onerror="alert(1)"><script>alert(2)</script> & done';
    // A later line under the same name wins: append the markup as the text of that call.
    appendFileSync(join(ws.reportsDir, trA, 'outputs.jsonl'), `${JSON.stringify({ name: file.slice('outputs.jsonl#'.length), text: xss })}\n`);
    const v = await loadTrView(ws.reportsDir, trA);
    assert.equal(v.outputs[0].run, last.run);
    assert.equal(v.outputs[0].text, xss);
    assert.equal(v.outputs[0].truncated, false);
    assert.ok(v.outputs.length <= 3 && v.outputs.every((o) => o.text.length > 0));
  });

  it('comparison: A of the slower TR vs A of the faster one, difference and CI in tok/s', () => {
    const c = loadCompareView(ws.reportsDir, { trId: trA, variant: 'A' }, { trId: trB });
    assert.equal(c.metric, 'decode_tps');
    assert.equal(c.unit, 'tok/s');
    assert.equal(c.better, 'higher');
    assert.equal(c.b.variant, 'A');
    assert.ok(Math.abs(c.a.mean - 400 * 16 / 15) < 20 && Math.abs(c.b.mean - 200 * 16 / 15) < 10, `${c.a.mean} vs ${c.b.mean} (rate·n/(n−1), n = 16)`);
    assert.ok(Math.abs(c.diff - (c.b.mean - c.a.mean)) < 1e-9);
    // Exact paced server durations: no spread in either group, so no test, no CI (p null), and the verdict says so.
    assert.deepEqual([c.ci95, c.p], [null, null]);
    assert.match(c.verdict, /^not testable \(no variation\) on decode_tps/);
    // The client-clock e2e time has spread: a real Welch test and CI; B (the slower engine: 16 tokens at
    // 200 instead of 400 tok/s, ≈ 40 ms more) takes longer. n = 3 on a loaded machine may not detect it.
    const e = loadCompareView(ws.reportsDir, { trId: trA, variant: 'A' }, { trId: trB }, 'e2e_ms');
    assert.ok(e.p !== null && e.ci95 && e.ci95[0] <= e.diff && e.diff <= e.ci95[1] && e.diff > 20, `diff ${e.diff}, CI ${e.ci95}`);
    assert.match(e.verdict, /slower than|^no detectable difference/);
  });

  it('comparison against a baseline: the gate decides B (the engine at half the rate) a regression at 5%, a pass at 60%', () => {
    const plain = loadCompareView(ws.reportsDir, { trId: trA, variant: 'A' }, { trId: trB });
    assert.equal(plain.gate, undefined);
    // Same engine, model, host and variant options: titles and variant lists are not compared facts.
    assert.deepEqual(plain.provenance, []);
    const c = loadCompareView(ws.reportsDir, { trId: trA, variant: 'A' }, { trId: trB }, 'decode_tps', { maxRegressionPct: 5 });
    assert.ok(c.gate);
    assert.deepEqual([c.gate.outcome, c.gate.decision, c.gate.base, c.gate.new], ['regression', 'regression', { tr: trA, variant: 'A' }, { tr: trB, variant: 'A' }]);
    assert.ok(Math.abs(c.gate.changePct - -50) < 1e-6, String(c.gate.changePct));
    assert.equal(c.gate.line, 'decode_tps −50.0% [−50.0, −50.0], regression');
    assert.match(c.gate.ciDefinition, /delta method on the log scale/);
    const tolerant = loadCompareView(ws.reportsDir, { trId: trA, variant: 'A' }, { trId: trB }, 'decode_tps', { maxRegressionPct: 60 });
    assert.equal(tolerant.gate?.outcome, 'pass');
  });

  it('a 2-D sweep gives a heatmap payload: one cell per variant with its mean and n', async () => {
    const v = await loadTrView(ws.reportsDir, trSweep);
    const heat = v.figures.filter((f): f is HeatmapPayload => f.kind === 'heatmap');
    assert.equal(heat.length, 1);
    const h = heat[0];
    assert.deepEqual([h.yName, h.xName, h.yLabels, h.xLabels, h.unit], ['top_k', 'temperature', ['20', '40', '80'], ['0.2', '0.8'], 'tok/s']);
    assert.deepEqual(h.notes, [['n=2', 'n=2'], ['n=2', 'n=2'], ['n=2', 'n=2']]);
    for (const [yi, y] of h.yLabels.entries()) {
      for (const [xi, x] of h.xLabels.entries()) {
        const row = v.variants.find((r) => r.options.includes(`top_k=${y}`) && r.options.includes(`temperature=${x}`));
        assert.ok(row, `no variant for top_k=${y}, temperature=${x}`);
        assert.ok(Math.abs(h.values[yi][xi]! - row.decodeTps!.mean) < 1e-9, `cell ${y}/${x}`);
      }
    }
  });

  const bad: { name: string; a: { trId: string; variant?: string }; b: { trId: string; variant?: string }; code: string }[] = [
    { name: 'a TR that does not exist', a: { trId: 'TR999' }, b: { trId: 'TR1' }, code: 'E_NOT_FOUND' },
    { name: 'a TR with two variants and none named', a: { trId: 'TR1' }, b: { trId: 'TR2' }, code: 'E_BAD_INPUT' },
    { name: 'a variant that is not there', a: { trId: 'TR1', variant: 'Z' }, b: { trId: 'TR2' }, code: 'E_NOT_FOUND' },
    { name: 'the same group twice', a: { trId: 'TR2' }, b: { trId: 'TR2', variant: 'A' }, code: 'E_BAD_INPUT' },
  ];
  for (const c of bad) {
    it(`comparison refuses ${c.name} (${c.code})`, () => {
      assert.deepEqual([trA, trB], ['TR1', 'TR2']);
      assert.throws(() => loadCompareView(ws.reportsDir, c.a, c.b), (e: unknown) => e instanceof ChimeraError && e.code === c.code);
    });
  }
});
