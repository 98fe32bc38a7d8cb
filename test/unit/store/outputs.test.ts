// Generated texts are written with their run's record (TrWriter.addRun) or at finish, never in the middle
// of a run: a synchronous fsync there stalled the other calls of a multi-agent run (bench/README.md).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrWriter, type MetaInit } from '../../../src/core/store/writer';
import { readRunsSync } from '../../../src/core/store/read';
import type { RunRecord } from '../../../src/core/types';

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
        if (s.write) assert.equal(w.writeOutput(s.write[0], s.write[1]), join('outputs', s.write[0]));
        if (s.addRun !== undefined) w.addRun(run(s.addRun));
        if (s.finish) w.finish('complete', { variants: [], comparisons: [] }, '');
        for (const [name, text] of Object.entries(s.expect)) {
          const file = join(w.dir, 'outputs', name);
          assert.equal(existsSync(file) ? readFileSync(file, 'utf8') : null, text, name);
        }
        assert.deepEqual(readRunsSync(w.dir).runs.map((r) => r.run), s.runs);
      }
    });
  }
});
