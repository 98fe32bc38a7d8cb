// The three runs.jsonl readers (readRunsSync, streamed forEachRun, the report's forEachRunSync) split
// lines on the newline byte in 1 MiB chunks: they must agree on every record and every corrupt line
// number, also when a line — and a multi-byte character inside it — straddles a chunk boundary.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachRun, readRunsSync, type CorruptLine } from '../../../src/core/store/read';
import { forEachRunSync } from '../../../src/core/report/runLines';
import type { RunRecord } from '../../../src/core/types';

const MIB = 1 << 20;
const rec = (run: number, pad = ''): string => JSON.stringify({ run, variant: `v${pad}`, repetition: run, warmup: false, valid: true, status: 'ok', startedAt: 'x', wallMs: 1, calls: [] });

/** Records up to just before the boundary, then one whose "é" (2 bytes) is cut by the 1 MiB boundary. */
function straddling(): { text: string; runs: number } {
  const lines: string[] = [];
  let bytes = 0;
  let run = 0;
  while (bytes < MIB - 3000) {
    const l = rec(run++, 'x'.repeat(500));
    lines.push(l);
    bytes += Buffer.byteLength(l) + 1;
  }
  // Pad so that the é of the next record starts one byte before the boundary.
  const head = `{"run":${run},"variant":"`;
  const fill = MIB - 1 - bytes - Buffer.byteLength(head);
  lines.push(`${head}${'y'.repeat(fill)}é","repetition":0,"warmup":false,"valid":true,"status":"ok","startedAt":"x","wallMs":1,"calls":[]}`);
  run++;
  return { text: `${lines.join('\n')}\n`, runs: run };
}

const CASES: { name: string; text: () => string; runs: number; corrupt: number[] }[] = [
  { name: 'plain lines, last without a newline', text: () => `${rec(0)}\n${rec(1)}`, runs: 2, corrupt: [] },
  { name: 'CRLF, blank lines and a corrupt line keep their numbers', text: () => `${rec(0)}\r\n\n{"run":\n${rec(1)}\r\n\r\n{"variant":"x"}\n`, runs: 2, corrupt: [3, 6] },
  { name: 'a line and its multi-byte character across the 1 MiB chunk boundary', text: () => straddling().text, runs: straddling().runs, corrupt: [] },
];

describe('runs.jsonl readers agree (chunked newline splitting)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cf-readers-'));
      writeFileSync(join(dir, 'runs.jsonl'), c.text());
      const whole = readRunsSync(dir);
      const streamed: RunRecord[] = [];
      const s = await forEachRun(dir, (r) => streamed.push(r));
      const synced: RunRecord[] = [];
      const y = forEachRunSync(join(dir, 'runs.jsonl'), (r) => synced.push(r));
      const lines = (xs: CorruptLine[]): number[] => xs.map((x) => x.line);
      assert.equal(whole.runs.length, c.runs);
      assert.deepEqual(lines(whole.corrupt), c.corrupt);
      assert.deepEqual(streamed, whole.runs);
      assert.deepEqual(synced, whole.runs);
      assert.deepEqual([s.count, y.count], [c.runs, c.runs]);
      assert.deepEqual(lines(s.corrupt), c.corrupt);
      assert.deepEqual(lines(y.corrupt), c.corrupt);
      if (c.name.includes('multi-byte')) assert.ok(whole.runs.at(-1)!.variant.endsWith('é'));
    });
  }
});
