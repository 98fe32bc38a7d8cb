// The report's kind-specific sections, rendered from summaries of synthetic run records (real
// RunRecord shapes): external implementations (start-up, RSS, CPU) and multi-agent contention.
import assert from 'node:assert/strict';
import { buildSummary } from '../../../src/core/stats/accumulator';
import { statOf } from '../../../src/core/stats/summaryTypes';
import { fmtCi, fmtNum } from '../../../src/core/report/format';
import { renderReport } from '../../../src/core/report/render';
import type { ReportInput } from '../../../src/core/report/model';
import { digestRuns } from '../../../src/core/report/digest';
import type { Meta, RunRecord } from '../../../src/core/types';
import { makeAgent, makeRun } from '../stats/fixtures';

function meta(kind: string, experiment: Record<string, unknown>): Meta {
  return {
    schemaVersion: 1, id: 'TR7', title: 'Sections', kind, status: 'complete', createdAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z',
    experiment: { kind, hash: 'sha256:abc', ...experiment },
    environment: { endpoints: [], host: { os: 'linux', arch: 'x64', cpus: 2, memoryBytes: 2 ** 33, node: 'v20' }, gpus: [], tool: { name: 'chimeraforge', version: '0.1.0' } },
    metricDefinitions: {}, counts: { planned: 6, completed: 6, warmup: 0, failed: 0, invalid: 0 },
    summary: { variants: [], comparisons: [] }, supersedes: null, supersededBy: null, supersedeReason: null,
    artifacts: { runs: 'runs.jsonl', summaryCsv: 'summary.csv', report: '../Technical_Report_7.md', charts: [] },
  };
}

function input(m: Meta, runs: RunRecord[], variants: { name: string; options: Record<string, unknown> }[]): ReportInput {
  const x = { ...m, experiment: { ...m.experiment, variants, contention: { rule: 'overlap-speedup-below', threshold: 1.5 } } };
  const d = digestRuns(x, runs);
  // The digest's summary is the accumulator's, with the same options the runner uses.
  assert.deepEqual(d.summary, buildSummary(runs, { kind: m.kind, variants, contentionRule: { rule: 'overlap-speedup-below', threshold: 1.5 } }));
  return { meta: x, status: 'complete', summary: d.summary, facts: d.facts, corrupt: [], figures: [], modelOutput: null };
}

describe('report sections by kind', () => {
  it('command: start-up, wall, RSS and CPU per implementation with the command line and exit codes', () => {
    const runs = [0, 1, 2, 3, 4, 5].map((i) => makeRun({ run: i, variant: i % 2 ? 'python' : 'rust', calls: [{ tps: 100 }],
      command: { startup_ms: i % 2 ? 900 + i : 200 + i, process_wall_ms: 5000 + i, peak_rss_mb: i % 2 ? 300 : 70 + i, cpu_ms: 1000 + i, exitCode: i === 5 ? 1 : 0 } }));
    const inp = input(meta('command', { implementations: [{ name: 'rust', argv: ['./agent', '--model', '${model}'] }, { name: 'python', argv: ['python', 'agent.py'] }] }), runs,
      [{ name: 'rust', options: {} }, { name: 'python', options: {} }]);
    const md = renderReport(inp);
    const section = md.slice(md.indexOf('## 4. External implementations'), md.indexOf('## 5. Validity'));
    assert.ok(section.includes('#### Implementation `rust`') && section.includes('Command: `./agent --model ${model}`'));
    const rust = inp.summary.variants[0];
    for (const m of ['startup_ms', 'process_wall_ms', 'peak_rss_mb', 'cpu_ms']) {
      const s = statOf(rust, m)!;
      assert.ok(section.includes(`| \`${m}\` | ${m === 'peak_rss_mb' ? 'MB' : 'ms'} | 3 | ${fmtNum(s.mean)} |`), m);
    }
    assert.ok(section.includes('Exit codes: 3 of 3 measured runs exited 0.') && section.includes('Exit codes: 2 of 3 measured runs exited 0.'));
    const st = statOf(rust, 'startup_ms')!;
    assert.ok(md.includes(`\`rust\`: startup_ms ${fmtNum(st.mean)} ms (95% CI ${fmtCi(st.ci95)}, n=3); peak_rss_mb`), 'command findings in the executive summary');
  });

  it('multi-agent: overlap efficiency labelled as the original metric, real speedup, contention with its rule', () => {
    const runs = [1, 2, 3, 4].map((i) => makeRun({ run: i, variant: 'default', calls: [],
      multiAgent: { overlap_efficiency: 95 + i / 2, speedup_vs_sequential: i === 4 ? 1.2 : 1.8, contention: i === 4, aggregate_tps: 80 + i },
      agents: [makeAgent('collector', 1000, [{ tps: 42 }]), makeAgent('insight', 990, [{ tps: 41 }])] }));
    const inp = input(meta('multi-agent', { agents: [{ name: 'collector', endpoint: 'default' }, { name: 'insight', endpoint: 'b' }] }), runs, [{ name: 'default', options: {} }]);
    const md = renderReport(inp);
    const ma = inp.summary.multiAgent!;
    const section = md.slice(md.indexOf('## 4. Multi-agent execution'), md.indexOf('## 5. Validity'));
    assert.ok(section.includes(`| overlap\\_efficiency — the original "parallel efficiency" (overlap, not gain) | % | 4 | ${fmtNum(ma.overlap_efficiency!.mean)} |`));
    assert.ok(section.includes(fmtCi(ma.speedup_vs_sequential!.ci95)));
    assert.ok(section.includes('**Contention:** 1 of 4 runs flagged (contention rate 25.0%). Rule: overlap speedup (Σ agent wall times / concurrent wall) below 1.50× (the original program\'s rule)'));
    assert.ok(md.includes(`1. Real speedup vs running the agents one after another (measured solo baseline): ${fmtNum(ma.speedup_vs_sequential!.mean)}× (95% CI ${fmtCi(ma.speedup_vs_sequential!.ci95)}, n=4).`));
    assert.equal((section.match(/^\| [1-4] \| `default` \|/gm) ?? []).length, 4, 'one per-run row per counted run');
  });

  it('figures: a report without figures says why (figuresNote) in its Figures section; with figures the note is not shown', () => {
    const runs = [1, 2].map((i) => makeRun({ run: i, variant: 'a', calls: [{ tps: 50 + i }] }));
    const base = input(meta('prompt', {}), runs, [{ name: 'a', options: {} }]);
    const note = 'Figures are drawn in the dashboard only: this install has no chart renderer.';
    const without = renderReport({ ...base, figuresNote: note });
    assert.ok(without.includes(`### Figures\n\n_${note}_\n`), without.slice(without.indexOf('### Figures') - 20));
    assert.ok(!renderReport(base).includes('### Figures'), 'no note, no figures: no section');
    const withFig = renderReport({ ...base, figuresNote: note, figures: [{ path: 'TR7/charts/x.png', title: 'X', caption: 'c' }] });
    assert.ok(withFig.includes('![X](TR7/charts/x.png)') && !withFig.includes(note));
  });
});
