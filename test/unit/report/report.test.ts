// Technical reports from REAL runs: the paced engine (exact token schedule over real HTTP) runs a
// two-variant prompt experiment, a sweep and an agent workflow through runExperiment; the report,
// charts, index, compare, supersede and compendium are then checked against the stored summary.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment, type RunResult } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { statOf, type RunSummary } from '../../../src/core/stats/summaryTypes';
import { writeReport } from '../../../src/core/report/write';
import { escapeInline, fmtCi, fmtNum } from '../../../src/core/report/format';
import { makeWorkspace, type TestWorkspace } from '../../helpers/workspace';
import { pngInk } from '../charts/pixels';

describe('technical report from a real run (paced engine)', function () {
  this.timeout(240_000);
  let engine: EngineHandle;
  let ws: TestWorkspace;
  let ab: RunResult;
  let sweep: RunResult;

  const run = (file: Omit<ExperimentFile, 'endpoints' | 'model'>): Promise<RunResult> =>
    runExperiment(normalizeExperiment({ model: 'tiny:latest', endpoints: { default: engine.url }, ...file } as ExperimentFile, { workspaceDir: ws.dir }), { reportsDir: ws.reportsDir, command: 'chimeraforge run test.experiment.json' });

  before(async () => {
    engine = await startEngine({ mode: 'paced', paced: { ttftMs: 10, tokensPerSec: 400, tokens: 12 } });
    ws = makeWorkspace(false);
    ab = await run({ title: 'Slow vs fast | <b>decode</b>', kind: 'prompt', prompts: ['why is the sky blue', 'hello'], repetitions: 4, warmup: 1,
      variants: [{ name: 'slow', options: { paced_tps: 200 } }, { name: 'fast', options: { paced_tps: 400 } }] });
    sweep = await run({ title: 'Sweep of rate and TTFT', kind: 'prompt', prompts: ['a'], repetitions: 2, warmup: 0,
      sweep: { paced_tps: [150, 300], paced_ttft_ms: [5, 20] } });
  });
  after(async () => engine?.stop());

  it('contains the summary\'s numbers, CIs and verdicts, and its figures exist and are not blank', async () => {
    const r = writeReport(ab.trDir);
    const md = readFileSync(r.reportFile, 'utf8');
    const meta = readMeta(ab.trDir);
    const summary = meta.summary as RunSummary;
    assert.equal(r.reportFile, join(ws.reportsDir, `Technical_Report_${ab.trId.slice(2)}.md`));
    assert.match(md, new RegExp(`^# Technical Report ${ab.trId.slice(2)}: Slow vs fast \\\\\\| &lt;b&gt;decode&lt;/b&gt;\\n`), 'title escaped: no table pipe, no HTML');
    for (const v of summary.variants) {
      const tps = statOf(v, 'decode_tps')!;
      // The paced schedule is the ground truth: per-run server decode rates are paced_tps·n/(n−1) (n = 12
      // tokens; eval_duration spans the n−1 intervals, as the Go runner's).
      assert.ok(Math.abs(tps.mean - (v.name === 'slow' ? 200 : 400) * 12 / 11) < 5, `${v.name} decode_tps ${tps.mean}`);
      const row = `| \`decode_tps\` | tok/s | ${tps.n} | ${fmtNum(tps.mean)} | ${fmtNum(tps.sd)} | ${fmtNum(tps.cv)} | ${fmtNum(tps.median)} | ${fmtNum(tps.p95)} | ${fmtNum(tps.min)} | ${fmtNum(tps.max)} | ${fmtCi(tps.ci95)} |`;
      assert.ok(md.includes(row), `row for ${v.name}: ${row}`);
      assert.ok(tps.ci95 !== null && md.includes(fmtCi(tps.ci95)));
    }
    const c = summary.comparisons.find((x) => x.metric === 'decode_tps')!;
    assert.equal(c.a, 'slow');
    // The paced engine reports exact server durations, so every run of a variant has the same decode_tps:
    // no spread, no test (p null), never "p = 0, detectable".
    assert.equal(c.p, null);
    assert.match(c.verdict, /^not testable \(no variation\) on decode_tps: every run of slow gave 218\.2 tok\/s and every run of fast gave 436\.4 tok\/s/, 'rate·12/11');
    assert.ok(md.includes(`1. ${escapeInline(c.verdict)}.`), 'the decode_tps verdict is the first key finding');
    // e2e_ms is measured on the client clock, so it has spread and gets a real test.
    const e2e = summary.comparisons.find((x) => x.metric === 'e2e_ms')!;
    assert.match(e2e.verdict, /^fast is \d+(\.\d)?% faster than slow on e2e_ms/);
    assert.ok(e2e.ci95 !== null && md.includes(fmtCi(e2e.ci95)) && md.includes(fmtCi(e2e.bootstrapCi95 ?? null)), 'Welch and bootstrap CIs of the difference');
    for (const h of ['## Executive Summary', '## Table of Contents', '## 1. Methodology', '### Metric definitions', '### Protocol', '## 2. Results', '## 3. Comparisons', '## 4. Validity', '## 5. Reproducibility', '## Appendix A: Configuration']) {
      assert.ok(md.includes(`\n${h}\n`), `section ${h}`);
    }
    assert.ok(md.includes('chimeraforge run test.experiment.json') && md.includes(meta.experiment.hash));
    assert.ok(!/PARTIAL/.test(md), 'a complete TR has no PARTIAL banner');
    // Figures: listed in meta.artifacts, referenced by the report, real PNGs with ink on them.
    assert.deepEqual(meta.artifacts.charts, r.charts);
    assert.deepEqual(r.charts, ['charts/throughput.png', 'charts/ttft_box.png', 'charts/ttft_vs_tps.png']);
    for (const chart of r.charts) {
      assert.ok(md.includes(`](${ab.trId}/${chart})`), `report links ${chart}`);
      const png = readFileSync(join(ab.trDir, chart));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
      const ink = await pngInk(png);
      assert.ok(png.length > 10_000, `${chart}: ${png.length} bytes`);
      assert.ok(ink.width >= 800 && ink.height >= 400, `${chart}: ${ink.width}×${ink.height}`);
      assert.ok(ink.ink > 0.02 && ink.ink < 0.9, `${chart}: ${(ink.ink * 100).toFixed(1)}% of pixels drawn`);
      assert.ok(ink.colours > 8, `${chart}: ${ink.colours} colours`);
    }
    assert.equal(meta.artifacts.report, `../Technical_Report_${ab.trId.slice(2)}.md`);
  });

  it('regenerating from the same TR directory is byte-identical (markdown and summary.csv)', () => {
    const first = writeReport(ab.trDir);
    const md1 = readFileSync(first.reportFile, 'utf8');
    const csv1 = readFileSync(join(ab.trDir, 'summary.csv'), 'utf8');
    const second = writeReport(ab.trDir);
    assert.equal(readFileSync(second.reportFile, 'utf8'), md1);
    assert.equal(readFileSync(join(ab.trDir, 'summary.csv'), 'utf8'), csv1);
  });

  it('a sweep gets a heatmap over the two swept options', async () => {
    const r = writeReport(sweep.trDir);
    const heat = r.charts.filter((c) => c.startsWith('charts/sweep_'));
    assert.deepEqual(heat, ['charts/sweep_decode_tps.png']);
    const md = readFileSync(r.reportFile, 'utf8');
    assert.ok(md.includes('Sweep: mean decode\\_tps over paced\\_tps × paced\\_ttft\\_ms'));
    const ink = await pngInk(readFileSync(join(sweep.trDir, heat[0])));
    assert.ok(ink.ink > 0.2, `heatmap cells fill the plot: ${(ink.ink * 100).toFixed(1)}%`);
  });

  it('an interrupted TR (running, writer gone) is regenerated from its partial runs and marked PARTIAL', () => {
    const id = 'TR90';
    const dir = join(ws.reportsDir, id);
    cpSync(ab.trDir, dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const meta = readMeta(dir);
    Object.assign(meta, { id, status: 'running', finishedAt: null, writer: { pid: dead, hostname: hostname(), startedAt: meta.createdAt } });
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
    const lines = readFileSync(join(dir, 'runs.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'runs.jsonl'), `${lines.slice(0, 5).join('\n')}\n{"run": 5, "vari`);
    const r = writeReport(dir);
    assert.equal(r.status, 'interrupted');
    const md = readFileSync(r.reportFile, 'utf8');
    const banner = md.indexOf('> **PARTIAL — interrupted.**');
    assert.ok(banner > 0 && banner < md.indexOf('## Executive Summary'), 'banner at the top');
    assert.ok(md.includes(`5 of ${meta.counts.planned} planned runs were recorded`));
    assert.ok(md.includes('runs.jsonl had 1 unreadable line(s), skipped'), 'the torn last line is reported');
    assert.equal(readRunsSync(dir).runs.length, 5);
    assert.equal((readMeta(dir).summary as RunSummary).counts.runs, 5, 'meta.summary recomputed from the 5 runs');
  });
});
