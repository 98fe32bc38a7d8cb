import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertTrId, compareTrIds, reportFileName, reserveTrDir } from '../../../src/core/store/trId';
import { TrWriter, type MetaInit } from '../../../src/core/store/writer';
import { readMeta, readRunsSync, forEachRun, shownStatus } from '../../../src/core/store/read';
import { listTrs } from '../../../src/core/store/list';
import { ensureWritableDir } from '../../../src/core/store/files';
import { parseNvidiaSmi } from '../../../src/core/store/environment';
import { ChimeraError } from '../../../src/core/errors';
import type { RunRecord } from '../../../src/core/types';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'cf-store-'));
const init: MetaInit = {
  title: 'T', kind: 'prompt', planned: 2, experiment: { hash: 'sha256:x' }, metricDefinitions: {}, supersedes: null,
  environment: { endpoints: [], host: { os: 'linux', arch: 'x64', cpus: 2, memoryBytes: 1, node: 'v20' }, gpus: [], tool: { name: 'chimeraforge', version: '0' } },
};
const run = (i: number, extra: Partial<RunRecord> = {}): RunRecord => ({ run: i, variant: 'a', repetition: i, warmup: false, valid: true, status: 'ok', startedAt: 'x', wallMs: 1, calls: [], ...extra });

describe('TR ids', () => {
  it('accepts TR<n> and TR<n>_v<k> only', () => {
    for (const ok of ['TR1', 'TR116', 'TR111_v2']) assert.equal(assertTrId(ok).id, ok);
    for (const bad of ['TR', 'tr1', 'TR1/..', '../TR1', 'TR1 ', 'TR1_v', 'TR1\\x', 'TR..']) {
      assert.throws(() => assertTrId(bad), (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_TR_ID');
    }
    assert.equal(reportFileName('TR111_v2'), 'Technical_Report_111_v2.md');
    assert.deepEqual(['TR10', 'TR9', 'TR10_v2', 'TR2'].sort(compareTrIds), ['TR2', 'TR9', 'TR10', 'TR10_v2']);
  });

  it('takes the next free number and refuses an existing requested id', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'TR114_v2'));
    assert.equal(reserveTrDir(dir).id, 'TR115');
    assert.equal(reserveTrDir(dir).id, 'TR116');
    assert.throws(() => reserveTrDir(dir, 'TR116'), /TR116 already exists/);
  });

  it('never gives the same id to processes racing for it', async function () {
    this.timeout(60000);
    const dir = tmp();
    const script = `const { reserveTrDir } = require(${JSON.stringify(join(process.cwd(), 'src/core/store/trId.ts'))}); for (let i = 0; i < 5; i++) process.stdout.write(reserveTrDir(process.argv[1]).id + '\\n');`;
    const procs = Array.from({ length: 4 }, () => new Promise<string[]>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', '-e', script, dir]);
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d));
      p.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n')) : reject(new Error(`exit ${code}`))));
    }));
    const ids = (await Promise.all(procs)).flat();
    assert.equal(ids.length, 20);
    assert.equal(new Set(ids).size, 20, `duplicates in ${ids.join(',')}`);
    assert.equal(readdirSync(dir).length, 20);
  });
});

describe('TR writer and readers', () => {
  it('writes meta.json at start, per run and at the end, and appends runs.jsonl', () => {
    const dir = tmp();
    const w = TrWriter.create(dir, init);
    assert.equal(w.id, 'TR1');
    assert.equal(readMeta(w.dir).status, 'running');
    assert.equal(shownStatus(readMeta(w.dir)), 'running', 'the writer (this process) is alive');
    w.addRun(run(0, { warmup: true }));
    w.addRun(run(1, { status: 'failed', valid: false, error: 'boom' }));
    assert.deepEqual(readMeta(w.dir).counts, { planned: 2, completed: 2, warmup: 1, failed: 1, invalid: 0, cancelled: 0, excluded: { failed: 1 } });
    // A name is a key inside outputs.jsonl, never a path: nothing is written outside the TR directory.
    assert.equal(w.writeOutput('run1/../analysis.md', 'text'), 'outputs.jsonl#run1/../analysis.md');
    w.finish('failed', { variants: [], comparisons: [] }, 'variant\n');
    const m = readMeta(w.dir);
    assert.equal(m.status, 'failed');
    assert.ok(m.finishedAt);
    assert.equal(m.writer, undefined);
    assert.equal(m.artifacts.report, '../Technical_Report_1.md');
    assert.equal(readFileSync(join(w.dir, 'summary.csv'), 'utf8'), 'variant\n');
    assert.deepEqual(readRunsSync(w.dir).runs.map((r) => r.run), [0, 1]);
  });

  it('skips and counts corrupt runs.jsonl lines with their line numbers', async () => {
    const dir = tmp();
    const w = TrWriter.create(dir, init);
    w.addRun(run(0));
    appendFileSync(join(w.dir, 'runs.jsonl'), '{"run": 1, "variant": "a"\n{"x":1}\n');
    w.addRun(run(3));
    const r = readRunsSync(w.dir);
    assert.deepEqual(r.runs.map((x) => x.run), [0, 3]);
    assert.deepEqual(r.corrupt.map((c) => c.line), [2, 3]);
    const seen: number[] = [];
    const s = await forEachRun(w.dir, (x) => seen.push(x.run));
    assert.deepEqual([seen, s.count, s.corrupt.length], [[0, 3], 2, 2]);
  });

  it('shows a running TR whose writer died as interrupted, and lists corrupt ones as errors', () => {
    const dir = tmp();
    const w = TrWriter.create(dir, init);
    w.addRun(run(0));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const meta = JSON.parse(readFileSync(join(w.dir, 'meta.json'), 'utf8'));
    meta.writer.pid = Number(dead);
    writeFileSync(join(w.dir, 'meta.json'), JSON.stringify(meta));
    mkdirSync(join(dir, 'TR2'));
    writeFileSync(join(dir, 'TR2', 'meta.json'), '{"id": "TR2", "sta');
    mkdirSync(join(dir, 'notes'));
    const list = listTrs(dir);
    assert.deepEqual(list.map((l) => [l.id, l.status]), [['TR1', 'interrupted'], ['TR2', 'failed']]);
    assert.match(list[1].error ?? '', /TR2\/meta\.json is corrupt/);
    assert.equal(list[0].counts?.completed, 1);
  });

  it('says what to do when the reports directory is not writable', function () {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; a path under a regular file cannot be created by anyone
      const f = join(tmp(), 'file');
      writeFileSync(f, '');
      assert.throws(() => ensureWritableDir(join(f, 'reports')), (e: unknown) => e instanceof ChimeraError && e.code === 'E_NOT_WRITABLE' && /--reports-dir/.test(e.hint ?? ''));
      return;
    }
    const d = tmp();
    chmodSync(d, 0o500);
    assert.throws(() => ensureWritableDir(join(d, 'reports')), (e: unknown) => e instanceof ChimeraError && e.code === 'E_NOT_WRITABLE');
  });

  it('parses nvidia-smi CSV samples', () => {
    const g = parseNvidiaSmi('NVIDIA GeForce RTX 4080 Laptop GPU, 12282, 3400, 97, 71, 120.5, 2505, 560.94\nH200, 143771, [N/A], 0, 30, 75, 345, 570.1\n');
    assert.deepEqual(g[0], { name: 'NVIDIA GeForce RTX 4080 Laptop GPU', memoryTotalMb: 12282, memoryUsedMb: 3400, utilizationPct: 97, temperatureC: 71, powerW: 120.5, smClockMhz: 2505, driver: '560.94' });
    assert.equal(g[1].memoryUsedMb, undefined);
  });
});
