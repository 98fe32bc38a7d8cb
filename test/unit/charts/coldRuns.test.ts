// The figures follow the experiment's coldRuns like the statistics: cold runs (an unplanned model load)
// are drawn under "include" and left out under "exclude", and the caption says which.
import assert from 'node:assert/strict';
import { chartsFor } from '../../../src/core/charts/select';
import { buildSummary } from '../../../src/core/stats/accumulator';
import type { RunRecord } from '../../../src/core/types';
import { makeRun } from '../stats/fixtures';

describe('charts and coldRuns', () => {
  // Three measured runs of one variant; run 2 paid for an unplanned load (cold), with a TTFT of 900 ms.
  const runs: RunRecord[] = [
    makeRun({ run: 1, variant: 'a', calls: [{ tps: 50, ttftMs: 40 }] }),
    { ...makeRun({ run: 2, variant: 'a', calls: [{ tps: 50, ttftMs: 900 }] }), cold: true, coldReason: 'prompt loaded tiny:latest' },
    makeRun({ run: 3, variant: 'a', calls: [{ tps: 50, ttftMs: 42 }] }),
  ];
  const scatterOf = (coldRuns: 'include' | 'exclude') => {
    const summary = buildSummary(runs, { kind: 'prompt', variants: [{ name: 'a', options: {} }], coldRuns });
    const specs = chartsFor({ summary, runs, coldRuns });
    return { specs, scatter: specs.find((s) => s.name === 'ttft_vs_tps')! };
  };
  const xs = (spec: ReturnType<typeof scatterOf>['scatter']) => (spec.config.data.datasets[0].data as { x: number }[]).map((p) => p.x);

  it('"include": the cold run is drawn, and every caption says cold runs are included', () => {
    const { specs, scatter } = scatterOf('include');
    assert.deepEqual(xs(scatter), [40, 900, 42]);
    for (const s of specs) assert.match(s.caption, /Cold runs \(unplanned model load\) are included, as coldRuns "include" asks\.$/, s.name);
  });

  it('"exclude" (default): the cold run is left out, and the captions say so', () => {
    const { specs, scatter } = scatterOf('exclude');
    assert.deepEqual(xs(scatter), [40, 42]);
    for (const s of specs) assert.match(s.caption, /Cold runs \(unplanned model load\) are left out \(coldRuns "exclude", the default\)\.$/, s.name);
  });

  it('no cold run: captions unchanged', () => {
    const warm = runs.filter((r) => r.cold !== true);
    const summary = buildSummary(warm, { kind: 'prompt', variants: [{ name: 'a', options: {} }], coldRuns: 'include' });
    for (const s of chartsFor({ summary, runs: warm, coldRuns: 'include' })) assert.doesNotMatch(s.caption, /Cold runs/);
  });
});
