// The live view of adaptive repetitions: each adaptive-check event adds one point per variant (the CI
// narrowing), the chart draws them against the target, and the plan size follows the added runs.
import assert from 'node:assert/strict';
import type { RunnerEvent } from '../../../src/core/runner/events';
import { applyLiveEvents, emptyLiveState } from '../../../src/shared/liveState';
import type { LiveEvent } from '../../../src/shared/protocol';
import { adaptiveConfig } from '../../../webview/liveCharts';

const at = (atMs: number, event: RunnerEvent): LiveEvent => ({ atMs, event });
const check = (repetitions: number, a: number | null, b: number, decision: 'continue' | 'stop', planned: number): RunnerEvent => ({
  type: 'adaptive-check', metric: 'decode_tps', targetPct: 2, repetitions, decision, reason: `after ${repetitions}`, planned,
  variants: [{ name: 'A', repetitions, n: repetitions, mean: 50, halfWidthPct: a, met: a !== null && a <= 2 }, { name: 'B', repetitions, n: repetitions, mean: 40, halfWidthPct: b, met: b <= 2 }],
});

describe('webview: adaptive repetitions live', () => {
  it('points per check, the decision, and planned growing with the added rounds', () => {
    const started: RunnerEvent = { type: 'experiment-started', trId: 'TR1', trDir: '/r/TR1', title: 't', kind: 'prompt', planned: 6, variants: ['A', 'B'], agents: [] };
    const s = applyLiveEvents(emptyLiveState(), [at(0, started)]);
    assert.equal(s.adaptive, null);
    assert.equal(adaptiveConfig(s), null, 'no chart before the first check');
    applyLiveEvents(s, [at(10, check(2, null, 9, 'continue', 8)), at(20, check(3, 3.1, 4, 'continue', 10)), at(30, check(4, 1.2, 1.9, 'stop', 10))]);
    assert.deepEqual(s.adaptive!.points, { A: [{ x: 2, y: null }, { x: 3, y: 3.1 }, { x: 4, y: 1.2 }], B: [{ x: 2, y: 9 }, { x: 3, y: 4 }, { x: 4, y: 1.9 }] });
    assert.equal(s.adaptive!.decision, 'stop');
    assert.equal(s.planned, 10);
    const cfg = adaptiveConfig(s) as { data: { datasets: { label: string; data: { x: number; y: number | null }[] }[] }; options: { plugins: { subtitle: { text: string } } } };
    assert.deepEqual(cfg.data.datasets.map((d) => d.label), ['A', 'B', 'target ±2%']);
    assert.deepEqual(cfg.data.datasets[2].data, [{ x: 2, y: 2 }, { x: 4, y: 2 }], 'the target spans the checks');
    assert.equal(cfg.options.plugins.subtitle.text, 'Stopped: after 4');
    // A new experiment starts with no adaptive state.
    assert.equal(applyLiveEvents(s, [at(40, started)]).adaptive, null);
  });
});
