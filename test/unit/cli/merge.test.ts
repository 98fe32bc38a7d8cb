// `chimeraforge merge` (PRODUCT.md §11.5) on TRs of one experiment run against several engines (one per
// "host"): raw runs joined and renumbered with their source, the summary recomputed from them (its n is
// the sum of the sources' counted runs and its mean the mean over all their per-run values), provenance
// per source kept; TRs of different experiments are refused with exit 2.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngines, type EngineHandle } from '../../../engine/api';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { cli, requireBuiltCli } from '../../helpers/cli';
import { makeWorkspace } from '../../helpers/workspace';

describe('chimeraforge merge (several engines, one experiment)', function () {
  this.timeout(180_000);
  let engines: EngineHandle[] = [];
  let ws: ReturnType<typeof makeWorkspace>;
  const rates = [200, 250, 400];

  before(async () => {
    requireBuiltCli();
    engines = await startEngines(3, { mode: 'paced', paced: { ttftMs: 10, tokensPerSec: 200, tokens: 12 } });
    // Each "host" decodes at its own rate, so the merged statistics show whose runs they hold.
    await Promise.all(engines.map((e, i) => e.configure({ paced: { tokensPerSec: rates[i] } })));
    ws = makeWorkspace(false);
    writeFileSync(join(ws.dir, 'fleet.experiment.json'), JSON.stringify({ title: 'fleet', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 2, warmup: 1, variants: [{ name: 'A' }, { name: 'B', options: { temperature: 0.5 } }] }));
    engines.forEach((e, i) => {
      const r = cli(['run', 'fleet.experiment.json', '--endpoint', `default=${e.url}`, '--reports-dir', ws.reportsDir, '--tr', `TR${10 + i}`, '--no-gpu-sampling'], ws.dir);
      assert.equal(r.code, 0, r.stderr);
    });
  });
  after(async () => Promise.all(engines.map((e) => e.stop())));

  it('joins the raw runs, renumbered, each with its source TR, run and host; summary from the joined runs', () => {
    const r = cli(['merge', 'TR10', 'TR11', 'TR12', '--as', 'TR20', '--reports-dir', ws.reportsDir, '--json'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { trId: string; runs: number; status: string; reportFile: string };
    assert.deepEqual([out.trId, out.runs, out.status], ['TR20', 18, 'complete']);
    assert.match(readFileSync(out.reportFile, 'utf8'), /Merged from TR10, TR11, TR12/);
    const runs = readRunsSync(join(ws.reportsDir, 'TR20')).runs;
    assert.deepEqual(runs.map((x) => x.run), [...Array(18).keys()]);
    assert.deepEqual(runs.map((x) => `${x.mergedFrom!.tr}:${x.mergedFrom!.run}`), ['TR10', 'TR11', 'TR12'].flatMap((t) => [...Array(6).keys()].map((k) => `${t}:${k}`)));
    for (const x of runs) assert.equal(typeof x.mergedFrom!.host, 'string');
    const meta = readMeta(join(ws.reportsDir, 'TR20'));
    assert.deepEqual(meta.merged!.map((m) => [m.tr, m.runs, m.status]), [['TR10', 6, 'complete'], ['TR11', 6, 'complete'], ['TR12', 6, 'complete']]);
    assert.deepEqual(meta.merged!.map((m) => m.environment.endpoints[0].url), engines.map((e) => e.url), 'each source keeps its own environment');
    assert.deepEqual(meta.counts, { planned: 18, completed: 18, warmup: 6, failed: 0, invalid: 0, cancelled: 0 });
    for (const v of meta.summary.variants) {
      const tps = v.decode_tps as { n: number; mean: number };
      assert.equal(tps.n, 6, `${v.name}: 2 counted runs from each of 3 TRs`);
      // The mean over every source's raw per-run values (one call per run), whatever each host's rate.
      const raw = ['TR10', 'TR11', 'TR12'].flatMap((t) => readRunsSync(join(ws.reportsDir, t)).runs.filter((x) => x.variant === v.name && !x.warmup).map((x) => x.calls[0].metrics!.decode_tps!));
      assert.equal(raw.length, 6);
      assert.ok(Math.abs(tps.mean - raw.reduce((a, b) => a + b, 0) / 6) < 1e-9, `${v.name} mean ${tps.mean}`);
      assert.equal(new Set(raw.map((x) => x.toFixed(6))).size, 3, 'three hosts, three rates');
    }
  });

  it('refuses TRs of another experiment (exit 2, naming the odd one), a repeated TR, and a single TR', () => {
    writeFileSync(join(ws.dir, 'other.experiment.json'), JSON.stringify({ title: 'fleet', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 3, warmup: 1, variants: [{ name: 'A' }] }));
    assert.equal(cli(['run', 'other.experiment.json', '--endpoint', `default=${engines[0].url}`, '--reports-dir', ws.reportsDir, '--tr', 'TR30', '--no-gpu-sampling'], ws.dir).code, 0);
    const odd = cli(['merge', 'TR10', 'TR30', '--as', 'TR31', '--reports-dir', ws.reportsDir], ws.dir);
    assert.equal(odd.code, 2);
    assert.match(odd.stderr, /TR30 ran another experiment than TR10/);
    assert.equal(cli(['merge', 'TR10', 'TR10', '--as', 'TR32', '--reports-dir', ws.reportsDir], ws.dir).code, 2);
    assert.equal(cli(['merge', 'TR10', '--as', 'TR33', '--reports-dir', ws.reportsDir], ws.dir).code, 2);
  });
});
