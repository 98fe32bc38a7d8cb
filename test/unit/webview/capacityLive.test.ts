// The dashboard of a capacity sweep: live, the capacity-progress events of a real sweep (paced engine)
// go through the host's stamping and the one reducer into the state the live view draws (level now,
// in flight, rate achieved, p95 TTFT so far; one point per run by level); opened, the TR view holds the
// verdicts, the per-level rows and the report's three capacity figures.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import type { RunnerEvent } from '../../../src/core/runner/events';
import { readMeta } from '../../../src/core/store/read';
import type { CapacitySummary } from '../../../src/core/capacity/summary';
import { applyLiveEvent, emptyLiveState, type LiveCapacityRun } from '../../../src/shared/liveState';
import type { ChartPayload } from '../../../src/shared/protocol';
import { LiveStamper } from '../../../src/vscode/dashboard/batcher';
import { loadTrView } from '../../../src/vscode/dashboard/trData';
import { capacityLiveConfig } from '../../../webview/liveCharts';
import { makeWorkspace } from '../../helpers/workspace';

describe('webview: capacity sweep live and opened', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'paced', parallel: 2, paced: { ttftMs: 40, tokensPerSec: 200, tokens: 8, loadMs: 0 } });
  });
  after(async () => e?.stop());

  it('live: current level, in flight, achieved rate and p95 so far; one point per run by level; the chart draws them', async () => {
    const ws = makeWorkspace(false);
    const stamper = new LiveStamper();
    const state = emptyLiveState();
    const seen: LiveCapacityRun[] = [];
    const r = await runExperiment(normalizeExperiment({
      title: 'capacity live', kind: 'capacity', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['hi'], repetitions: 1,
      load: { mode: 'concurrency', levels: [1, 4], durationS: 1.5, warmupS: 0.3 }, slo: { ttft_ms: { p95: 1000 } },
    }), {
      reportsDir: ws.reportsDir, gpuSampling: false,
      onEvent: (ev: RunnerEvent) => {
        applyLiveEvent(state, stamper.stamp(ev));
        if (state.capacity?.current) seen.push({ ...state.capacity.current });
      },
    });
    assert.equal(r.status, 'complete');
    // While level 4 ran, the view had it as the current level with 4 in flight (closed loop).
    const at4 = seen.filter((c) => c.level === 4 && !c.warmup);
    assert.ok(at4.length >= 1, 'progress seen at level 4 after its warm-up');
    assert.ok(at4.some((c) => c.inFlight === 4), `in flight at 4: ${at4.map((c) => c.inFlight).join(',')}`);
    // p95 so far is null until a counted request has ended, then never below the paced 40 ms; the last
    // progress of the level has both.
    assert.ok(at4.every((c) => c.achievedRps !== null && c.achievedRps >= 0 && (c.ttftP95Ms === null || c.ttftP95Ms >= 40)), 'rate achieved and p95 TTFT so far (≥ the paced 40 ms)');
    const last4 = at4.at(-1)!;
    assert.ok(last4.achievedRps! > 0 && last4.ttftP95Ms !== null, `last progress at 4: ${JSON.stringify(last4)}`);
    // Finished: nothing is current; each run keeps its last progress, by level.
    assert.equal(state.capacity!.current, null);
    assert.deepEqual(state.capacity!.runs.map((x) => x.level), [1, 4]);
    const cfg = capacityLiveConfig(state) as { data: { datasets: { label: string; yAxisID: string; data: { x: number; y: number }[] }[] } };
    assert.deepEqual(cfg.data.datasets.map((d) => [d.label, d.yAxisID]), [['default: achieved req/s', 'y'], ['default: p95 TTFT so far (ms)', 'y1']]);
    assert.deepEqual(cfg.data.datasets[0].data.map((p) => p.x), [1, 4]);
    assert.deepEqual(cfg.data.datasets[0].data.map((p) => p.y), state.capacity!.runs.map((x) => x.achievedRps));
    // The live rate so far approaches the run's achieved_rps (the same numerator and measured seconds,
    // the last tick up to 500 ms before the window's end): within what 0.5 s of starts can move it.
    const cap = readMeta(r.trDir).summary.capacity as CapacitySummary;
    for (const l of cap.variants[0].levels) {
      const live = state.capacity!.runs.find((x) => x.level === l.level)!.achievedRps!;
      assert.ok(Math.abs(live - l.achieved_rps.mean) / l.achieved_rps.mean < 0.35, `level ${l.level}: live ${live} vs achieved_rps ${l.achieved_rps.mean}`);
    }

    // Opened: verdicts in words, one row per level, the three figures of the report.
    const v = await loadTrView(ws.reportsDir, r.trId);
    assert.ok(v.capacity, 'capacity view data');
    assert.equal(v.capacity.unit, cap.unit);
    assert.match(v.capacity.verdicts[0], /^default sustains 4 concurrent within the SLO; highest output/);
    assert.deepEqual(v.capacity.rows.map((x) => [x.variant, x.level, x.requests]), cap.variants[0].levels.map((l) => ['default', l.level, l.requests]));
    assert.deepEqual(v.figures.map((f) => f.id), ['capacity_throughput', 'capacity_latency_throughput', 'capacity_goodput']);
    const thr = v.figures[0] as ChartPayload;
    const pts = (thr.config.data as { datasets: { data: { x: number; y: number }[] }[] }).datasets[0].data;
    assert.deepEqual(pts.map((p) => p.y), cap.variants[0].levels.map((l) => l.output_tps.mean));
  });
});
