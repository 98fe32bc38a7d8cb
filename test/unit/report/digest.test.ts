// The streaming side of reports: runs.jsonl read in chunks gives exactly what the store's reader gives,
// and the digest keeps bounded memory (listed rows, sampled runs) with exact totals.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunsSync } from '../../../src/core/store/read';
import { forEachRunSync } from '../../../src/core/report/runLines';
import { digestRuns, MAX_LISTED_RUNS, MAX_SAMPLE_RUNS } from '../../../src/core/report/digest';
import type { Meta, RunRecord } from '../../../src/core/types';
import { makeRun } from '../stats/fixtures';

function meta(): Meta {
  return { id: 'TR1', kind: 'prompt', experiment: { hash: 'sha256:x', variants: [{ name: 'a', options: {} }, { name: 'b', options: {} }] }, summary: { variants: [], comparisons: [] } } as unknown as Meta;
}

describe('runs.jsonl streaming and the run digest', () => {
  it('forEachRunSync reads what readRunsSync reads: multi-byte text across chunk borders, blank, corrupt and torn lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-lines-'));
    const big = makeRun({ run: 1, variant: 'a', calls: [{ tps: 100 }] });
    big.error = 'é€😀'.repeat(300_000); // ~2.7 MB of multi-byte characters: crosses several 1 MiB chunks
    const lines = [JSON.stringify(makeRun({ run: 0, variant: 'a' })), JSON.stringify(big), '', '{"not":"a run"}', 'garbage', JSON.stringify(makeRun({ run: 2, variant: 'b' })), '{"run": 3, "vari'];
    writeFileSync(join(dir, 'runs.jsonl'), lines.join('\n'));
    const seen: RunRecord[] = [];
    const r = forEachRunSync(join(dir, 'runs.jsonl'), (x) => seen.push(x));
    const ref = readRunsSync(dir);
    assert.deepEqual(seen, ref.runs);
    assert.equal(seen[1].error, big.error);
    assert.deepEqual(r.corrupt.map((c) => c.line), ref.corrupt.map((c) => c.line));
    assert.deepEqual(r.corrupt.map((c) => c.line), [4, 5, 7]);
    assert.equal(r.count, 3);
    assert.deepEqual(forEachRunSync(join(dir, 'missing.jsonl'), () => {}), { count: 0, corrupt: [] });
  });

  it('the digest lists at most the first rows but counts every excluded run by reason', () => {
    const runs: RunRecord[] = [];
    for (let i = 0; i < 130; i++) {
      const r = makeRun({ run: i, variant: i % 2 ? 'b' : 'a', calls: [{ tps: 100 + i }], status: i % 10 === 0 ? 'failed' : 'ok', valid: i % 10 !== 5 });
      if (r.status === 'failed') Object.assign(r, { error: 'HTTP 500', errorCode: 'E_SERVER' });
      runs.push(r);
    }
    runs.push(makeRun({ run: 130, variant: 'a', warmup: true, status: 'failed' }));
    const d = digestRuns(meta(), runs);
    assert.equal(d.facts.recorded, 131);
    assert.equal(d.facts.failedWarmups, 1);
    assert.equal(d.facts.excluded.total, 26);
    assert.deepEqual(d.facts.excluded.byReason, [['failed: E_SERVER', 13], ['invalid: test', 13]]);
    assert.equal(d.facts.excluded.listed.length, Math.min(26, MAX_LISTED_RUNS));
    assert.deepEqual(d.facts.excluded.listed[0], { run: 0, variant: 'a', status: 'failed', reason: 'failed (E_SERVER): HTTP 500' });
    assert.equal(d.summary.counts.counted, 104);
  });

  it('the figure sample stays bounded and systematic however many runs there are', () => {
    const n = MAX_SAMPLE_RUNS * 3 + 17;
    const runs = Array.from({ length: n }, (_, i) => makeRun({ run: i, variant: 'a', calls: [{ tps: 100 }] }));
    const d = digestRuns(meta(), runs);
    assert.ok(d.sample.length < MAX_SAMPLE_RUNS && d.sample.length > MAX_SAMPLE_RUNS / 4, `${d.sample.length} sampled`);
    const step = d.sample[1].run - d.sample[0].run;
    assert.ok(step >= 4 && d.sample.every((r, i) => r.run === i * step), 'every k-th counted run, from the first');
    assert.ok(d.sample.every((r) => r.calls.every((c) => c.client.chunkMs.length === 0)), 'per-chunk arrays dropped');
    assert.equal(d.summary.counts.counted, n, 'the summary still sees every run');
  });

  it('the figure sample keeps every variant of an interleaved A/B TR, in file order (one stride over alternating runs would keep one)', () => {
    const n = MAX_SAMPLE_RUNS * 3 + 17;
    const runs = Array.from({ length: n }, (_, i) => makeRun({ run: i, variant: i % 2 ? 'b' : 'a', calls: [{ tps: 100 }] }));
    const d = digestRuns(meta(), runs);
    assert.ok(d.sample.length <= MAX_SAMPLE_RUNS, `${d.sample.length} sampled`);
    const a = d.sample.filter((r) => r.variant === 'a').length;
    const b = d.sample.filter((r) => r.variant === 'b').length;
    assert.ok(a > MAX_SAMPLE_RUNS / 8 && Math.abs(a - b) <= 1, `a ${a}, b ${b}`);
    assert.ok(d.sample.every((r, i) => i === 0 || r.run > d.sample[i - 1].run), 'file order');
  });
});
