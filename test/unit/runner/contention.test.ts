// Multi-agent contention (PRODUCT.md §11.3): a rule that cannot be decided for a run gives null (never
// "no contention"), such runs are left out of contention_rate and counted; a rule that can never be decided
// with the experiment's settings is bad input.
import assert from 'node:assert/strict';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { digestRuns } from '../../../src/core/report/digest';
import { keyFindings } from '../../../src/core/report/findings';
import { renderMultiAgent } from '../../../src/core/report/comparisons';
import { multiAgentMetrics, type SoloMeasure } from '../../../src/core/runner/kinds/multiAgentMetrics';
import { buildSummary } from '../../../src/core/stats/accumulator';
import { TrWriter } from '../../../src/core/store/writer';
import type { Meta } from '../../../src/core/types';
import { loadTrView } from '../../../src/vscode/dashboard/trData';
import { makeWorkspace } from '../../helpers/workspace';
import { makeAgent, makeRun } from '../stats/fixtures';

const agents = [makeAgent('collector', 1000, [{ tps: 40, ttftMs: 100 }]), makeAgent('insight', 1000, [{ tps: 40, ttftMs: 300 }])];
const bothSolo = new Map<string, SoloMeasure>([['collector', { wallMs: 900, ttftMs: 50 }], ['insight', { wallMs: 900, ttftMs: 50 }]]);

describe('multi-agent contention: undecidable → null', () => {
  it('speedup-below without a solo baseline, or with a failed solo run: contention null, not false', () => {
    const rule = { rule: 'speedup-below' as const, threshold: 1.5 };
    assert.equal(multiAgentMetrics(agents, 1100, null, rule).contention, null, 'no baseline');
    const failedSolo = new Map([['collector', { wallMs: 900, ttftMs: 50 }]]);
    assert.equal(multiAgentMetrics(agents, 1100, failedSolo, rule).contention, null, 'the insight solo run failed');
    // decidable: (900 + 900) / 1100 = 1.64 ≥ 1.5 → false; / 1300 = 1.38 → true
    assert.equal(multiAgentMetrics(agents, 1100, bothSolo, rule).contention, false);
    assert.equal(multiAgentMetrics(agents, 1300, bothSolo, rule).contention, true);
  });

  it('ttft-above-solo: null without the solo TTFT of every agent unless one agent already exceeds', () => {
    const rule = { rule: 'ttft-above-solo' as const, threshold: 3 };
    assert.equal(multiAgentMetrics(agents, 1100, null, rule).contention, null);
    // insight: 300 / 50 = 6 > 3 → contended, whatever collector's unknown solo TTFT says
    assert.equal(multiAgentMetrics(agents, 1100, new Map([['insight', { wallMs: 900, ttftMs: 50 }]]), rule).contention, true);
    // collector: 100 / 50 = 2 ≤ 3 and insight unknown → cannot tell
    assert.equal(multiAgentMetrics(agents, 1100, new Map([['collector', { wallMs: 900, ttftMs: 50 }], ['insight', { wallMs: 900, ttftMs: null }]]), rule).contention, null);
    assert.equal(multiAgentMetrics(agents, 1100, new Map([['collector', { wallMs: 900, ttftMs: 50 }], ['insight', { wallMs: 900, ttftMs: 200 }]]), rule).contention, false);
  });

  it('overlap-speedup-below needs no baseline: always decided', () => {
    const m = multiAgentMetrics(agents, 1100, null, { rule: 'overlap-speedup-below', threshold: 1.5 });
    assert.equal(m.contention, false, '(1000 + 1000) / 1100 = 1.82');
  });

  it('summary: undecided runs are left out of contention_rate and counted; report and findings say so', () => {
    const runs = [true, false, null, null, true].map((contention, i) => makeRun({ run: i, variant: 'dual', agents, multiAgent: { contention } }));
    const rule = { rule: 'speedup-below', threshold: 1.5 };
    const s = buildSummary(runs, { kind: 'multi-agent', variants: [{ name: 'dual', options: {} }], contentionRule: rule });
    assert.equal(s.multiAgent?.contention_flagged, 2);
    assert.equal(s.multiAgent?.contention_undecided, 2);
    assert.equal(s.multiAgent?.contention_rate, 2 / 3, 'flagged / decided runs');
    assert.deepEqual(s.variants[0].contention, { flagged: 2, runs: 5, undecided: 2, rate: 2 / 3 });
    const none = buildSummary(runs.slice(2, 4), { kind: 'multi-agent', variants: [{ name: 'dual', options: {} }], contentionRule: rule });
    assert.equal(none.multiAgent?.contention_rate, null, 'no decided run: no rate');
    const meta = { id: 'TR1', kind: 'multi-agent', experiment: { hash: 'sha256:x', kind: 'multi-agent', contention: rule }, summary: { variants: [], comparisons: [] } } as unknown as Meta;
    const d = digestRuns(meta, runs);
    const md = renderMultiAgent({ meta, summary: d.summary, facts: d.facts } as unknown as Parameters<typeof renderMultiAgent>[0]) ?? '';
    assert.match(md, /\*\*Contention:\*\* 2 of 3 decided runs flagged \(contention rate 66\.7%\); 2 runs undecided \(the rule needs solo measurements that were missing or failed for them; they are left out of the rate\)\./);
    assert.match(md, /\| undecided \|/);
    assert.ok(keyFindings(d.summary).some((f) => f.includes('Contention flagged in 2 of 3 decided runs (66.7%); 2 undecided')), keyFindings(d.summary).join('\n'));
  });

  it('a rule that can never be decided with the experiment\'s settings is bad input (contention.rule)', () => {
    for (const rule of ['speedup-below', 'ttft-above-solo'] as const) {
      assert.throws(
        () => normalizeExperiment({ title: 't', kind: 'multi-agent', sequentialBaseline: false, contention: { rule }, agents: [{ name: 'a' }, { name: 'b' }] }),
        (e: { code?: string; where?: string; message?: string }) => e.code === 'E_BAD_INPUT' && e.where === 'contention.rule' && /needs the sequential baseline/.test(e.message ?? ''),
        rule,
      );
    }
    // overlap rule without a baseline, and any rule with one, are fine
    normalizeExperiment({ title: 't', kind: 'multi-agent', sequentialBaseline: false, contention: { rule: 'overlap-speedup-below' }, agents: [{ name: 'a' }] });
    normalizeExperiment({ title: 't', kind: 'multi-agent', contention: { rule: 'speedup-below' }, agents: [{ name: 'a' }] });
  });
});

describe('dashboard: contention with undecided runs', () => {
  it('the TR view says flagged of decided runs and counts the undecided ones', async () => {
    const ws = makeWorkspace(false);
    const rule = { rule: 'speedup-below', threshold: 1.5 };
    const w = TrWriter.create(ws.reportsDir, {
      title: 'contention', kind: 'multi-agent', experiment: { hash: 'sha256:x', kind: 'multi-agent', contention: rule, variants: [{ name: 'dual', options: {} }] },
      environment: { endpoints: [], host: { os: 'linux', arch: 'x64', cpus: 2, memoryBytes: 1, node: 'v20' }, gpus: [], tool: { name: 'chimeraforge', version: '0' } },
      metricDefinitions: {}, supersedes: null, planned: 3,
    });
    [true, null, false].forEach((contention, i) => w.addRun(makeRun({ run: i, variant: 'dual', agents, multiAgent: { contention, speedup_vs_sequential: 1.2 } })));
    w.finish('complete', { variants: [], comparisons: [] }, '');
    const v = await loadTrView(ws.reportsDir, w.id);
    assert.equal(v.contention, '1 of 2 decided runs flagged (contention rate 50.0%); 1 run undecided (the rule needs solo measurements that were missing or failed for them; they are left out of the rate). Rule: real speedup vs the measured sequential baseline below 1.50×.');
  });
});
