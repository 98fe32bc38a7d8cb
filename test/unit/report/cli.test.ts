// The report commands as a user runs them (dist/cli.js): run writes the report and index, report
// regenerates, compare/supersede/index/compendium write their files; unknown or malformed ids exit 2.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { readMeta } from '../../../src/core/store/read';
import { cli, requireBuiltCli } from '../../helpers/cli';
import { makeWorkspace, type TestWorkspace } from '../../helpers/workspace';


describe('chimeraforge report / compare / supersede / index / compendium (CLI)', function () {
  this.timeout(180_000);
  let engine: EngineHandle;
  let ws: TestWorkspace;

  before(async () => {
    requireBuiltCli();
    engine = await startEngine({ mode: 'paced', paced: { ttftMs: 10, tokensPerSec: 300, tokens: 8 } });
    ws = makeWorkspace(false);
    const x = (title: string, variants: object[]) => ({ title, kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 3, warmup: 0, variants });
    writeFileSync(join(ws.dir, 'ab.experiment.json'), JSON.stringify(x('A/B', [{ name: 'slow', options: { paced_tps: 150 } }, { name: 'fast', options: { paced_tps: 300 } }])));
    writeFileSync(join(ws.dir, 'one.experiment.json'), JSON.stringify(x('One variant', [{ name: 'fast', options: { paced_tps: 300 } }])));
  });
  after(async () => engine?.stop());

  it('run writes the technical report and the index, and --json names the report file', () => {
    const r = cli(['run', 'ab.experiment.json', '--endpoint', `default=${engine.url}`, '--json'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { trId: string; reportFile: string };
    assert.deepEqual([out.trId, out.reportFile], ['TR1', join(ws.reportsDir, 'Technical_Report_1.md')]);
    assert.match(r.stderr, /report: .*Technical_Report_1\.md/);
    assert.ok(readFileSync(out.reportFile, 'utf8').startsWith('# Technical Report 1: A/B\n'));
    assert.ok(readFileSync(join(ws.reportsDir, 'README.md'), 'utf8').includes('| [TR1](Technical_Report_1.md) | A/B | complete |'));
    assert.equal(cli(['run', 'one.experiment.json', '--endpoint', `default=${engine.url}`], ws.dir).code, 0);
  });

  it('report regenerates (same bytes), --json reports the charts', () => {
    const before = readFileSync(join(ws.reportsDir, 'Technical_Report_1.md'), 'utf8');
    const r = cli(['report', 'TR1', '--json'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: string; charts: string[]; metaUpdated: boolean };
    assert.deepEqual([out.status, out.charts.length, out.metaUpdated], ['complete', 3, true]);
    assert.equal(readFileSync(join(ws.reportsDir, 'Technical_Report_1.md'), 'utf8'), before);
  });

  it('compare prints the verdict and writes it under the newer TR; ambiguous groups exit 2', () => {
    const r = cli(['compare', 'TR1:slow', 'TR2', '--metric', 'decode_tps'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    // Paced server durations are exact: no spread in either TR, so the comparison is not testable (p —).
    // The server's decode rate is paced_tps·n/(n−1) with n = 8 (eval_duration over n−1 intervals).
    assert.match(r.stdout, /p —[\s\S]*verdict: not testable \(no variation\) on decode_tps: every run of TR1:slow gave 171\.4 tok\/s and every run of TR2:fast gave 342\.9 tok\/s/, 'server rates paced_tps·8/7 (eval_duration over n−1 of n = 8 intervals)');
    assert.ok(existsSync(join(ws.reportsDir, 'TR2', 'comparisons', 'TR1-slow_vs_TR2-fast_decode_tps.json')));
    const json = cli(['compare', 'TR1:slow', 'TR1:fast', '--json'], ws.dir);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { underTr: string }).underTr, 'TR1');
    const ambiguous = cli(['compare', 'TR1', 'TR2'], ws.dir);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /TR1 has 2 variants with counted runs; name one[\s\S]*variants: slow, fast/);
  });

  it('supersede, index and compendium', () => {
    assert.equal(cli(['supersede', 'TR1', 'TR2'], ws.dir).code, 2, '--reason is required');
    const s = cli(['supersede', 'TR1', 'TR2', '--reason', 'one variant is enough'], ws.dir);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(readMeta(join(ws.reportsDir, 'TR1')).supersededBy, 'TR2');
    assert.equal(cli(['index'], ws.dir).stdout.trim(), join(ws.reportsDir, 'README.md'));
    assert.ok(readFileSync(join(ws.reportsDir, 'README.md'), 'utf8').includes('| [TR1](Technical_Report_1.md) | TR2 | one variant is enough |'));
    const c = cli(['compendium'], ws.dir);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stderr, /1 current report\(s\): TR2/);
  });

  it('unknown TR: exit 2 naming the reports dir and the known ids; malformed id: exit 2', () => {
    const unknown = cli(['report', 'TR42'], ws.dir);
    assert.equal(unknown.code, 2);
    assert.ok(unknown.stderr.includes(`TR42 does not exist in the reports directory ${ws.reportsDir}`) && unknown.stderr.includes('known TR ids: TR1, TR2'), unknown.stderr);
    const bad = cli(['report', '../TR1'], ws.dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"\.\.\/TR1" is not a TR id/);
  });
});
