// Reports index, supersede, compare across TRs, compendium and model-output quoting, on TRs written
// by real runs against the paced engine (an agent workflow among them).
import { replaceOutputText } from '../../helpers/outputs';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { ChimeraError } from '../../../src/core/errors';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment, type RunResult } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import type { RunSummary } from '../../../src/core/stats/summaryTypes';
import { compareTrGroups, parseGroupRef } from '../../../src/core/report/compareTrs';
import { writeCompendium } from '../../../src/core/report/compendium';
import { trDirOf } from '../../../src/core/report/locate';
import { supersede } from '../../../src/core/report/supersede';
import { writeReport } from '../../../src/core/report/write';
import { fmtNum } from '../../../src/core/report/format';
import { makeWorkspace, type TestWorkspace } from '../../helpers/workspace';

const INJECTION = [
  '# Injected heading',
  '<script>alert(1)</script>',
  '```',
  '## Escaped the quote?',
  '[click](javascript:alert(1)) ![img](http://example.invalid/x.png)',
  '<img src=x onerror=alert(1)>',
  '---',
  '| a | b |',
  '    indented code',
  '1. list item',
].join('\n');

describe('reports index, supersede, compare, compendium (real runs)', function () {
  this.timeout(240_000);
  let engine: EngineHandle;
  let ws: TestWorkspace;
  let first: RunResult;
  let second: RunResult;
  let agent: RunResult;

  const run = (file: Omit<ExperimentFile, 'endpoints' | 'model'>): Promise<RunResult> =>
    runExperiment(normalizeExperiment({ model: 'tiny:latest', endpoints: { default: engine.url }, ...file } as ExperimentFile, { workspaceDir: ws.dir }), { reportsDir: ws.reportsDir });

  before(async () => {
    engine = await startEngine({ mode: 'paced', paced: { ttftMs: 10, tokensPerSec: 300, tokens: 10 } });
    ws = makeWorkspace(true);
    first = await run({ title: 'First measurement', kind: 'prompt', prompts: ['a'], repetitions: 3, warmup: 0, variants: [{ name: 'base', options: { paced_tps: 150 } }] });
    second = await run({ title: 'Second measurement', kind: 'prompt', prompts: ['a'], repetitions: 3, warmup: 0, variants: [{ name: 'tuned', options: { paced_tps: 300 } }] });
    agent = await run({ title: 'Agent workflow', kind: 'agent', repetitions: 2, warmup: 0, tags: ['Phase 2: agent workflows'],
      workflow: { type: 'steps', steps: [{ name: 'analysis', prompt: 'analyse' }, { name: 'report', prompt: 'write a report from {{analysis}}' }] } });
    for (const r of [first, second, agent]) writeReport(r.trDir);
  });
  after(async () => engine?.stop());

  it('compare across two TRs writes the comparison under the newer TR and keeps it through a regenerate', () => {
    const r = compareTrGroups(ws.reportsDir, parseGroupRef(`${first.trId}:base`), parseGroupRef(second.trId), 'decode_tps');
    assert.equal(r.underTr, second.trId);
    assert.ok(r.jsonFile.startsWith(join(second.trDir, 'comparisons')) && existsSync(r.jsonFile) && existsSync(r.mdFile));
    const c = r.comparison;
    assert.deepEqual([c.a, c.b, c.nA, c.nB], [`${first.trId}:base`, `${second.trId}:tuned`, 3, 3]);
    assert.ok(Math.abs(c.ratio! - 2) < 0.05, `paced 300 vs 150 tok/s: ratio ${c.ratio}`);
    assert.match(c.verdict, /^not testable \(no variation\)/, 'exact paced server durations: no spread, no test');
    assert.deepEqual(JSON.parse(readFileSync(r.jsonFile, 'utf8')).verdict, c.verdict);
    const stored = () => (readMeta(second.trDir).summary.comparisons).filter((x) => x.source === 'compare');
    assert.equal(stored().length, 1);
    compareTrGroups(ws.reportsDir, parseGroupRef(`${first.trId}:base`), parseGroupRef(second.trId), 'decode_tps');
    assert.equal(stored().length, 1, 'the same comparison replaces, never duplicates');
    writeReport(second.trDir);
    assert.equal(stored().length, 1, 'a recomputed summary keeps the comparison');
    assert.ok(readFileSync(join(ws.reportsDir, `Technical_Report_${second.trId.slice(2)}.md`), 'utf8').includes(`${first.trId}:\`base\``));
    assert.equal(readMeta(first.trDir).summary.comparisons.length, 0, 'nothing is written under the older TR');
  });

  it('supersede updates both meta.json files and the index shows current and superseded reports', () => {
    supersede(ws.reportsDir, first.trId, second.trId, '3 → 3 runs | re-measured');
    const oldMeta = readMeta(first.trDir);
    const newMeta = readMeta(second.trDir);
    assert.deepEqual([oldMeta.supersededBy, oldMeta.supersedeReason, newMeta.supersedes], [second.trId, '3 → 3 runs | re-measured', first.trId]);
    assert.equal(oldMeta.status, 'complete', 'history kept: the old TR is still complete and on disk');
    assert.ok(existsSync(join(first.trDir, 'runs.jsonl')));
    const index = readFileSync(join(ws.reportsDir, 'README.md'), 'utf8');
    const current = index.slice(index.indexOf('## Current reports'), index.indexOf('## Superseded reports'));
    const superseded = index.slice(index.indexOf('## Superseded reports'), index.indexOf('## Key findings'));
    assert.match(current, /\| Report \| Title \| Status \| Key Finding \|/);
    assert.ok(index.includes(`## Research phases\n\n### Phase 2: agent workflows\n\n- [${agent.trId}](Technical_Report_${agent.trId.slice(2)}.md) — Agent workflow\n`), 'declared phases (tags) listed');
    assert.ok(current.includes(`| [${second.trId}](Technical_Report_${second.trId.slice(2)}.md) | Second measurement | complete |`));
    assert.ok(current.includes(`| [${agent.trId}](`));
    assert.ok(!current.includes(`[${first.trId}]`), 'the superseded TR is not current');
    assert.ok(superseded.includes(`| [${first.trId}](Technical_Report_${first.trId.slice(2)}.md) | ${second.trId} | 3 → 3 runs \\| re-measured |`));
    const oldReport = readFileSync(join(ws.reportsDir, `Technical_Report_${first.trId.slice(2)}.md`), 'utf8');
    assert.ok(oldReport.includes(`superseded by ${second.trId}`), 'the old report shows its lineage');
    assert.throws(() => supersede(ws.reportsDir, second.trId, first.trId, 'cycle'), (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_INPUT');
    assert.throws(() => supersede(ws.reportsDir, first.trId, second.trId, '  '), (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_INPUT');
  });

  it('the compendium holds the current reports in TR order, without the superseded one', () => {
    const r = writeCompendium(ws.reportsDir);
    assert.deepEqual(r.included, [second.trId, agent.trId]);
    const md = readFileSync(r.file, 'utf8');
    assert.ok(md.startsWith('# Research Compendium\n'));
    assert.ok(!md.includes('First measurement'), 'superseded report left out');
    assert.ok(md.indexOf('## Technical Report 2: Second measurement') < md.indexOf('## Technical Report 3: Agent workflow'));
    assert.ok(md.includes('- [Technical Report 2: Second measurement](#technical-report-2-second-measurement)'));
    assert.equal(md.split('\n').filter((l) => /^# /.test(l)).length, 1, 'report titles moved one level down');
  });

  it('model output in an agent report stays quoted plain text (no headings, HTML, links or code blocks)', () => {
    const out = readRunsSync(agent.trDir).runs.flatMap((r) => r.calls).find((c) => c.stage === 'report' && c.outputFile)!;
    replaceOutputText(agent.trDir, out.outputFile!, INJECTION);
    const md = readFileSync(writeReport(agent.trDir).reportFile, 'utf8');
    const appendix = md.slice(md.indexOf('## Appendix B: Model output excerpt'));
    assert.ok(appendix.includes('**MODEL OUTPUT — generated text'), 'clearly marked as model output');
    const summary = readMeta(agent.trDir).summary as RunSummary;
    const stage = (summary.variants[0].stages as Record<string, Record<string, unknown>>).report;
    const tps = stage.decode_tps as { n: number; mean: number };
    assert.ok(md.includes(`##### Stage \`report\` of \`default\` (${stage.calls} calls)`), 'per-stage detail table');
    assert.ok(md.includes(`| \`decode_tps\` | tok/s | ${tps.n} | ${fmtNum(tps.mean)} |`), 'stage statistics from the summary');
    const quoted = appendix.split('\n').slice(4).filter((l) => l !== '');
    assert.equal(quoted.length, INJECTION.split('\n').length);
    for (const l of quoted) assert.ok(l === '>' || l.startsWith('> '), `quoted: ${l}`);
    assert.ok(!/<script|<img/i.test(md), 'no raw HTML anywhere in the report');
    assert.ok(!md.includes('](javascript:'), 'no live link');
    assert.ok(!/^#{1,6} (Injected|Escaped)/m.test(md), 'no injected heading');
    assert.ok(!/^> ```/m.test(appendix), 'no code fence opened inside the quote');
    assert.ok(appendix.includes('> \\# Injected heading') && appendix.includes('&lt;script&gt;'));
    assert.ok(appendix.includes('> &#32;&#32;&#32;&#32;indented code'), 'indentation kept without an indented code block');
  });

  it('unknown and malformed TR ids are E_NOT_FOUND (listing the known ids) and E_BAD_TR_ID', () => {
    assert.throws(() => trDirOf(ws.reportsDir, 'TR999'), (e: unknown) => e instanceof ChimeraError && e.code === 'E_NOT_FOUND'
      && e.message.includes(ws.reportsDir) && e.describe().includes(`known TR ids: ${first.trId}, ${second.trId}, ${agent.trId}`));
    assert.throws(() => trDirOf(ws.reportsDir, '../TR1'), (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_TR_ID');
    assert.throws(() => compareTrGroups(ws.reportsDir, parseGroupRef(`${first.trId}:nope`), parseGroupRef(second.trId)), (e: unknown) => e instanceof ChimeraError && e.code === 'E_NOT_FOUND');
    assert.ok((readMeta(agent.trDir).summary as RunSummary).counts.counted === 2);
  });
});
