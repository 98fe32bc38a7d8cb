// Generated texts (one outputs.jsonl per TR) are written with their run's record (TrWriter.addRun) or at finish, never in the middle
// of a run: a synchronous fsync there stalled the other calls of a multi-agent run (bench/README.md).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrWriter, type MetaInit } from '../../../src/core/store/writer';
import { readRunsSync } from '../../../src/core/store/read';
import { outputRef, readOutputs } from '../../../src/core/store/outputs';
import type { Meta, RunRecord } from '../../../src/core/types';

const init: MetaInit = {
  title: 'T', kind: 'agent', planned: 2, experiment: { hash: 'sha256:x' }, metricDefinitions: {}, supersedes: null,
  environment: { endpoints: [], host: { os: 'linux', arch: 'x64', cpus: 2, memoryBytes: 1, node: 'v20' }, gpus: [], tool: { name: 'chimeraforge', version: '0' } },
};
const run = (i: number): RunRecord => ({ run: i, variant: 'a', repetition: i, warmup: false, valid: true, status: 'ok', startedAt: 'x', wallMs: 1, calls: [] });

type Step = { write?: [string, string]; addRun?: number; finish?: true; expect: Record<string, string | null>; runs: number[] };

const CASES: { name: string; steps: Step[] }[] = [
  {
    name: 'an output appears with its run, not before',
    steps: [
      { write: ['run0_analysis.md', 'A'], expect: { 'run0_analysis.md': null }, runs: [] },
      { addRun: 0, expect: { 'run0_analysis.md': 'A' }, runs: [0] },
    ],
  },
  {
    name: 'the last text written under a name wins; later runs do not rewrite earlier outputs',
    steps: [
      { write: ['run0_report.md', 'first'], expect: { 'run0_report.md': null }, runs: [] },
      { write: ['run0_report.md', 'second'], expect: { 'run0_report.md': null }, runs: [] },
      { addRun: 0, expect: { 'run0_report.md': 'second' }, runs: [0] },
      { write: ['run1_report.md', 'third'], expect: { 'run0_report.md': 'second', 'run1_report.md': null }, runs: [0] },
      { addRun: 1, expect: { 'run0_report.md': 'second', 'run1_report.md': 'third' }, runs: [0, 1] },
    ],
  },
  {
    name: 'finish writes outputs that no run took (an import writes outputs, then runs, then finishes)',
    steps: [
      { write: ['imported.md', 'kept'], expect: { 'imported.md': null }, runs: [] },
      { finish: true, expect: { 'imported.md': 'kept' }, runs: [] },
    ],
  },
];

describe('TR writer: outputs are written with their run', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const w = TrWriter.create(mkdtempSync(join(tmpdir(), 'cf-outputs-')), init);
      for (const s of c.steps) {
        if (s.write) assert.equal(w.writeOutput(s.write[0], s.write[1]), outputRef(s.write[0]));
        if (s.addRun !== undefined) w.addRun(run(s.addRun));
        if (s.finish) w.finish('complete', { variants: [], comparisons: [] }, '');
        for (const [name, text] of Object.entries(s.expect)) assert.equal(readOutputs(w.dir, [outputRef(name)]).get(outputRef(name)) ?? null, text, name);
        assert.deepEqual(readRunsSync(w.dir).runs.map((r) => r.run), s.runs);
      }
    });
  }
});

describe('TR writer: one outputs.jsonl, kept per the experiment\'s "outputTexts" policy', () => {
  it('keeps every k-th text, none beyond the byte budget, and records what it kept and dropped in meta.json', () => {
    const w = TrWriter.create(mkdtempSync(join(tmpdir(), 'cf-outputs-')), init, undefined, { every: 3, maxBytes: 110 });
    const refs = Array.from({ length: 12 }, (_, i) => w.writeOutput(`run${i}_prompt.txt`, `text ${i} ${'x'.repeat(10)}`));
    w.addRun(run(0));
    // Offered 0, 3, 6, 9 are the k-th ones; each line is 54 bytes, so the 110-byte budget holds two.
    assert.deepEqual(refs.map((r, i) => (r ? i : null)).filter((i) => i !== null), [0, 3]);
    const texts = readOutputs(w.dir, refs.filter((r): r is string => r !== undefined));
    assert.equal(texts.get(outputRef('run3_prompt.txt')), `text 3 ${'x'.repeat(10)}`);
    assert.deepEqual(readdirSync(w.dir).filter((f) => f.startsWith('outputs')).sort(), ['outputs', 'outputs.jsonl']);
    assert.deepEqual(readdirSync(join(w.dir, 'outputs')), [], 'no file per text');
    const meta = JSON.parse(readFileSync(join(w.dir, 'meta.json'), 'utf8')) as Meta;
    assert.deepEqual(meta.outputTexts, { file: 'outputs.jsonl', every: 3, maxBytes: 110, kept: 2, dropped: 10, bytes: 108 });
    assert.equal(meta.artifacts.outputs, 'outputs.jsonl');
  });
});
