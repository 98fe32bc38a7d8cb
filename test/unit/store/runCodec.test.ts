// Compact per-chunk times in runs.jsonl (client.chunkDeltaUs, integer µs): every metric that reads chunk
// times comes out the same after the round trip (to the µs), and TRs written before (client.chunkMs)
// still read — a committed TR of the earlier format (test/fixtures/tr-v1).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deriveCallMetrics } from '../../../src/core/metrics/callMetrics';
import { forEachRunSync } from '../../../src/core/report/runLines';
import { writeReport } from '../../../src/core/report/write';
import { forEachRun, readRunsSync } from '../../../src/core/store/read';
import { decodeChunkTimes, encodeChunkTimes, encodeRunLine, parseRunRecord } from '../../../src/core/store/runCodec';
import type { RunRecord } from '../../../src/core/types';
import { makeAgent, makeRun } from '../stats/fixtures';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'tr-v1', 'TR1');

/** Arrival times as a monotonic clock gives them: fractional ms with many digits. */
function arrivals(n: number, seed: number): number[] {
  let t = 31.4159265 + seed;
  return Array.from({ length: n }, (_, i) => (t += 2.5 + ((seed * 13 + i * 7) % 11) * 0.0917263));
}

function sample(): RunRecord {
  const r = makeRun({ run: 3, variant: 'v', agents: [makeAgent('a', 900, [{ tps: 80 }]), makeAgent('b', 950, [{ tps: 85 }, { tps: 90 }])] });
  r.agents!.flatMap((a) => a.calls).forEach((c, i) => {
    c.client.chunkMs = arrivals(64, i);
    c.client.firstTokenMs = c.client.chunkMs[0];
    c.client.endMs = c.client.chunkMs.at(-1)! + 1.23456;
  });
  return r;
}

describe('runs.jsonl: compact per-chunk times', () => {
  it('writes integer µs deltas, no chunkMs, and reads back every arrival time to the µs', () => {
    const run = sample();
    const line = encodeRunLine(run);
    assert.ok(!line.includes('"chunkMs"'));
    const back = parseRunRecord(line) as RunRecord;
    const pairs = run.agents!.flatMap((a, i) => a.calls.map((c, j) => [c, back.agents![i].calls[j]] as const));
    assert.equal(pairs.length, 3);
    for (const [orig, read] of pairs) {
      assert.ok(!('chunkDeltaUs' in read.client), 'readers see chunkMs only');
      assert.equal(read.client.chunkMs.length, 64);
      read.client.chunkMs.forEach((t, k) => assert.ok(Math.abs(t - orig.client.chunkMs[k]) <= 0.0005, `chunk ${k}: ${t} vs ${orig.client.chunkMs[k]}`));
      // The values the metrics take from chunk times: TTFT and decode window (own fields), ITL and client rate.
      const a = deriveCallMetrics(orig.server, orig.client);
      const b = deriveCallMetrics(read.server, read.client);
      assert.equal(b.ttft_ms, a.ttft_ms);
      assert.equal(b.e2e_ms, a.e2e_ms);
      for (const k of ['p50', 'p95', 'p99', 'max'] as const) assert.ok(Math.abs(b.itl_ms![k] - a.itl_ms![k]) <= 0.001, `itl ${k}`);
      assert.equal(b.itl_ms!.n, a.itl_ms!.n);
      assert.ok(Math.abs(b.client_decode_tps! - a.client_decode_tps!) / a.client_decode_tps! < 1e-5);
    }
  });

  it('the deltas of the rounded times sum to the rounded last arrival (no drift over a long stream)', () => {
    const ms = arrivals(5000, 2);
    const deltas = encodeChunkTimes(ms)!;
    assert.ok(deltas.every((d) => Number.isInteger(d) && d >= 0));
    assert.equal(deltas.reduce((s, d) => s + d, 0), Math.round(ms.at(-1)! * 1000));
    assert.ok(Math.abs(decodeChunkTimes(deltas).at(-1)! - ms.at(-1)!) <= 0.0005);
    assert.deepEqual(encodeChunkTimes([]), []);
  });

  it('keeps times that are not clock readings as they came', () => {
    const r = sample();
    r.agents![0].calls[0].client.chunkMs = [1, Number.NaN];
    const back = parseRunRecord(encodeRunLine(r)) as RunRecord;
    assert.deepEqual(back.agents![0].calls[0].client.chunkMs, [1, null]);
  });

  it('chunk times take under 40% of the bytes of the earlier form (64 chunks a call)', () => {
    const run = sample();
    const calls = run.agents!.flatMap((a) => a.calls);
    const earlier = calls.reduce((n, c) => n + JSON.stringify(c.client.chunkMs).length, 0);
    const compact = calls.reduce((n, c) => n + JSON.stringify(encodeChunkTimes(c.client.chunkMs)).length, 0);
    assert.ok(compact < earlier * 0.4, `${compact} B vs ${earlier} B`);
    assert.equal(JSON.stringify(run).length - encodeRunLine(run).length, earlier - compact + calls.length * ('chunkMs'.length - 'chunkDeltaUs'.length));
  });

  it('reads a TR written in the earlier form (chunkMs, outputs/*.md): every reader, same records, and its report builds', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cf-v1-')), 'TR1');
    cpSync(FIXTURE, dir, { recursive: true });
    const raw = readFileSync(join(dir, 'runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunRecord);
    const sync = readRunsSync(dir);
    assert.equal(sync.corrupt.length, 0);
    assert.deepEqual(sync.runs, raw);
    const streamed: RunRecord[] = [];
    await forEachRun(dir, (r) => streamed.push(r));
    assert.deepEqual(streamed, raw);
    const chunked: RunRecord[] = [];
    forEachRunSync(join(dir, 'runs.jsonl'), (r) => chunked.push(r));
    assert.deepEqual(chunked, raw);
    assert.ok(raw.some((r) => r.agents?.some((a) => a.calls.some((c) => c.client.chunkMs.length > 1))), 'the fixture has chunk times');
    const report = writeReport(dir, { reportsDir: dirname(dir), charts: false });
    assert.match(readFileSync(report.reportFile, 'utf8'), /old chunkMs format/);
  });
});
