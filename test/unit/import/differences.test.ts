import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tally } from '../../../src/core/import/checks';
import { renderDifferences, renderDifferencesBody } from '../../../src/core/import/differences';
import { normalizeScenario, parseConfigName, testId } from '../../../src/core/import/names';
import { publishedDataSet, publishedDifferences } from '../../../src/core/import/published';
import { formatImport } from '../../../src/cli/commands/import';
import { importResults, planImport } from '../../../src/core/import/importer';
import { buildSummary } from '../../../src/core/stats/accumulator';
import type { Difference } from '../../../src/core/import/types';
import { ROOTS, workspace } from './helpers';

/** The content hash of the published TR114_v2 data (tr110_rust_full at Sahil170595/Chimeraforge@1c11f382). */
const TR114_DATA = 'sha256:4189f3e07c8e097654dccbd583fd7c1d6bb07d53b3e0eb445e66dfbd2bfc0194';

describe('import: names', () => {
  it('normalises scenario spellings, config folders and test ids', () => {
    assert.deepEqual(['chimera-homo', 'chimera_homo', 'Baseline-VS-Chimera'].map(normalizeScenario), ['chimera_homo', 'chimera_homo', 'baseline_vs_chimera']);
    assert.deepEqual(parseConfigName('run_gpu60_ctx512_temp0p8'), { options: { num_gpu: 60, num_ctx: 512, temperature: 0.8 }, rerun: null });
    assert.deepEqual(parseConfigName('gpu80_ctx1024_temp0p6_v2'), { options: { num_gpu: 80, num_ctx: 1024, temperature: 0.6 }, rerun: 'v2' });
    assert.equal(parseConfigName('baseline_default'), null);
    assert.deepEqual(['test007', 'phase_2_test_108', 'test_5', 'run_1'].map(testId), ['test007', 'test108', 'test005', null]);
  });
});

describe('import: differences', () => {
  it('a tally names what disagrees (first 12) and says when everything agrees', () => {
    const t = new Tally();
    for (let i = 0; i < 15; i++) t.check(`t${i}`, i < 1);
    const row = t.row('x', 'src')!;
    assert.equal(row.agrees, false);
    assert.match(String(row.recomputed), /^14 of 15 differ: t1, t2, .*t12, … \(2 more\)$/);
    const ok = new Tally();
    ok.check('a', true);
    assert.deepEqual(ok.row('y', 's'), { what: 'y', original: '1 stored value', recomputed: 'all 1 agree', source: 's', agrees: true });
    assert.equal(new Tally().row('z', 's'), null);
  });

  it('renders disagreements first, then what was reproduced, with units and escaped cells', () => {
    const rows: Difference[] = [
      { what: 'mean | overall', original: 95.8, recomputed: 93.21392580250156, source: 'overview', unit: '%', agrees: false, note: 'not reproducible' },
      { what: 'peak', original: 99.25, recomputed: 99.25076854238287, source: 'TR110', unit: '%', agrees: true },
    ];
    const md = renderDifferences({ differences: rows, imported: { from: '/x', layout: 'python-multi', files: 1, commit: '1c11f382' } });
    assert.equal(md.split('\n')[0], '## Differences from the original');
    assert.ok(md.includes('`python-multi` data at commit 1c11f382'));
    assert.ok(md.includes('### Where they differ (1)'));
    assert.ok(md.includes('| mean \\| overall — not reproducible | 95.8 % | 93.21 % | overview |'));
    assert.ok(md.indexOf('### Reproduced (1)') > md.indexOf('### Where they differ'));
    assert.ok(md.includes('| peak | 99.25 % | 99.251 % | TR110 |'));
    assert.equal(renderDifferences({ differences: [] }), '');
    assert.ok(!renderDifferencesBody({ differences: rows }).startsWith('##'));
  });

  it('published claims are checked only when the content hash is the published data set\'s, never by run count', () => {
    const { data } = workspace();
    const { plan, contentHash } = planImport(join(data, ROOTS.rustMulti));
    assert.match(contentHash, /^sha256:[0-9a-f]{64}$/);
    assert.equal(publishedDataSet('rust-multi', contentHash), null, 'the fixture is a subset');
    assert.deepEqual(publishedDifferences(plan, buildSummary(plan.runs, { kind: plan.kind, variants: plan.variants }), contentHash), []);
    // The subset's runs repeated to the published count (135): still not the published data, no claims.
    const full = { ...plan, runs: Array.from({ length: 135 }, (_, i) => ({ ...plan.runs[i % plan.runs.length], run: i + 1 })) };
    const fullSummary = buildSummary(full.runs, { kind: plan.kind, variants: plan.variants });
    assert.deepEqual(publishedDifferences(full, fullSummary, contentHash), []);
    // With the published data set's hash (Sahil170595/Chimeraforge@1c11f382 data/research/tr110_rust_full) they are evaluated.
    assert.deepEqual(publishedDataSet('rust-multi', TR114_DATA), { runs: 135 });
    const rows = publishedDifferences(full, fullSummary, TR114_DATA);
    assert.equal(rows.length, 10);
    const mean = rows.find((r) => r.what.startsWith('TR114_v2 mean'))!;
    assert.deepEqual([mean.original, mean.agrees, mean.unit], [98.281, false, '%']);
  });

  it('the content hash is of the files read: the same wherever the data lies, changed by one byte or one more data file', () => {
    const a = workspace();
    const b = workspace();
    const hashOf = (root: string): string => planImport(join(root, ROOTS.rustMulti)).contentHash;
    const h = hashOf(a.data);
    assert.equal(hashOf(b.data), h);
    const file = join(b.data, ROOTS.rustMulti, 'chimera-homo', 'test108', 'run_1', 'metrics.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\s*$/, ' \n'));
    assert.notEqual(hashOf(b.data), h, 'one byte more');
    const c = workspace();
    const run = join(c.data, ROOTS.rustMulti, 'chimera-homo', 'test108', 'run_3');
    cpSync(join(c.data, ROOTS.rustMulti, 'chimera-homo', 'test108', 'run_1', 'metrics.json'), join(run, 'metrics.json'));
    assert.notEqual(hashOf(c.data), h, 'one more run file');
  });
});

describe('import: CLI', () => {
  it('prints the layout, counts, skipped files and the differing checks', () => {
    const ws = workspace();
    const r = importResults(join(ws.data, ROOTS.rustMulti), { reportsDir: ws.reports });
    const text = formatImport(r, ws.data);
    const lines = text.split('\n');
    assert.match(lines[0], /^layout: rust-multi \(scenario folders .*\) in data\/research\/tr110_rust_full$/);
    assert.match(lines[1], /^imported 9 runs from \d+ files into TR114_v2 .*data commit 1c11f382$/);
    assert.equal(lines[2], 'skipped 5:');
    assert.ok(lines.includes('  chimera-homo/test108/run_4/metrics.json: 0-byte file'));
    assert.ok(text.includes('differences from the original: 2 of 6 checks differ'));
  });

  it('exits 2 and lists the candidates when a folder holds several layouts; imports with --layout and --json', () => {
    const ws = workspace();
    const main = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts');
    const amb = spawnSync(process.execPath, ['--import', 'tsx', main, 'import', ws.data, '--reports-dir', ws.reports], { encoding: 'utf8', timeout: 60000 });
    assert.equal(amb.status, 2, amb.stderr);
    assert.match(amb.stderr, /6 result layouts found/);
    assert.match(amb.stderr, /python-multi +src\/python\/banterhearts/);
    const ok = spawnSync(process.execPath, ['--import', 'tsx', main, 'import', ws.data, '--layout', 'python-sweep', '--as', 'TR7', '--reports-dir', ws.reports, '--json'], { encoding: 'utf8', timeout: 60000 });
    assert.equal(ok.status, 0, ok.stderr);
    const out = JSON.parse(ok.stdout);
    assert.deepEqual([out.trId, out.layout, out.runs, out.skipped.length], ['TR7', 'python-sweep', 4, 1]);
    assert.equal(out.report, join(ws.reports, 'Technical_Report_7.md'));
    assert.ok(existsSync(out.report) && existsSync(join(ws.reports, 'README.md')));
    assert.match(readFileSync(out.report, 'utf8'), /## \d+\. Differences from the original/);
    const again = spawnSync(process.execPath, ['--import', 'tsx', main, 'import', join(ws.data, ROOTS.pythonSweep), '--as', 'TR7', '--reports-dir', ws.reports, '--no-report'], { encoding: 'utf8', timeout: 60000 });
    assert.equal(again.status, 2, 'an id that exists is bad input');
    assert.match(again.stderr, /TR7 already exists/);
  });
});
