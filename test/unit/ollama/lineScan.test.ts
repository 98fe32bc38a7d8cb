import assert from 'node:assert/strict';
import { LineScanner } from '../../../src/core/ollama/lineScan';

const enc = new TextEncoder();

/** Feeds the chunks in order; returns the scanner and the push/end results. */
function scan(chunks: string[]): { s: LineScanner; pushes: boolean[]; end: boolean } {
  const s = new LineScanner();
  const pushes = chunks.map((c) => s.push(enc.encode(c)));
  return { s, pushes, end: s.end() };
}

const good = '{"model":"tiny","response":"a","done":false}\n';
const done = '{"model":"tiny","response":"","done":true,"eval_count":1}\n';

describe('LineScanner (NDJSON wire observer)', () => {
  const table: { name: string; chunks: string[]; lines: number; errorLine: boolean; malformed: boolean; pushes: boolean[]; end: boolean }[] = [
    { name: 'one line per chunk', chunks: [good, good, done], lines: 3, errorLine: false, malformed: false, pushes: [true, true, true], end: true },
    { name: 'several lines in one chunk', chunks: [good + good + done], lines: 3, errorLine: false, malformed: false, pushes: [true], end: true },
    { name: 'a line split across chunks, also inside {"error" prefix', chunks: ['{"err', 'or_x":1', '}\n{', '"model":"t"}\n'], lines: 2, errorLine: false, malformed: false, pushes: [true, true, true, true], end: true },
    { name: 'error line after tokens', chunks: [good, '{"error":"boom"}\n'], lines: 2, errorLine: true, malformed: false, pushes: [true, true], end: true },
    { name: 'error line split inside its prefix', chunks: [good + '{"er', 'ror":"boom"}', '\n'], lines: 2, errorLine: true, malformed: false, pushes: [true, true, true], end: true },
    { name: 'error line with spaces (not Go) still seen', chunks: ['  {"error" : "x"}  \r\n'], lines: 1, errorLine: true, malformed: false, pushes: [true], end: true },
    { name: 'a non-JSON line', chunks: [good, 'this is not json\n', done], lines: 3, errorLine: false, malformed: true, pushes: [true, false, true], end: true },
    { name: 'a truncated object', chunks: ['{"model":"tiny","resp\n'], lines: 1, errorLine: false, malformed: true, pushes: [false], end: true },
    { name: 'a last line without newline counts at the end', chunks: [good, '{"done":true}'], lines: 2, errorLine: false, malformed: false, pushes: [true, true], end: true },
    { name: 'a last partial non-JSON line is malformed at the end', chunks: [good, '{"done":tr'], lines: 2, errorLine: false, malformed: true, pushes: [true, true], end: false },
    { name: 'empty and blank lines are ignored', chunks: ['\n', '  \n', good], lines: 1, errorLine: false, malformed: false, pushes: [true, true, true], end: true },
    { name: 'bytes split one by one', chunks: [...'{"error":"x"}\n{"a":1}\n'], lines: 2, errorLine: true, malformed: false, pushes: new Array(22).fill(true), end: true },
    { name: '"error" later in the line is content, not an error line', chunks: ['{"response":"{\\"error\\""}\n'], lines: 1, errorLine: false, malformed: false, pushes: [true], end: true },
  ];
  for (const t of table) {
    it(t.name, () => {
      const { s, pushes, end } = scan(t.chunks);
      assert.deepEqual({ lines: s.lines, errorLine: s.errorLine, malformed: s.malformed, pushes, end }, { lines: t.lines, errorLine: t.errorLine, malformed: t.malformed, pushes: t.pushes, end: t.end });
    });
  }

  it('says where the malformed line begins, so the good lines before it in the same chunk are still delivered', () => {
    const s = new LineScanner();
    assert.equal(s.push(enc.encode(good + good + 'not json\n' + done)), false);
    assert.equal(s.badLineStart, enc.encode(good + good).length);
    const t = new LineScanner();
    assert.equal(t.push(enc.encode(good + 'not js')), true);
    assert.equal(t.push(enc.encode('on\n' + done)), false);
    assert.equal(t.badLineStart, 0, 'the bad line began in an earlier chunk');
  });

  it('handles multi-byte UTF-8 split across chunks (bytes, not characters)', () => {
    const bytes = enc.encode('{"response":"héllo ✓"}\n');
    const s = new LineScanner();
    for (let i = 0; i < bytes.length; i += 3) assert.equal(s.push(bytes.subarray(i, i + 3)), true);
    assert.equal(s.end(), true);
    assert.equal(s.lines, 1);
  });
});
