// Bad input, as a user types it: each case exits 2 with a message naming the file and JSON path (or
// the argument), and writes nothing at all (the workspace tree is the same before and after). Bad TR
// ids are refused even when the endpoint is down (checked before preflight, so exit 2, not 3).
// Corrupt TR directories are listed, named and skipped; they never crash a command.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineHandle } from '../../../engine/api';
import { makeWorkspace } from '../../helpers/workspace';
import { EnginePool } from '../ollama/engineHarness';
import { cli, deadPort, ensureCliBuilt, readTr, snapshotTree, treeChanges, writeExperiment } from './helpers';

const GOOD = { title: 'bad input', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 1, warmup: 0 };

interface BadCase {
  name: string;
  /** The experiment file's content: an object (JSON) or raw text. */
  file: object | string;
  /** Extra arguments after `run <file>`; ENDPOINT is replaced by the endpoint flag of the case. */
  args?: string[];
  /** Which endpoint the run gets: a live paced engine or a dead port. */
  endpoint: 'live' | 'dead';
  expect: RegExp[];
}

const CASES: BadCase[] = [
  { name: 'malformed JSON', file: '{\n  "title": "x",\n  "kind": ', endpoint: 'live', expect: [/x\.experiment\.json is not valid JSON/, /- line 3, column \d+: ValueExpected/] },
  { name: 'a string where an integer belongs', file: { ...GOOD, repetitions: '3' }, endpoint: 'live', expect: [/x\.experiment\.json is not a valid experiment \(1 problem\)/, /- repetitions: must be integer or object \(got "3"\)/] },
  { name: 'a string where a list belongs', file: { ...GOOD, prompts: 'a' }, endpoint: 'live', expect: [/- prompts: must be array \(got "a"\)/] },
  { name: 'a wrong type deep inside', file: { ...GOOD, variants: [{ name: 'v', options: { temperature: 'hot' } }] }, endpoint: 'live', expect: [/- variants\[0\]\.options\.temperature: must be number \(got "hot"\)/] },
  { name: 'unknown kind', file: { ...GOOD, kind: 'bogus' }, endpoint: 'live', expect: [/- kind: must be one of "prompt", "agent", "multi-agent", "command", "capacity" \(got "bogus"\)/] },
  { name: 'empty variants', file: { ...GOOD, variants: [] }, endpoint: 'live', expect: [/- variants: must NOT have fewer than 1 items/] },
  { name: 'negative repetitions', file: { ...GOOD, repetitions: -2 }, endpoint: 'live', expect: [/- repetitions: must be >= 1 \(got -2\)/] },
  { name: 'unknown endpoint name', file: { ...GOOD, endpoint: 'gpu2' }, endpoint: 'live', expect: [/- endpoint: unknown endpoint "gpu2" \(declared: default\)/] },
  { name: '"tr" with a path separator', file: { ...GOOD, tr: 'TR1/../../etc' }, endpoint: 'dead', expect: [/- tr: must match pattern .* \(got "TR1\/\.\.\/\.\.\/etc"\)/] },
  { name: '"tr" that is ..', file: { ...GOOD, tr: '..' }, endpoint: 'dead', expect: [/- tr: must match pattern .* \(got "\.\."\)/] },
  { name: '--tr with ..', file: GOOD, args: ['--tr', '../TR1'], endpoint: 'dead', expect: [/"\.\.\/TR1" is not a TR id/, /where: tr/, /use TR<number> or TR<number>_v<k>/] },
  { name: '--tr with a path separator', file: GOOD, args: ['--tr', 'TR1/x'], endpoint: 'dead', expect: [/"TR1\/x" is not a TR id/] },
  { name: '--tr with a backslash', file: GOOD, args: ['--tr', 'TR1\\..'], endpoint: 'dead', expect: [/"TR1\\\.\." is not a TR id/] },
  { name: 'an endpoint URL with a non-http scheme in the file', file: { ...GOOD, endpoints: { default: 'ftp://127.0.0.1:11434' } }, endpoint: 'dead', expect: [/- endpoints\.default: must match pattern "\^https\?:/] },
  { name: '--endpoint with a file: URL', file: GOOD, args: ['--endpoint', 'default=file:///etc/passwd'], endpoint: 'dead', expect: [/endpoint 'default': "file:\/\/\/etc\/passwd" uses file; only http and https are supported/] },
  { name: '--endpoint with a non-http scheme on an endpoint the experiment does not use', file: GOOD, args: ['--endpoint', 'spare=ftp://127.0.0.1:21'], endpoint: 'live', expect: [/endpoint 'spare': "ftp:\/\/127\.0\.0\.1:21" uses ftp; only http and https are supported/] },
  { name: '--endpoint without a URL', file: GOOD, args: ['--endpoint', 'default'], endpoint: 'dead', expect: [/--endpoint needs NAME=URL, got "default"/] },
  { name: 'an unknown option', file: GOOD, args: ['--repetitions', '3'], endpoint: 'dead', expect: [/unknown option '--repetitions'/] },
];

describe('fault matrix: bad input (CLI exit 2, nothing written)', function () {
  this.timeout(120_000);
  const pool = new EnginePool();
  let live: EngineHandle;
  let dead: string;

  before(async () => {
    ensureCliBuilt();
    live = await pool.start({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 500, tokens: 4 } });
    dead = `http://127.0.0.1:${await deadPort()}`;
  });
  after(() => pool.stopAll());

  for (const c of CASES) {
    it(`${c.name}: exit 2, says where, writes nothing`, async () => {
      const ws = makeWorkspace(true);
      const f = join(ws.dir, 'x.experiment.json');
      writeFileSync(f, typeof c.file === 'string' ? c.file : JSON.stringify(c.file, null, 2));
      const before = snapshotTree(ws.dir);
      const r = await cli(['run', f, '--endpoint', `default=${c.endpoint === 'live' ? live.url : dead}`, ...(c.args ?? [])], ws.dir);
      assert.equal(r.code, 2, r.stderr);
      for (const re of c.expect) assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
      assert.deepEqual(treeChanges(before, snapshotTree(ws.dir)), []);
    });
  }

  it('an experiment file that does not exist: exit 2 naming it', async () => {
    const ws = makeWorkspace(false);
    const r = await cli(['run', join(ws.dir, 'nope.experiment.json'), '--endpoint', `default=${live.url}`], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.experiment\.json/);
    assert.deepEqual(treeChanges(new Map(), snapshotTree(ws.dir)), []);
  });

  // Root ignores file modes, so the unwritable directory is one below a regular file: that fails for anyone.
  it('a reports directory that cannot be created: exit 2 naming it, nothing written', async () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'x.experiment.json', GOOD);
    writeFileSync(join(ws.dir, 'plain-file'), 'not a folder\n');
    const before = snapshotTree(ws.dir);
    const r = await cli(['run', f, '--endpoint', `default=${live.url}`, '--reports-dir', 'plain-file/reports'], ws.dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`the reports directory ${join(ws.dir, 'plain-file', 'reports')} is not writable`));
    assert.match(r.stderr, /what to do: choose another directory \(--reports-dir/);
    assert.deepEqual(treeChanges(before, snapshotTree(ws.dir)), []);
  });

  it('a TR id that exists already: exit 2, the existing TR untouched', async () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'x.experiment.json', GOOD);
    assert.equal((await cli(['run', f, '--endpoint', `default=${live.url}`, '--tr', 'TR7'], ws.dir)).code, 0);
    const before = snapshotTree(ws.dir);
    const r = await cli(['run', f, '--endpoint', `default=${live.url}`, '--tr', 'TR7'], ws.dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /TR7 already exists in /);
    assert.deepEqual(treeChanges(before, snapshotTree(ws.dir)), []);
  });

  it('a good run writes only under the reports directory', async () => {
    const ws = makeWorkspace(true);
    const f = writeExperiment(ws.dir, 'x.experiment.json', { ...GOOD, repetitions: 2 });
    const before = snapshotTree(ws.dir);
    const r = await cli(['run', f, '--endpoint', `default=${live.url}`], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(treeChanges(before, snapshotTree(ws.dir), 'reports'), []);
    assert.equal(readTr(join(ws.reportsDir, 'TR1')).lines, 2);
  });

  describe('corrupt TR directories', () => {
    let ws: ReturnType<typeof makeWorkspace>;
    before(async () => {
      ws = makeWorkspace(false);
      const f = writeExperiment(ws.dir, 'x.experiment.json', { ...GOOD, repetitions: 3 });
      for (let i = 0; i < 4; i++) assert.equal((await cli(['run', f, '--endpoint', `default=${live.url}`], ws.dir)).code, 0);
      const tr = (id: string, file: string): string => join(ws.reportsDir, id, file);
      writeFileSync(tr('TR2', 'meta.json'), '{"schemaVersion": 1, "id": "TR2", "sta');
      writeFileSync(tr('TR3', 'meta.json'), '[]\n');
      // TR4: a torn line in the middle of runs.jsonl; its meta.json is fine.
      const lines = readFileSync(tr('TR4', 'runs.jsonl'), 'utf8').split('\n');
      lines[1] = lines[1].slice(0, 40);
      writeFileSync(tr('TR4', 'runs.jsonl'), lines.join('\n'));
      mkdirSync(join(ws.reportsDir, 'TR9'));
    });

    it('list: the readable ones listed, each unreadable one named with its file and skipped, exit 2', async () => {
      const before = snapshotTree(ws.dir);
      const r = await cli(['list'], ws.dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /^TR1\s+complete\s+prompt\s.*\s3\/3\s+0\s+bad input$/m);
      assert.match(r.stdout, /^TR4\s+complete\s+prompt\s/m);
      assert.match(r.stderr, new RegExp(`^TR2: ${join(ws.reportsDir, 'TR2', 'meta.json')} is corrupt \\(not JSON\\)`, 'm'));
      assert.match(r.stderr, new RegExp(`^TR3: ${join(ws.reportsDir, 'TR3', 'meta.json')} is not a Chimeraforge meta.json`, 'm'));
      assert.match(r.stderr, new RegExp(`^TR9: no meta.json in ${join(ws.reportsDir, 'TR9')}`, 'm'));
      assert.match(r.stderr, /^3 TR directories could not be read \(skipped\)$/m);
      assert.deepEqual(treeChanges(before, snapshotTree(ws.dir)), []);
      const json = await cli(['list', '--json'], ws.dir);
      assert.equal(json.code, 2);
      const items = JSON.parse(json.stdout) as { id: string; error?: string }[];
      assert.deepEqual(items.map((i) => [i.id, i.error !== undefined]), [['TR1', false], ['TR2', true], ['TR3', true], ['TR4', false], ['TR9', true]]);
    });

    it('a new run beside corrupt TRs takes the next free id and leaves them as they were', async () => {
      const f = writeExperiment(ws.dir, 'y.experiment.json', GOOD);
      const before = snapshotTree(ws.reportsDir);
      const r = await cli(['run', f, '--endpoint', `default=${live.url}`, '--json'], ws.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { trId: string }).trId, 'TR10');
      // Only the new TR, its report and the regenerated index; the corrupt TRs are as they were.
      const changed = treeChanges(before, snapshotTree(ws.reportsDir)).filter((p) => !/^added TR10(\/|$)/.test(p));
      assert.deepEqual(changed, ['added Technical_Report_10.md', 'changed README.md']);
    });

    it('report on a torn runs.jsonl line: the report is built from the other runs, the line named, exit 2', async () => {
      const r = await cli(['report', 'TR4'], ws.dir);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^TR4: runs\.jsonl line 2 unreadable \(.+\), skipped$/m);
      assert.match(r.stderr, /^TR4: 1 unreadable line\(s\) of runs\.jsonl skipped/m);
      const md = readFileSync(join(ws.reportsDir, 'Technical_Report_4.md'), 'utf8');
      assert.match(md, /runs\.jsonl had 1 unreadable line\(s\), skipped:\*\* line 2 /);
      const csv = readFileSync(join(ws.reportsDir, 'TR4', 'summary.csv'), 'utf8');
      assert.match(csv, /^variant,default,,,,2,/m, 'the summary counts the 2 readable runs');
    });

    for (const [id, message] of [['TR2', /TR2\/meta\.json is corrupt \(not JSON\)/], ['TR3', /TR3\/meta\.json is not a Chimeraforge meta\.json/], ['TR9', /TR9 does not exist in the reports directory/]] as const) {
      it(`report on ${id} (unreadable meta.json): exit 2 naming the file, no crash, nothing written`, async () => {
        const before = snapshotTree(ws.dir);
        const r = await cli(['report', id], ws.dir);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /unexpected error|at .*\.js:\d+/);
        assert.deepEqual(treeChanges(before, snapshotTree(ws.dir)), []);
      });
    }
  });
});
