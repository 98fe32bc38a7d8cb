// The live reducer both sides run: progress, one point per call (updated in place while it streams),
// TTFT derived from progress (exact when call-finished comes), timeline data, final summary.
import assert from 'node:assert/strict';
import type { RunnerEvent } from '../../../src/core/runner/events';
import { applyLiveEvents, emptyLiveState, firstTokenMs, MIN_RATE_SPAN_MS, seriesOf, seriesOrder } from '../../../src/shared/liveState';
import type { LiveEvent } from '../../../src/shared/protocol';

const started: RunnerEvent = { type: 'experiment-started', trId: 'TR3', trDir: '/r/TR3', title: 'ab', kind: 'multi-agent', planned: 2, variants: ['base'], agents: ['a', 'b'] };
const at = (atMs: number, event: RunnerEvent, call?: number): LiveEvent => ({ atMs, event, ...(call !== undefined ? { call } : {}) });

describe('webview: live state reducer', () => {
  it('first token time from a progress update: tps = (tokens − 1) / (elapsed − first)', () => {
    const table: [number, number, number | null, number | null][] = [
      [11, 150, 100, 50], [2, 60, 100, 50], [1, 40, null, null], [5, 90, null, null], [21, 1050, 20, 50],
    ];
    for (const [tokens, elapsedMs, tps, expected] of table) {
      const got = firstTokenMs({ type: 'tokens', run: 1, variant: 'v', stage: 's', tokens, elapsedMs, tps });
      if (expected === null) assert.equal(got, null);
      else assert.ok(Math.abs(got! - expected) < 1e-9, `${tokens}/${elapsedMs}/${tps}: ${got}`);
    }
  });

  it('series: the variant, or the agent (with its variant when there are several)', () => {
    const one = applyLiveEvents(emptyLiveState(), [at(0, started)]);
    assert.equal(seriesOf(one, 'base', 'a'), 'a');
    assert.equal(seriesOf(one, 'base', undefined), 'base');
    const two = applyLiveEvents(emptyLiveState(), [at(0, { ...started, variants: ['x', 'y'] })]);
    assert.equal(seriesOf(two, 'x', 'a'), 'x · a');
  });

  it('a call is one point, moved while it streams; the next call adds one', () => {
    const tok = (tokens: number, elapsedMs: number, tps: number | null): RunnerEvent => ({ type: 'tokens', run: 1, variant: 'base', agent: 'a', stage: 'generate', tokens, elapsedMs, tps });
    const s = applyLiveEvents(emptyLiveState(), [
      at(0, started), at(5, { type: 'run-started', run: 1, variant: 'base', warmup: false, done: 0, planned: 2 }),
      at(100, tok(1, 40, null), 0), at(200, tok(11, 140, 100), 0), at(300, tok(21, 240, 100), 0),
      at(400, tok(6, 90, 100), 1),
    ]);
    assert.deepEqual(s.tokens.a, [{ x: 0.3, y: 100, run: 1 }, { x: 0.4, y: 100, run: 1 }]);
    // first token 40 ms after send, the call sent at 300 − 240 = 60 ms → first token at 100 ms
    assert.deepEqual(s.ttft.a.map((p) => [Math.round(p.x * 1000), Math.round(p.y)]), [[100, 40], [350, 40]]);
    assert.deepEqual(s.current, { run: 1, variant: 'base', warmup: false });
  });

  it('call-finished gives the exact TTFT of the call', () => {
    const s = applyLiveEvents(emptyLiveState(), [
      at(0, started),
      at(300, { type: 'tokens', run: 1, variant: 'base', agent: 'b', stage: 'g', tokens: 21, elapsedMs: 240, tps: 100 }, 0),
      at(310, { type: 'call-finished', run: 1, variant: 'base', agent: 'b', stage: 'g', status: 'ok', ttft_ms: 37.5, decode_tps: 99, e2e_ms: 250, sendOffsetMs: 0, warmup: false }, 0),
    ]);
    assert.deepEqual(s.ttft.b, [{ x: (310 - 250 + 37.5) / 1000, y: 37.5, run: 1 }]);
  });

  it('run-finished: progress, ETA, timeline data, order; experiment-finished: status and summary', () => {
    const fin = (run: number, etaMs: number): RunnerEvent => ({
      type: 'run-finished', run, variant: 'base', warmup: false, status: 'ok', valid: true, wallMs: 500, done: run, planned: 2, etaMs,
      agents: [{ name: 'a', startOffsetMs: 0, wallMs: 480, status: 'ok' }, { name: 'b', startOffsetMs: 4, wallMs: 470, status: 'ok' }],
      multiAgent: { concurrent_wall_ms: 490, overlap_efficiency: 97, speedup_vs_sequential: 1.9, aggregate_tps: 200, jain_fairness: 1, slowdown_vs_solo: null, ttft_inflation: null, start_skew_ms: 4, contention: false },
    });
    const s = applyLiveEvents(emptyLiveState(), [at(0, started), at(600, fin(1, 600)), at(1200, fin(2, 0))]);
    assert.deepEqual([s.done, s.planned, s.etaMs, s.status], [2, 2, 0, 'running']);
    assert.deepEqual(s.runs.map((r) => [r.run, r.agents?.map((a) => a.startOffsetMs), r.multiAgent?.speedup_vs_sequential]), [[1, [0, 4], 1.9], [2, [0, 4], 1.9]]);
    const done = applyLiveEvents(s, [at(1300, { type: 'experiment-finished', trId: 'TR3', trDir: '/r/TR3', status: 'complete', counts: { planned: 2, completed: 2, warmup: 0, failed: 0, invalid: 0 }, summary: { variants: [{ name: 'base', options: {}, n: 2 }], comparisons: [] } })]);
    assert.equal(done.status, 'complete');
    assert.equal(done.summary?.variants[0].n, 2);
    assert.equal(done.lastAtMs, 1300);
  });

  it('a rate is drawn only once it spans enough tokens and time (a burst of early chunks is not 10⁵ tok/s)', () => {
    const tok = (tokens: number, elapsedMs: number, tps: number): LiveEvent => at(elapsedMs, { type: 'tokens', run: 1, variant: 'base', agent: 'a', stage: 'g', tokens, elapsedMs, tps }, 0);
    const table: { name: string; events: LiveEvent[]; points: number[] }[] = [
      { name: '3 tokens in 0.01 ms', events: [tok(3, 30, 200_000)], points: [] },
      { name: '5 tokens in 10 ms', events: [tok(5, 40, 400)], points: [] },
      { name: `5 tokens in ${MIN_RATE_SPAN_MS} ms`, events: [tok(5, 50, 200)], points: [200] },
      { name: 'a burst, then the call streams', events: [tok(3, 30, 200_000), tok(40, 420, 100)], points: [100] },
    ];
    for (const c of table) {
      const s = applyLiveEvents(emptyLiveState(), [at(0, started), ...c.events]);
      assert.deepEqual((s.tokens.a ?? []).map((p) => p.y), c.points, c.name);
    }
  });

  it('series keep one order (declared variants × agents first) so each keeps its colour in every chart', () => {
    const s = applyLiveEvents(emptyLiveState(), [
      at(0, { ...started, variants: ['x', 'y'] }),
      at(100, { type: 'tokens', run: 1, variant: 'y', agent: 'b', stage: 'g', tokens: 30, elapsedMs: 300, tps: 100 }, 0),
      at(200, { type: 'tokens', run: 2, variant: 'z', stage: 'g', tokens: 30, elapsedMs: 300, tps: 100 }, 0),
    ]);
    assert.deepEqual(seriesOrder(s), ['x · a', 'x · b', 'y · a', 'y · b', 'z']);
  });

  it('a new experiment-started resets the state', () => {
    const s = applyLiveEvents(emptyLiveState(), [at(0, started), at(10, { type: 'run-started', run: 1, variant: 'base', warmup: true, done: 0, planned: 2 })]);
    applyLiveEvents(s, [at(0, { ...started, trId: 'TR4', planned: 9 })]);
    assert.deepEqual([s.trId, s.planned, s.current, s.runs.length], ['TR4', 9, null, 0]);
  });
});
