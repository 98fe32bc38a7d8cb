// Per-call percentiles (over all ok calls of the counted runs) beside per-run statistics (over per-run
// means): a "TTFT p95" of 3 per-run means is not the p95 a latency reader expects.
import assert from 'node:assert/strict';
import { renderResults } from '../../../src/core/report/results';
import { buildSummary } from '../../../src/core/stats/accumulator';
import { MIN_CALLS_FOR_TAIL, SUMMARY_DEFINITIONS } from '../../../src/core/stats/metrics';
import { statOf } from '../../../src/core/stats/summaryTypes';
import { TrWriter } from '../../../src/core/store/writer';
import { loadTrView } from '../../../src/vscode/dashboard/trData';
import { makeWorkspace } from '../../helpers/workspace';
import { makeRun } from './fixtures';

/** Rounded to 1e-9 so interpolated percentiles compare exactly. */
const round = <T>(o: T): T => JSON.parse(JSON.stringify(o, (_k, x: unknown) => (typeof x === 'number' ? Math.round(x * 1e9) / 1e9 : x))) as T;

// 3 counted runs × 10 calls, TTFT 1…30 ms; a warm-up with a huge TTFT that must not count.
function runs() {
  const out = [makeRun({ run: 0, variant: 'v', warmup: true, calls: [{ tps: 10, ttftMs: 9999 }] })];
  for (let r = 0; r < 3; r++) out.push(makeRun({ run: r + 1, variant: 'v', calls: Array.from({ length: 10 }, (_, i) => ({ tps: 100, ttftMs: r * 10 + i + 1, e2eMs: 500 })) }));
  return out;
}

describe('per-call percentiles', () => {
  it('over all ok calls of the counted runs: n = calls, R type 7, defined once in the summary definitions', () => {
    const s = buildSummary(runs(), { kind: 'prompt', variants: [{ name: 'v', options: {} }] });
    const v = s.variants[0];
    // per run: means 5.5, 15.5, 25.5 → p95 over runs = 15.5 + 0.9 × 10 = 24.5
    assert.equal(statOf(v, 'ttft_ms')?.p95, 24.5);
    // per call: 1…30, k = 29 × 0.95 = 27.55 → 28.55; p99: k = 28.71 → 29.71; median 15.5
    assert.deepEqual(round(v.per_call?.ttft_ms), { n: 30, median: 15.5, p95: 28.55, p99: 29.71, max: 30 });
    assert.deepEqual(v.per_call?.e2e_ms, { n: 30, median: 500, p95: 500, p99: 500, max: 500 });
    assert.match(SUMMARY_DEFINITIONS.per_call_percentiles, /over all ok calls of the counted runs/);
    assert.match(SUMMARY_DEFINITIONS.per_call_percentiles, new RegExp(`fewer than ${MIN_CALLS_FOR_TAIL} calls`));
  });

  it('report: per-run tables say they are over per-run means; a per-call table lists p95/p99 with n calls', () => {
    const s = buildSummary(runs(), { kind: 'prompt', variants: [{ name: 'v', options: {} }] });
    const md = renderResults({ summary: s, figures: [] } as unknown as Parameters<typeof renderResults>[0]);
    assert.match(md, /per-run values: a call metric's per-run value is the mean over the run's ok calls, so the p95 of a call metric is the p95 of per-run means/);
    assert.match(md, /### Per-call latency percentiles/);
    assert.match(md, /\| `v` \| `ttft_ms` \| ms \| 30 \| 15\.50 \| 28\.55 \| 29\.71 \| 30 \|/);
  });

  it('dashboard TR view: per-run p95 labelled as such, per-call p95 with its n, none below the minimum number of calls', async () => {
    const ws = makeWorkspace(false);
    const w = TrWriter.create(ws.reportsDir, {
      title: 'per call', kind: 'prompt', experiment: { hash: 'sha256:x', kind: 'prompt', variants: [{ name: 'v', options: {} }, { name: 'few', options: {} }] },
      environment: { endpoints: [], host: { os: 'linux', arch: 'x64', cpus: 2, memoryBytes: 1, node: 'v20' }, gpus: [], tool: { name: 'chimeraforge', version: '0' } },
      metricDefinitions: {}, supersedes: null, planned: 6,
    });
    for (const r of runs()) w.addRun(r);
    w.addRun(makeRun({ run: 10, variant: 'few', calls: [{ tps: 100, ttftMs: 7 }] }));
    w.addRun(makeRun({ run: 11, variant: 'few', calls: [{ tps: 100, ttftMs: 9 }] }));
    w.finish('complete', { variants: [], comparisons: [] }, '');
    const view = await loadTrView(ws.reportsDir, w.id);
    const [v, few] = view.variants;
    assert.deepEqual(round(v.ttftMs), { median: 15.5, p95: 24.5, mean: 15.5, runs: 3, perCall: { n: 30, p95: 28.55, p99: 29.71 } });
    assert.deepEqual(few.ttftMs?.perCall, null, `2 calls < ${MIN_CALLS_FOR_TAIL}: no per-call tail`);
  });
});
