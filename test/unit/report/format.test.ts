// Report formatting and escaping, table-driven: fixed number formats (byte-identical reports) and text
// from users or models that cannot change the document's structure.
import assert from 'node:assert/strict';
import { codeBlock, escapeInline, fmtCi, fmtFraction, fmtNum, fmtOptions, fmtP, quoteUntrusted, trRef } from '../../../src/core/report/format';
import { demoteReport } from '../../../src/core/report/compendium';
import { reportTitle, statusBanner } from '../../../src/core/report/header';
import { slug } from '../../../src/core/report/render';
import { describeRule } from '../../../src/core/report/findings';

describe('report formatting', () => {
  const numbers: [number | null | undefined, string][] = [
    [null, '—'], [undefined, '—'], [Number.NaN, '—'], [Number.POSITIVE_INFINITY, '—'], [0, '0'],
    [22630, '22,630'], [1234.56, '1,235'], [-1500.4, '-1,500'], [999.95, '1,000'], [99.996, '100'], [0.99996, '1'], [585.2325, '585.2'], [100, '100'],
    [92.82403, '92.82'], [1, '1'], [2.716247, '2.72'], [0.266085, '0.266'], [0.0383461, '0.0383'], [-0.143, '-0.143'], [960, '960'],
  ];
  for (const [x, want] of numbers) it(`fmtNum(${x}) = ${want}`, () => assert.equal(fmtNum(x), want));

  it('CIs, fractions, p-values and options', () => {
    assert.equal(fmtCi([193.2398, 977.2252]), '[193.2, 977.2]');
    assert.equal(fmtCi(null), '—');
    assert.equal(fmtFraction(0.125), '12.5%');
    assert.equal(fmtFraction(null), '—');
    assert.equal(fmtP(0.0004), '< 0.001');
    assert.equal(fmtP(0.23192), '0.232');
    assert.equal(fmtOptions({}), '(none sent)');
    assert.equal(fmtOptions({ num_gpu: 60, stop: ['a'] }), 'num_gpu=60, stop=["a"]');
  });

  const inline: [string, string][] = [
    ['plain words', 'plain words'],
    ['a | b', 'a \\| b'],
    ['<script>x</script>', '&lt;script&gt;x&lt;/script&gt;'],
    ['# heading\nnext', '\\# heading next'],
    ['[link](http://x)', '\\[link\\](http://x)'],
    ['decode_tps *bold* `code`', 'decode\\_tps \\*bold\\* \\`code\\`'],
    ['a & b', 'a &amp; b'],
    ['zero\u200bwidth\u0007bell', 'zerowidthbell'],
  ];
  for (const [text, want] of inline) it(`escapeInline(${JSON.stringify(text)})`, () => assert.equal(escapeInline(text), want));

  it('quoteUntrusted quotes every line, escapes markup and truncates', () => {
    const { block, truncated } = quoteUntrusted('# Title\n\n<b>x</b> [a](b)\n  - item\n```js', 1000);
    assert.equal(truncated, false);
    assert.deepEqual(block.split('\n'), ['> \\# Title', '>', '> &lt;b&gt;x&lt;/b&gt; \\[a\\]\\(b\\)', '> &#32;&#32;\\- item', '> \\`\\`\\`js']);
    const long = quoteUntrusted('x'.repeat(50), 10);
    assert.deepEqual([long.block, long.truncated], [`> ${'x'.repeat(10)}`, true]);
  });

  it('codeBlock uses a fence longer than any backtick run inside', () => {
    assert.equal(codeBlock('a\n', 'sh'), '```sh\na\n```');
    assert.equal(codeBlock('x ```` y', 'json'), '`````json\nx ```` y\n`````');
  });

  it('titles, anchors, banners and rules', () => {
    assert.equal(reportTitle('TR111_v2', 'Rust | agent'), 'Technical Report 111 v2: Rust \\| agent');
    assert.equal(slug('1. Methodology'), '1-methodology');
    assert.equal(slug('Appendix B: Model output excerpt'), 'appendix-b-model-output-excerpt');
    assert.equal(slug('Technical Report 3: decode\\_tps &lt;x&gt;'), 'technical-report-3-decode_tps-x');
    assert.equal(statusBanner('complete', 10, 10), '');
    assert.match(statusBanner('interrupted', 4, 10), /^> \*\*PARTIAL — interrupted\.\*\* .*4 of 10 planned runs were recorded/);
    assert.match(statusBanner('cancelled', 2, 10), /PARTIAL — cancelled/);
    assert.match(describeRule({ rule: 'overlap-speedup-below', threshold: 1.5 }), /below 1\.50× \(the original program's rule\)/);
    assert.match(describeRule({ rule: 'ttft-above-solo', threshold: 3 }), /above 3× its solo TTFT/);
    assert.equal(describeRule(null), 'no rule recorded');
  });

  it('demoteReport moves headings down, drops the table of contents, leaves code blocks alone', () => {
    const md = ['# Title', '', '## Table of Contents', '', '- [x](#x)', '', '## 1. A', '```', '# not a heading', '```', '### Sub', '> \\# quoted'].join('\n');
    assert.equal(demoteReport(md), ['## Title', '', '### 1. A', '```', '# not a heading', '```', '#### Sub', '> \\# quoted'].join('\n'));
  });
  it('trRef: a TR id as is, anything else from meta.json escaped (no link, no command URI)', () => {
    assert.equal(trRef('TR12'), 'TR12');
    assert.equal(trRef('TR111_v2'), 'TR111_v2');
    assert.equal(trRef('[x](command:evil)'), '\\[x\\](command:evil)');
    assert.equal(trRef({ a: 1 }), '{"a":1}');
    assert.equal(trRef('TR1 <script>'), 'TR1 &lt;script&gt;');
  });
});
