// Chart definitions are pure functions of the summary and the runs: their series must equal the
// summary's numbers; the node renderer must turn each into a PNG with a drawn figure on it.
import assert from 'node:assert/strict';
import { buildSummary } from '../../../src/core/stats/accumulator';
import { statOf, type RunSummary } from '../../../src/core/stats/summaryTypes';
import { chartsFor } from '../../../src/core/charts/select';
import { throughputChart, ttftBoxChart } from '../../../src/core/charts/summaryCharts';
import { sweepAxes, sweepHeatmaps } from '../../../src/core/charts/sweepChart';
import { efficiencySpeedupChart, timelineChart, ttftVsTpsScatter } from '../../../src/core/charts/runCharts';
import { renderChartPng } from '../../../src/core/charts/render';
import { rampColor } from '../../../src/core/charts/palette';
import type { RunRecord } from '../../../src/core/types';
import { makeAgent, makeRun, SEEDED_A, SEEDED_B } from '../stats/fixtures';
import { pixelAt, pngInk } from './pixels';

function abRuns(): RunRecord[] {
  const runs: RunRecord[] = [makeRun({ run: 0, variant: 'A', warmup: true, calls: [{ tps: 10 }] })];
  SEEDED_A.forEach((tps, i) => runs.push(makeRun({ run: runs.length, variant: 'A', calls: [{ tps, ttftMs: 40 + i }, { tps: tps + 1, ttftMs: 60 + i }] })));
  SEEDED_B.forEach((tps, i) => runs.push(makeRun({ run: runs.length, variant: 'B', calls: [{ tps, ttftMs: 30 + 2 * i }, { tps: tps - 1, ttftMs: 50 + i }] })));
  return runs;
}

const ab = (): RunSummary => buildSummary(abRuns(), { kind: 'prompt', variants: [{ name: 'A', options: {} }, { name: 'B', options: { num_ctx: 512 } }] });

function sweepSummary(): RunSummary {
  const variants = [];
  const runs: RunRecord[] = [];
  for (const gpu of [80, 60]) for (const ctx of [1024, 512]) for (const temp of [0.6, 0.8]) {
    const name = `gpu${gpu}_ctx${ctx}_t${temp}`;
    variants.push({ name, options: { num_gpu: gpu, num_ctx: ctx, temperature: temp } });
    for (let r = 0; r < 2; r++) runs.push(makeRun({ run: runs.length, variant: name, calls: [{ tps: gpu + ctx / 100 + temp + r }] }));
  }
  return buildSummary(runs, { kind: 'prompt', variants });
}

function multiRuns(): RunRecord[] {
  return [1, 2, 3].map((i) => {
    const r = makeRun({ run: i, variant: 'default', multiAgent: { overlap_efficiency: 90 + i, speedup_vs_sequential: 1.2 + i / 10 }, agents: [makeAgent('collector', 1000 + i, [{ tps: 40 }]), makeAgent('insight', 900, [{ tps: 42 }])] });
    r.agents![1].startOffsetMs = 3 * i;
    return r;
  });
}

describe('chart definitions', () => {
  it('throughput bars are the variants\' mean decode_tps with their 95% CIs as error bars', () => {
    const s = ab();
    const spec = throughputChart(s)!;
    const ds = spec.config.data.datasets[0];
    assert.deepEqual(ds.data, s.variants.map((v) => statOf(v, 'decode_tps')!.mean));
    assert.deepEqual(spec.config.options!.plugins!.cfErrorBars!.intervals, [s.variants.map((v) => statOf(v, 'decode_tps')!.ci95)]);
    assert.deepEqual(spec.config.data.labels, ['A (n=8)', 'B (n=7)']);
    assert.equal((spec.config.options!.scales!.y as { title: { text: string } }).title.text, 'decode_tps (tok/s)');
  });

  it('TTFT box plot: box p25–p75, whiskers p5–p95, median from the summary', () => {
    const s = ab();
    const spec = ttftBoxChart(s)!;
    const t = s.variants.map((v) => statOf(v, 'ttft_ms')!);
    assert.deepEqual(spec.config.data.datasets[0].data, t.map((x) => [x.p25, x.p75]));
    assert.deepEqual(spec.config.options!.plugins!.cfBoxWhiskers!.boxes, t.map((x) => ({ low: x.p5, high: x.p95, median: x.median })));
  });

  it('sweep: one heatmap per value of the third axis, cells = variant means, sorted axes', () => {
    const s = sweepSummary();
    assert.deepEqual(sweepAxes(s).map((a) => [a.name, a.values]), [['num_gpu', [60, 80]], ['num_ctx', [512, 1024]], ['temperature', [0.6, 0.8]]]);
    const specs = sweepHeatmaps(s);
    assert.deepEqual(specs.map((x) => x.name), ['sweep_decode_tps_temperature-0-6', 'sweep_decode_tps_temperature-0-8']);
    const h = specs[1].config.options!.plugins!.cfHeatmap!;
    const mean = (name: string): number => statOf(s.variants.find((v) => v.name === name)!, 'decode_tps')!.mean;
    assert.deepEqual(h.values, [[mean('gpu60_ctx512_t0.8'), mean('gpu60_ctx1024_t0.8')], [mean('gpu80_ctx512_t0.8'), mean('gpu80_ctx1024_t0.8')]]);
    assert.deepEqual([h.xLabels, h.yLabels], [['512', '1024'], ['60', '80']]);
    assert.deepEqual(sweepHeatmaps(ab()), [], 'one varying option is not a sweep heatmap');
  });

  it('sweep heatmaps never mix models, skip per-agent option objects and sparse grids', () => {
    const s = sweepSummary();
    const byGpu = sweepHeatmaps(s, 'decode_tps', undefined, (v) => (v.startsWith('gpu60') ? 'small:1b' : 'big:8b'));
    // Per model only num_ctx and temperature vary: one figure each, named after the model.
    assert.deepEqual(byGpu.map((x) => x.name), ['sweep_decode_tps_big-8b', 'sweep_decode_tps_small-1b']);
    assert.match(byGpu[1].title, /num_ctx × temperature — small:1b$/);
    const perAgent = { ...s, variants: s.variants.map((v, i) => ({ ...v, options: { collector: { num_gpu: i }, insight: { num_ctx: i } } })) } as unknown as RunSummary;
    assert.deepEqual(sweepAxes(perAgent), []);
    const sparse = { ...s, variants: s.variants.filter((v) => v.name.includes('t0.6') && !v.name.startsWith('gpu60_ctx512')).slice(0, 1) } as RunSummary;
    assert.deepEqual(sweepHeatmaps(sparse), []);
  });

  it('multi-agent timeline and efficiency/speedup come from the counted runs', () => {
    const runs = multiRuns();
    const tl = timelineChart(runs)!;
    assert.deepEqual(tl.config.data.labels, ['run 1 · collector', 'run 1 · insight', 'run 2 · collector', 'run 2 · insight', 'run 3 · collector', 'run 3 · insight']);
    assert.deepEqual(tl.config.data.datasets[1].data, [null, [3, 903], null, [6, 906], null, [9, 909]]);
    const es = efficiencySpeedupChart(runs)!;
    assert.deepEqual(es.config.data.datasets.map((d) => d.data), [[91, 92, 93], [1.3, 1.4, 1.5]]);
    assert.equal(timelineChart(abRuns()), null);
    assert.equal(efficiencySpeedupChart(abRuns()), null);
  });

  it('scatter: one point per ok call of the counted runs (warm-ups left out)', () => {
    const spec = ttftVsTpsScatter(abRuns())!;
    assert.deepEqual(spec.config.data.datasets.map((d) => [d.label, d.data.length]), [['A (16 calls)', 16], ['B (14 calls)', 14]]);
    assert.deepEqual(spec.config.data.datasets[0].data[0], { x: 40, y: SEEDED_A[0] });
  });

  it('chartsFor picks every figure that has data, in a fixed order', () => {
    assert.deepEqual(chartsFor({ summary: ab(), runs: abRuns() }).map((c) => c.name), ['throughput', 'ttft_box', 'ttft_vs_tps']);
    const multi = buildSummary(multiRuns(), { kind: 'multi-agent', variants: [{ name: 'default', options: {} }] });
    assert.deepEqual(chartsFor({ summary: multi, runs: multiRuns() }).map((c) => c.name), ['throughput', 'ttft_box', 'multiagent_timeline', 'multiagent_efficiency_speedup', 'ttft_vs_tps']);
  });

  it('without client TTFT (imported server timings) the box plot shows server_ttft_ms, labelled', () => {
    const s = ab();
    const serverOnly = { ...s, variants: s.variants.map((v) => ({ ...v, ttft_ms: undefined })) } as unknown as RunSummary;
    const specs = chartsFor({ summary: serverOnly, runs: [] });
    assert.deepEqual(specs.map((c) => c.name), ['throughput', 'server_ttft_box']);
    assert.equal((specs[1].config.options!.scales!.y as { title: { text: string } }).title.text, 'server_ttft_ms (ms)');
  });

  it('the heatmap ramp runs from dark violet to yellow', () => {
    assert.deepEqual([rampColor(0), rampColor(1), rampColor(-1), rampColor(2)], ['rgb(68, 1, 84)', 'rgb(253, 231, 37)', 'rgb(68, 1, 84)', 'rgb(253, 231, 37)']);
  });
});

describe('chart rendering (Chart.js on @napi-rs/canvas)', function () {
  this.timeout(60_000);
  const specs = [...chartsFor({ summary: ab(), runs: abRuns() }), ...sweepHeatmaps(sweepSummary()), timelineChart(multiRuns())!, efficiencySpeedupChart(multiRuns())!];
  for (const spec of specs) {
    it(`${spec.name}: an opaque PNG of the declared size with a drawn figure`, async () => {
      const png = renderChartPng(spec);
      const ink = await pngInk(png);
      assert.deepEqual([ink.width, ink.height], [spec.width, spec.height]);
      assert.deepEqual(await pixelAt(png, 1, 1), [255, 255, 255, 255], 'opaque white background');
      assert.ok(ink.ink > 0.02, `${(ink.ink * 100).toFixed(1)}% of pixels drawn`);
      assert.ok(ink.colours > 8, `${ink.colours} colours`);
    });
  }

  it('the heatmap cell of the largest mean is painted with the top of the ramp', async () => {
    const spec = sweepHeatmaps(sweepSummary())[1];
    const png = renderChartPng(spec);
    // Bottom-right cell (gpu 80, ctx 1024) holds the largest value; sample near its top-left corner.
    const { width, height } = spec;
    const px = await pixelAt(png, Math.round(width * 0.62), Math.round(height * 0.62));
    assert.deepEqual(px.slice(0, 3), [253, 231, 37]);
  });
});
