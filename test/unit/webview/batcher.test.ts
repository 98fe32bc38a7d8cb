// The host's live batching: ≤ 10 posts per second under a flood, run-finished order kept, and the
// webview's state after the batches equal to the state after every single event.
import assert from 'node:assert/strict';
import type { RunnerEvent } from '../../../src/core/runner/events';
import { applyLiveEvents, emptyLiveState } from '../../../src/shared/liveState';
import type { LiveEvent } from '../../../src/shared/protocol';
import { LiveBatcher, LiveStamper } from '../../../src/vscode/dashboard/batcher';
import { experimentEvents, FakeTimers } from './liveEvents';

interface Flood { events: LiveEvent[]; batches: { at: number; events: LiveEvent[] }[] }

/** Feeds the events spread evenly over `spanMs` of fake time through stamper and batcher. */
function flood(events: RunnerEvent[], spanMs: number): Flood {
  const timers = new FakeTimers();
  const stamper = new LiveStamper(timers.now);
  const batches: Flood['batches'] = [];
  const batcher = new LiveBatcher((evs) => batches.push({ at: timers.t, events: evs }), timers);
  const stamped: LiveEvent[] = [];
  events.forEach((e, i) => {
    timers.advance((i * spanMs) / events.length);
    const le = stamper.stamp(e);
    stamped.push(le);
    batcher.push(le);
  });
  timers.advance(spanMs + 1000);
  return { events: stamped, batches };
}

function maxPostsInAnySecond(at: number[]): number {
  let best = 0;
  for (let i = 0; i < at.length; i++) {
    let j = i;
    while (j < at.length && at[j] < at[i] + 1000) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe('webview: live batching', () => {
  const cases = [
    { name: '10,000 token events in 2 s, one stream per run', spec: { runs: 5, variants: ['A', 'B'], callsPerRun: 4, updatesPerCall: 250 }, spanMs: 2000 },
    { name: '10,000 token events in 0.5 s, four agents', spec: { runs: 5, variants: ['solo'], agents: ['a1', 'a2', 'a3', 'a4'], callsPerRun: 5, updatesPerCall: 100 }, spanMs: 500 },
    { name: '12,000 token events in 10 s, two variants × two agents', spec: { runs: 3, variants: ['A', 'B'], agents: ['x', 'y'], callsPerRun: 10, updatesPerCall: 100 }, spanMs: 10_000 },
  ];

  for (const c of cases) {
    it(`${c.name}: ≤ 10 posts per second, order kept, same final state`, () => {
      const events = experimentEvents(c.spec);
      const tokenEvents = events.filter((e) => e.type === 'tokens').length;
      assert.ok(tokenEvents >= 10_000, `flood has ${tokenEvents} token events`);
      const f = flood(events, c.spanMs);
      const at = f.batches.map((b) => b.at);
      assert.ok(maxPostsInAnySecond(at) <= 10, `max posts in a second: ${maxPostsInAnySecond(at)}`);
      for (let i = 1; i < at.length; i++) assert.ok(at[i] - at[i - 1] >= 100, `posts ${i - 1}→${i} only ${at[i] - at[i - 1]} ms apart`);
      // at least one post per 100 ms window that had events: nothing waits longer than needed
      assert.ok(f.batches.length >= Math.floor(c.spanMs / 100) - 1, `${f.batches.length} posts over ${c.spanMs} ms`);
      const posted = f.batches.flatMap((b) => b.events);
      assert.ok(posted.length < tokenEvents / 5, `coalescing: ${posted.length} events posted for ${tokenEvents} token events`);
      // every non-token event arrives exactly once, in the original order
      const nonTokens = (evs: LiveEvent[]): string[] => evs.filter((e) => e.event.type !== 'tokens').map((e) => JSON.stringify(e.event));
      assert.deepEqual(nonTokens(posted), nonTokens(f.events));
      const finishedOrder = posted.filter((e) => e.event.type === 'run-finished').map((e) => (e.event as { run: number }).run);
      assert.deepEqual(finishedOrder, [...finishedOrder].sort((a, b) => a - b));
      assert.equal(finishedOrder.length, c.spec.runs * c.spec.variants.length);
      // the webview's state from the batches equals the state from every event
      const all = applyLiveEvents(emptyLiveState(), f.events);
      let batched = emptyLiveState();
      for (const b of f.batches) batched = applyLiveEvents(batched, JSON.parse(JSON.stringify(b.events)) as LiveEvent[]);
      assert.deepEqual(batched, all);
      const calls = c.spec.runs * c.spec.variants.length * c.spec.callsPerRun * (c.spec.agents?.length ?? 1);
      assert.equal(Object.values(all.tokens).reduce((n, pts) => n + pts.length, 0), calls, 'one tokens/s point per call');
      assert.equal(all.status, 'complete');
      assert.equal(all.done, c.spec.runs * c.spec.variants.length);
    });
  }

  it('a token update after a quiet period is posted at once, not after a full interval', () => {
    const timers = new FakeTimers();
    const posts: number[] = [];
    const b = new LiveBatcher(() => posts.push(timers.t), timers);
    const e: LiveEvent = { atMs: 0, call: 0, event: { type: 'tokens', run: 1, variant: 'A', stage: 's', tokens: 5, elapsedMs: 50, tps: 100 } };
    timers.advance(5000);
    b.push(e);
    timers.advance(5000);
    assert.deepEqual(posts, [5000]);
    b.push({ ...e, atMs: 10 });
    b.push({ ...e, atMs: 20 });
    timers.advance(5040);
    assert.deepEqual(posts, [5000], 'second post waits for the interval');
    timers.advance(5100);
    assert.deepEqual(posts, [5000, 5100]);
  });

  it('clear() drops queued events (a snapshot holds them) and dispose() flushes the rest', () => {
    const timers = new FakeTimers();
    const got: LiveEvent[][] = [];
    const b = new LiveBatcher((evs) => got.push(evs), timers);
    const ev = (run: number): LiveEvent => ({ atMs: run, event: { type: 'run-started', run, variant: 'A', warmup: false, done: 0, planned: 3 } });
    b.push(ev(1));
    b.clear();
    timers.advance(1000);
    assert.equal(got.length, 0);
    b.push(ev(2));
    b.push(ev(3));
    b.dispose();
    assert.deepEqual(got.map((g) => g.map((e) => (e.event as { run: number }).run)), [[2, 3]]);
  });
});

describe('webview: live stamper', () => {
  const tok = (tokens: number, elapsedMs: number, stage = 'generate'): RunnerEvent => ({ type: 'tokens', run: 1, variant: 'A', stage, tokens, elapsedMs, tps: null });
  const table: { name: string; events: RunnerEvent[]; calls: number[] }[] = [
    { name: 'growing counters stay one call', events: [tok(2, 10), tok(9, 40), tok(30, 90)], calls: [0, 0, 0] },
    { name: 'a drop in tokens starts the next call', events: [tok(5, 10), tok(30, 90), tok(3, 12), tok(20, 60)], calls: [0, 0, 1, 1] },
    { name: 'a drop in elapsed time starts the next call', events: [tok(5, 80), tok(6, 20)], calls: [0, 1] },
    { name: 'another stage is another stream', events: [tok(30, 90), tok(3, 10, 'report'), tok(2, 5)], calls: [0, 0, 1] },
  ];
  for (const c of table) {
    it(c.name, () => {
      let t = 1000;
      const s = new LiveStamper(() => (t += 7));
      assert.deepEqual(c.events.map((e) => s.stamp(e).call), c.calls);
    });
  }

  it('times are ms since experiment-started', () => {
    let t = 5000;
    const s = new LiveStamper(() => t);
    const start = s.stamp({ type: 'experiment-started', trId: 'TR1', trDir: '/x/TR1', title: 't', kind: 'prompt', planned: 1, variants: ['A'], agents: [] });
    t = 5250;
    const later = s.stamp(tok(3, 10));
    assert.deepEqual([start.atMs, later.atMs], [0, 250]);
  });
});
