// The extension's report writing: in a worker thread (the built dist/reportWorker.js), so the host's
// event loop keeps turning while a big TR's report is written; requests for one TR are coalesced.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { silentLogger } from '../../../src/core/ports';
import { ReportWrites } from '../../../src/vscode/reportWriting';
import { makeBigTr } from '../../helpers/bigTr';
import { makeWorkspace } from '../../helpers/workspace';

const WORKER = resolve('dist', 'reportWorker.js');

describe('extension: reports written in a worker thread, coalesced per TR', function () {
  this.timeout(180_000);
  const ws = makeWorkspace(false);
  let dir = '';
  let id = '';
  const warnings: string[] = [];
  let writes: ReportWrites;

  before(() => {
    if (!existsSync(WORKER)) execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit', timeout: 120_000 });
    assert.ok(existsSync(WORKER), `${WORKER} is not built (node esbuild.mjs)`);
    ({ dir, id } = makeBigTr(ws.reportsDir, 20_000));
    writes = new ReportWrites(WORKER, { ...silentLogger, warn: (m) => warnings.push(m) });
  });
  after(() => {
    writes.dispose();
    rmSync(ws.dir, { recursive: true, force: true });
  });

  it('the event loop keeps turning while a 20,000-run report is written, and the report has its PNG figures (checkout: renderer installed)', async () => {
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      if (!spinning) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const r = await writes.write(dir, ws.reportsDir);
    spinning = false;
    // A write on this thread would run from start to end without one turn of the loop in between.
    assert.ok(turns > 10, `the event loop turned ${turns} times during the write`);
    assert.equal(r.summary.counts.runs, 20_000);
    const md = readFileSync(r.reportFile, 'utf8');
    assert.ok(r.charts.length >= 2, `charts: ${r.charts.join(', ')}`);
    for (const c of r.charts) {
      assert.ok(existsSync(join(dir, c)), c);
      assert.ok(md.includes(`(${id}/${c})`), `${c} not linked from the report`);
    }
    assert.deepEqual(warnings, []);
  });

  it('requests while a write runs share one follow-up write; a failure comes back as a ChimeraError with its code', async () => {
    const before = writes.started;
    const first = writes.write(dir, ws.reportsDir);
    const same = writes.write(dir, ws.reportsDir);
    assert.equal(same, first, 'asked twice before it started: one write');
    await new Promise((r) => setTimeout(r, 50)); // the first write has started
    const later = [writes.write(dir, ws.reportsDir), writes.write(join(dir, '.'), ws.reportsDir), writes.write(dir, ws.reportsDir)];
    assert.ok(later.every((p) => p === later[0]) && later[0] !== first, 'the requests during the write share one follow-up');
    assert.equal(writes.pending(join(dir, '.')), later[0], 'pending(): the last write asked for (Open/Preview Report wait on it)');
    await Promise.all([first, ...later]);
    assert.equal(writes.started - before, 2);
    await new Promise((r) => setImmediate(r));
    assert.equal(writes.pending(dir), undefined, 'nothing pending once the writes are done');
    await assert.rejects(writes.write(join(ws.reportsDir, 'TR999'), ws.reportsDir), (e: Error & { code?: string }) => e.name === 'ChimeraError' && typeof e.code === 'string' && e.code.startsWith('E_'));
  });
});
