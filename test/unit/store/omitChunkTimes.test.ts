// Statistics streamed with forEachRun({ omitChunkTimes }) — chunk arrays emptied before JSON.parse — equal
// buildSummary over the fully parsed records, for prompt and multi-agent runs alike.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachRun, readRunsSync, withoutChunkTimes } from '../../../src/core/store/read';
import { SummaryAccumulator, buildSummary } from '../../../src/core/stats/accumulator';
import type { RunRecord } from '../../../src/core/types';
import { makeAgent, makeRun } from '../stats/fixtures';

const chunks = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => 20 + i * 4.0001 + ((seed * 7 + i) % 5) * 0.123456789);

function withChunks(r: RunRecord, seed: number): RunRecord {
  for (const c of [...r.calls, ...(r.agents ?? []).flatMap((a) => a.calls)]) c.client.chunkMs = chunks(16 + (seed % 7), seed);
  return r;
}

function records(): RunRecord[] {
  const out: RunRecord[] = [];
  for (let i = 0; i < 40; i++) {
    const variant = i % 2 ? 'chimera' : 'baseline';
    out.push(withChunks(makeRun({ run: i, variant, warmup: i < 2, calls: [{ tps: 100 + (i % 9) * (variant === 'chimera' ? 1.1 : 1), ttftMs: 40 + (i % 5) }, { stage: 'report', tps: 90 + (i % 4) }] }), i));
  }
  for (let i = 40; i < 52; i++) {
    const r = makeRun({ run: i, variant: 'duo', agents: [makeAgent('a', 900 + i, [{ tps: 80 + (i % 3) }]), makeAgent('b', 950 + i, [{ tps: 85 + (i % 4) }])], multiAgent: { concurrent_wall_ms: 1000 + i } });
    out.push(withChunks(r, i));
  }
  // A failed run whose error text quotes the key: inside a JSON string it is escaped, so it stays.
  out.push(withChunks(makeRun({ run: 52, variant: 'baseline', status: 'failed', valid: false, calls: [{ tps: 1, status: 'failed' }] }), 52));
  out[out.length - 1].error = 'bad line: {"chunkMs":[1,2]}';
  return out;
}

const OPTS = { kind: 'prompt', variants: [{ name: 'baseline', options: {} }, { name: 'chimera', options: { num_ctx: 1024 } }, { name: 'duo', options: {} }] };

describe('forEachRun({ omitChunkTimes }) feeds statistics identical to the full records', () => {
  it('gives the same summary as buildSummary over readRunsSync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-omit-'));
    writeFileSync(join(dir, 'runs.jsonl'), `${records().map((r) => JSON.stringify(r)).join('\n')}\n`);
    const expected = buildSummary(readRunsSync(dir).runs, OPTS);
    const acc = new SummaryAccumulator(OPTS);
    const seen: RunRecord[] = [];
    const { count, corrupt } = await forEachRun(dir, (r) => { seen.push(r); acc.add(r); }, { omitChunkTimes: true });
    assert.deepEqual([count, corrupt.length], [53, 0]);
    assert.deepEqual(acc.finish(), expected);
    assert.ok(seen.every((r) => [...r.calls, ...(r.agents ?? []).flatMap((a) => a.calls)].every((c) => c.client.chunkMs.length === 0)));
    assert.equal(seen.at(-1)!.error, 'bad line: {"chunkMs":[1,2]}');
  });

  const CASES: [string, string][] = [
    ['{"a":1}', '{"a":1}'],
    ['{"client":{"chunkMs":[1.5,2.25],"endMs":3}}', '{"client":{"chunkMs":[],"endMs":3}}'],
    ['{"x":[{"chunkMs":[]},{"chunkMs":[7]}]}', '{"x":[{"chunkMs":[]},{"chunkMs":[]}]}'],
    ['{"e":"{\\"chunkMs\\":[1]}"}', '{"e":"{\\"chunkMs\\":[1]}"}'],
    ['{"client":{"chunkMs":[1,2', '{"client":{"chunkMs":[1,2'],
  ];
  for (const [line, want] of CASES) {
    it(`withoutChunkTimes(${line})`, () => assert.equal(withoutChunkTimes(line), want));
  }
});
